"""Who sees which persons and trajectories, and what of them: the one place that decides it
(DOMAIN.md §1). Imports only models; selectors, services, views, exports and reports get their
scope from here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import In
from django.http import Http404

from tandem.accounts.models import Organisation, Role, User
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS, LifeDomain
from tandem.network.models import OPEN_REFERRAL_STATUSES, Consent, Referral
from tandem.registry.models import Household, HouseholdMember, Person, PersonAssignment
from tandem.trajectories.models import ExpertSupportRequest, JobCoaching, Trajectory

# --- the duo and the consent recipient ---------------------------------------------------------


def duo_q(user: User, via: str = "") -> Q:
    """The duo rule: trajectories (or, ``via="trajectory"``, rows of a trajectory) whose lead
    mediator or welfare partner is this user."""
    prefix = f"{via}__" if via else ""
    return Q(**{f"{prefix}lead_mediator": user}) | Q(**{f"{prefix}welfare_partner": user})


def is_duo(user: User, trajectory: Trajectory) -> bool:
    return user.pk in trajectory.duo_user_ids()


def consent_recipient_q(organisation: Organisation) -> Q:
    """The consent-recipient rule: consents naming this organisation, or its kind."""
    return Q(recipient_organisation=organisation) | Q(recipient_kind=organisation.kind)


def consent_names(consent: Consent, organisation: Organisation) -> bool:
    """``consent_recipient_q`` for a consent already loaded."""
    return (
        consent.recipient_organisation_id == organisation.pk
        or consent.recipient_kind == organisation.kind
    )


def active_consents_for(organisation: Organisation) -> QuerySet[Consent]:
    """Consents in force whose recipient is this organisation or its kind."""
    return Consent.objects.filter(withdrawn_on__isnull=True).filter(
        consent_recipient_q(organisation)
    )


def consented_domains(person_id: int, organisation: Organisation | None) -> frozenset[str]:
    """The life domains of a person an organisation may see under the consents in force."""
    if organisation is None:
        return frozenset()
    domains: set[str] = set()
    for row in (
        active_consents_for(organisation)
        .filter(person_id=person_id)
        .values_list("domains", flat=True)
    ):
        domains.update(row or [])
    return frozenset(domains)


# --- persons -----------------------------------------------------------------------------------


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
      programmes they coach through group work (``tandem.groupwork.enrolment.selectors``),
      which shows only what the group needs — never the trajectory's notes or special
      categories;
    - programme manager, administrator, data-protection officer: no one — aggregates,
      users and reference data, or the audit trail, never a case file.
    """
    if not user.is_authenticated or user.organisation_id is None:
        return Person.objects.none()
    own_organisation, branches = _visible_person_ids(user)
    if not own_organisation and not branches:
        return Person.objects.none()
    # The organisation's own persons straight from its index, ``OR`` the ids of the other
    # branches as one ``UNION ALL`` (the duplicates it keeps do not matter to ``IN``).
    allowed = Q(organisation_id=user.organisation_id) if own_organisation else Q()
    if branches:
        first, *rest = branches
        allowed |= Q(_IdAmong(F("pk"), first.union(*rest, all=True) if rest else first))
    # An erased person (retention or a request) keeps only statistics: no file to open.
    return Person.objects.filter(allowed).exclude(first_name="")


class _IdAmong(In):
    """``id IN (subquery)``, on PostgreSQL written ``id = ANY(ARRAY(subquery))``: the subquery
    (a union of indexed branches) runs once, and the planner can look its ids up in the
    primary key *and* ``OR`` that with the organisation's own persons in one bitmap scan of the
    person table (a ``BitmapOr``). An ``OR`` of ``EXISTS`` — or of ``IN`` — makes it filter
    every person of the region instead (issue 20). Elsewhere (SQLite) a plain ``IN``."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _visible_person_ids(user: User) -> tuple[bool, list[QuerySet[Any]]]:
    """How each of the user's roles lets them see persons (``person_queryset_for``, for a user
    with an organisation): whether they see the persons their organisation registered, and the
    other ways as one subquery of person ids each, each starting from the column an index
    starts with (the organisation, the user)."""
    codes = user.role_codes
    org_id = user.organisation_id
    assert org_id is not None  # person_queryset_for answers a user without one: no one
    own_organisation = bool(codes & {Role.MEDIATOR, Role.SERVICE_LINE, Role.WELFARE_PARTNER})
    branches: dict[str, QuerySet[Any]] = {}
    if codes & {Role.MEDIATOR, Role.SERVICE_LINE}:
        branches["assigned"] = PersonAssignment.objects.filter(organisation_id=org_id).values(
            "person_id"
        )
    if Role.WELFARE_PARTNER in codes:
        consented = active_consents_for(user.organisation).filter(  # type: ignore[arg-type]
            person=OuterRef("person_id")
        )
        branches["duo_consented"] = (
            Trajectory.objects.filter(welfare_partner=user)
            .filter(Exists(consented))
            .values("person_id")
        )
        branches["referred_consented"] = (
            Referral.objects.filter(
                receiving_organisation_id=org_id, status__in=OPEN_REFERRAL_STATUSES
            )
            .filter(Exists(consented))
            .values("person_id")
        )
    if Role.OUTREACH_WORKER in codes:
        branches["registered_by_user"] = Person.objects.filter(created_by=user).values("pk")
    if Role.EXPERIENCE_EXPERT in codes:
        branches["expert_asked"] = ExpertSupportRequest.objects.filter(expert=user).values(
            "trajectory__person_id"
        )
        branches["expert_open_request"] = ExpertSupportRequest.objects.filter(
            status="requested", trajectory__organisation_id=org_id
        ).values("trajectory__person_id")
    if Role.JOB_COACH in codes:
        branches["job_coached"] = JobCoaching.objects.filter(coach=user).values(
            "job_start__trajectory__person_id"
        )
    # No ordering inside a compound statement (SQLite refuses it; it means nothing to ``IN``).
    return own_organisation, [qs.order_by() for qs in branches.values()]


def _uuid(public_id: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc


def person_get_for(user: User, public_id: uuid.UUID | str) -> Person:
    """Return one visible person with what the file page shows, or 404 (missing or forbidden)."""
    key = _uuid(public_id)
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


def consent_restricted_domains(user: User, person: Person) -> frozenset[str] | None:
    """The life domains a user may see of a person when consent limits them, else ``None``.

    A welfare partner who sees a person only as the duo partner of another organisation sees
    the domains the person consented to share with their organisation. Everyone else who may
    see the person sees every domain (special categories are the duo's: ``domains_visible_to``).
    """
    codes = user.role_codes
    if Role.WELFARE_PARTNER not in codes or person.organisation_id == user.organisation_id:
        return None
    if codes & {Role.MEDIATOR, Role.SERVICE_LINE}:
        return None  # sees the person through their office, with every domain
    return consented_domains(person.pk, user.organisation)


def household_shown(person: Person, restricted: frozenset[str] | None) -> Household | None:
    """The person's household as a user sees it, given ``consent_restricted_domains(user,
    person)``: a welfare partner who sees the person through consent sees the household and
    its income only when finances (``income``) are among the shared domains."""
    if restricted is None or LifeDomain.INCOME in restricted:
        return person.household
    return None


def sees_special_categories(
    user: User, person: Person, trajectories: Iterable[Trajectory] | None = None
) -> bool:
    """Whether the user sees the person's special-category fields (a recorded disability):
    the duo of one of the person's trajectories (lead mediator, welfare partner) and the
    worker who registered the person — the same circle as special-category notes.

    ``trajectories``: the person's trajectories the user sees, when the caller has them
    loaded already (the user's own duo trajectories are among them): no query then.
    """
    if person.created_by_id == user.pk:
        return True
    if trajectories is not None:
        return any(is_duo(user, t) for t in trajectories)
    return Trajectory.objects.filter(duo_q(user), person=person).exists()


# --- trajectories ------------------------------------------------------------------------------


def trajectory_queryset_for(user: User) -> QuerySet[Trajectory]:
    """Trajectories are reached through visible persons only: a welfare partner of another
    organisation reaches the trajectories where they are the duo partner while a consent in
    force covers their organisation (``person_queryset_for``), not after it is withdrawn."""
    if not user.is_authenticated:
        return Trajectory.objects.none()
    return Trajectory.objects.filter(person__in=person_queryset_for(user))


def trajectory_get_for(user: User, public_id: uuid.UUID | str) -> Trajectory:
    """Return one visible trajectory (with person, duo and project) or 404."""
    key = _uuid(public_id)
    qs = trajectory_queryset_for(user).select_related(
        "person", "organisation", "lead_mediator", "welfare_partner", "project", "screening"
    )
    try:
        return qs.get(public_id=key)
    except Trajectory.DoesNotExist as exc:
        raise Http404 from exc


def can_write(user: User, trajectory: Trajectory) -> bool:
    """The duo, and mediators of the trajectory's office (to cover for a colleague), may
    change an open trajectory."""
    if not trajectory.is_open:
        return False
    if is_duo(user, trajectory):
        return True
    return Role.MEDIATOR in user.role_codes and user.organisation_id == trajectory.organisation_id


def domain_visible_q(user: User, *, domain: str, person: str) -> Q:
    """``consent_restricted_domains`` as a condition on rows of a life domain, for lists of the
    user's own duo trajectories (the duo sees special categories): ``domain`` and ``person``
    are the paths from the row to its life-domain code and to its person. A welfare partner of
    another organisation sees a row when a consent in force covering their organisation names
    the domain (matched on the JSON list's text, so the same on SQLite and PostgreSQL); every
    other user sees every domain. One condition, no query of its own."""
    codes = user.role_codes
    if (
        Role.WELFARE_PARTNER not in codes
        or codes & {Role.MEDIATOR, Role.SERVICE_LINE}
        or user.organisation is None
    ):
        return Q()
    named = (
        active_consents_for(user.organisation)
        .filter(person=OuterRef(person))
        .annotate(domains_text=Cast("domains", TextField()))
        .filter(domains_text__contains=Concat(Value('"'), OuterRef(domain), Value('"')))
    )
    return Q(**{f"{person}__organisation_id": user.organisation_id}) | Q(Exists(named))


def domains_visible_to(user: User, trajectory: Trajectory) -> frozenset[str]:
    """The life domains of a trajectory this user may see: special categories only for the duo,
    and for a welfare partner of another organisation only what the person consented to."""
    domains = frozenset(LifeDomain.values)
    if not is_duo(user, trajectory):
        domains -= SPECIAL_CATEGORY_DOMAINS
    restricted = consent_restricted_domains(user, trajectory.person)
    if restricted is not None:
        domains &= restricted
    return domains


__all__ = [
    "active_consents_for",
    "can_write",
    "consent_names",
    "consent_recipient_q",
    "consent_restricted_domains",
    "consented_domains",
    "domain_visible_q",
    "domains_visible_to",
    "duo_q",
    "is_duo",
    "person_get_for",
    "person_queryset_for",
    "sees_special_categories",
    "trajectory_get_for",
    "trajectory_queryset_for",
]
