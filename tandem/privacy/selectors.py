"""Reads of the audit trail, and who may read it about whom.

Two roles use these pages:

- a **mediator** who can see the person (``person_get_for``, the road every case page takes)
  sees who read that person's file and may export the person's data for them;
- the **data-protection officer** sees no case pages at all (``person_queryset_for`` gives
  them no one), but reads the access log and the audit events, runs subject-access exports and
  erasures. The DPO acts for their organisation, the controller: they reach the persons that
  organisation (or one of its sub-organisations, e.g. a VDAB office under VDAB) registered or
  works with — not another controller's. Every person they open is logged with the purpose
  "data protection".

A missing person and a forbidden one give the same 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.access.scope import duo_q
from tandem.accounts.models import Role, User
from tandem.accounts.selectors import organisation_tree_ids
from tandem.audit.models import AccessLog, AuditEvent, Purpose
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS
from tandem.registry.models import Person, PersonAssignment
from tandem.registry.selectors import person_get_for
from tandem.screening.models import Screening
from tandem.trajectories.models import Assessment, Contact, Trajectory


def is_dpo(user: User) -> bool:
    return has_capability(user, "audit.view_access_log")


def dpo_person_queryset(user: User) -> QuerySet[Person]:
    """The persons a data-protection officer acts for: their organisation tree's."""
    if not user.is_authenticated or not is_dpo(user) or user.organisation is None:
        return Person.objects.none()
    tree = organisation_tree_ids(user.organisation)
    assigned = PersonAssignment.objects.filter(person=OuterRef("pk"), organisation_id__in=tree)
    return Person.objects.filter(Q(organisation_id__in=tree) | Exists(assigned))


@dataclass(frozen=True)
class AuditedPerson:
    """A person opened on an audit page, and the purpose the read is logged with."""

    person: Person
    purpose: str
    as_dpo: bool


def audited_person_get(user: User, public_id: uuid.UUID | str) -> AuditedPerson:
    """Return the person for the access-history and export pages, or 404.

    The DPO's reach comes first (a DPO who is also a mediator reads as DPO); a mediator
    reaches the persons their case pages reach.
    """
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    if is_dpo(user):
        person = (
            dpo_person_queryset(user).select_related("organisation").filter(public_id=key).first()
        )
        if person is not None:
            return AuditedPerson(person=person, purpose=Purpose.DATA_PROTECTION, as_dpo=True)
    if Role.MEDIATOR in user.role_codes:
        return AuditedPerson(
            person=person_get_for(user, key), purpose=Purpose.CASE_WORK, as_dpo=False
        )
    raise Http404


def dpo_person_get(user: User, public_id: uuid.UUID | str) -> Person:
    """Return a person the DPO acts for, or 404 (for the erasure page)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    person = dpo_person_queryset(user).select_related("organisation").filter(public_id=key).first()
    if person is None:
        raise Http404
    return person


def special_content_outside_duo(user: User, person: Person) -> bool:
    """Whether the person's file holds special-category content this mediator may not read.

    Health, addiction and justice notes, readings and screening signals are for the duo of the
    trajectory (and the screener) only. A mediator outside that duo cannot export the file:
    the export is complete, so the data-protection officer makes it.
    """
    own = Trajectory.objects.filter(person=person).filter(duo_q(user))
    others = Trajectory.objects.filter(person=person).exclude(pk__in=own)
    if Contact.objects.filter(trajectory__in=others, domain__in=SPECIAL_CATEGORY_DOMAINS).exists():
        return True
    if (
        Assessment.objects.filter(trajectory__in=others)
        .filter(~Q(note="") | Q(readings__domain__in=SPECIAL_CATEGORY_DOMAINS))
        .exists()
    ):
        return True
    own_screenings = set(own.exclude(screening=None).values_list("screening_id", flat=True))
    for screening in (
        Screening.objects.filter(person=person).exclude(conducted_by=user).only("pk", "lights")
    ):
        if screening.pk in own_screenings:
            continue
        if any((screening.lights.get(d) or {}).get("signals") for d in SPECIAL_CATEGORY_DOMAINS):
            return True
    return False


# --- the access log --------------------------------------------------------------------------


# The order of every access-log list, newest first; the keys of its keyset pages
# (tandem.common.lists.keyset_page_of), served by the indexes on (at), (person, at), (user, at).
ACCESS_LOG_KEYS = ("-at", "-pk")


def access_log_of_person(person: Person) -> QuerySet[AccessLog]:
    """Who read this person's file, newest first (one query for any page of it)."""
    return (
        AccessLog.objects.filter(person=person)
        .select_related("user", "organisation")
        .order_by(*ACCESS_LOG_KEYS)
    )


def audit_events_of_person(person: Person) -> QuerySet[AuditEvent]:
    """What was changed in this person's file, newest first (without the event data)."""
    return (
        AuditEvent.objects.filter(person=person)
        .select_related("actor", "organisation")
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class AccessLogSearch:
    person: Person | None = None
    user: User | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    purpose: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def access_log_search(user: User, search: AccessLogSearch) -> QuerySet[AccessLog]:
    """The access-log rows a DPO may see that match the search, newest first.

    Only rows about the persons the DPO acts for; whoever read them (another organisation's
    user too — that is what the DPO must be able to see).
    """
    qs = AccessLog.objects.filter(person__in=dpo_person_queryset(user))
    if search.person is not None:
        qs = qs.filter(person=search.person)
    if search.user is not None:
        qs = qs.filter(user=search.user)
    if search.date_from is not None:
        qs = qs.filter(at__gte=_start_of(search.date_from))
    if search.date_to is not None:
        qs = qs.filter(at__lt=_start_of(search.date_to + dt.timedelta(days=1)))
    if search.purpose:
        qs = qs.filter(purpose=search.purpose)
    return qs.select_related("user", "organisation", "person").order_by(*ACCESS_LOG_KEYS)


def dpo_person_find(user: User, text: str) -> Person | None:
    """Find one person the DPO acts for by public id or national number (INSZ)."""
    from tandem.registry import insz as insz_rules

    qs = dpo_person_queryset(user)
    text = text.strip()
    try:
        return qs.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        pass
    number = insz_rules.normalise(text)
    if not number:
        return None
    return qs.filter(insz=number).first()


def user_find(username: str) -> User | None:
    """Find a user by user name (any organisation: their reads of our persons count too)."""
    found = get_user_model().objects.filter(username__iexact=username.strip()).first()
    return found  # type: ignore[return-value]
