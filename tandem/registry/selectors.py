"""Reads of persons and households. ``person_queryset_for`` is the only road to persons."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User

from . import insz as insz_rules
from .models import Household, HouseholdMember, Person, PersonAssignment
from .services import fold

if TYPE_CHECKING:
    from tandem.trajectories.models import Trajectory


def person_queryset_for(user: User) -> QuerySet[Person]:
    """Return the persons this user may see: the one place that decides it (DOMAIN.md §1).

    A user sees the union of what each of their roles allows:

    - mediator, service line: the persons their organisation (office) registered or was
      assigned to — their caseload and their office's;
    - welfare partner: the persons their own organisation registered, and those of the
      trajectories where they are the duo partner *and* a consent in force covers their
      organisation (then only the consented life domains: ``consent_restricted_domains``);
      likewise the person of an open referral addressed to their organisation (sent, accepted
      or in progress), again only while a consent in force covers their organisation and
      only the consented domains — a closed referral, or a withdrawn consent, ends it;
    - outreach worker: the persons they brought in (registered) themselves;
    - experience expert: the persons of trajectories that asked them for support (or whose
      open request, in their organisation, they may still accept);
    - job coach: the persons they coach at the workplace;
    - group coach: no one through the person file: a coach reaches the participants of the
      programmes they coach through group work (``tandem.groupwork.selectors``), which shows
      only what the group needs — never the trajectory's notes or special categories;
    - programme manager, administrator, data-protection officer: no one — aggregates,
      users and reference data, or the audit trail, never a case file.
    """
    from tandem.trajectories.models import ExpertSupportRequest, JobCoaching, Trajectory

    if not user.is_authenticated or user.organisation_id is None:
        return Person.objects.none()
    codes = user.role_codes
    org_id = user.organisation_id
    allowed = Q(pk__in=[])
    if codes & {Role.MEDIATOR, Role.SERVICE_LINE}:
        assigned = PersonAssignment.objects.filter(person=OuterRef("pk"), organisation_id=org_id)
        allowed |= Q(organisation_id=org_id) | Q(Exists(assigned))
    if Role.WELFARE_PARTNER in codes:
        from tandem.network.models.referral import OPEN_REFERRAL_STATUSES, Referral
        from tandem.network.selectors import active_consents_for

        duo = Trajectory.objects.filter(person=OuterRef("pk"), welfare_partner=user)
        referred = Referral.objects.filter(
            person=OuterRef("pk"),
            receiving_organisation_id=org_id,
            status__in=OPEN_REFERRAL_STATUSES,
        )
        consented = active_consents_for(user.organisation).filter(  # type: ignore[arg-type]
            person=OuterRef("pk")
        )
        allowed |= Q(organisation_id=org_id) | (
            (Q(Exists(duo)) | Q(Exists(referred))) & Q(Exists(consented))
        )
    if Role.OUTREACH_WORKER in codes:
        allowed |= Q(created_by=user)
    if Role.EXPERIENCE_EXPERT in codes:
        asked = ExpertSupportRequest.objects.filter(trajectory__person=OuterRef("pk")).filter(
            Q(expert=user) | Q(status="requested", trajectory__organisation_id=org_id)
        )
        allowed |= Q(Exists(asked))
    if Role.JOB_COACH in codes:
        coached = JobCoaching.objects.filter(
            job_start__trajectory__person=OuterRef("pk"), coach=user
        )
        allowed |= Q(Exists(coached))
    # An erased person (retention or a request) keeps only statistics: no file to open.
    return Person.objects.filter(allowed).exclude(first_name="")


def person_get_for(user: User, public_id: uuid.UUID | str) -> Person:
    """Return one visible person with what the file page shows, or 404 (missing or forbidden)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = person_queryset_for(user).select_related("organisation", "created_by", "household")
    qs = qs.prefetch_related(
        Prefetch(
            "household__members",
            queryset=HouseholdMember.objects.select_related("person").order_by("birth_date", "pk"),
        ),
        Prefetch("household__income_components"),
    )
    try:
        return qs.get(public_id=key)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PersonSearch:
    text: str = ""
    insz: str = ""
    municipality: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.insz.strip() or self.municipality.strip())


def person_search(user: User, search: PersonSearch) -> QuerySet[Person]:
    """Search the visible persons by name words, national number and municipality."""
    qs = person_queryset_for(user).select_related("organisation")
    if search.is_empty:
        return qs.none()
    for word in fold(search.text).split():
        qs = qs.filter(search_key__contains=word)
    if search.insz.strip():
        qs = qs.filter(insz=insz_rules.normalise(search.insz))
    if search.municipality.strip():
        qs = qs.filter(municipality__iexact=search.municipality.strip())
    return qs.order_by("last_name", "first_name", "birth_date", "pk")


def household_get_for(user: User, person: Person) -> Household:
    """Return the household of a person the user can already see."""
    if person.household_id is None:
        raise Http404
    return (
        Household.objects.filter(pk=person.household_id)
        .prefetch_related("members", "income_components")
        .get()
    )


def consent_restricted_domains(user: User, person: Person) -> frozenset[str] | None:
    """The life domains a user may see of a person when consent limits them, else ``None``.

    A welfare partner who sees a person only as the duo partner of another organisation sees
    the domains the person consented to share with their organisation. Everyone else who may
    see the person sees every domain (special categories are the duo's: see the trajectory
    selectors).
    """
    from tandem.network.selectors import consented_domains

    codes = user.role_codes
    if Role.WELFARE_PARTNER not in codes or person.organisation_id == user.organisation_id:
        return None
    if codes & {Role.MEDIATOR, Role.SERVICE_LINE}:
        return None  # sees the person through their office, with every domain
    return consented_domains(person.pk, user.organisation)


def sees_special_categories(
    user: User, person: Person, trajectories: Iterable[Trajectory] | None = None
) -> bool:
    """Whether the user sees the person's special-category fields (a recorded disability):
    the duo of one of the person's trajectories (lead mediator, welfare partner) and the
    worker who registered the person — the same circle as special-category notes.

    ``trajectories``: the person's trajectories the user sees, when the caller has them
    loaded already (the user's own duo trajectories are among them): no query then.
    """
    from tandem.trajectories.models import Trajectory

    if person.created_by_id == user.pk:
        return True
    if trajectories is not None:
        return any(user.pk in t.duo_user_ids() for t in trajectories)
    return Trajectory.objects.filter(
        Q(lead_mediator=user) | Q(welfare_partner=user), person=person
    ).exists()
