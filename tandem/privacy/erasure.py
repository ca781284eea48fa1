"""Erasure on request (GDPR art. 17): the data-protection officer erases one person's data now.

The same steps as retention (``tandem.privacy.retention``) run for one person, for every record
type at once except the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.registry.models import Person
from tandem.trajectories.models import Status, Trajectory

from .retention import RetentionReport, run_steps

# On request everything about the person goes at once, except the access log: it records
# who read the file and is kept for accountability (art. 17(3)(b) and (e)) until its own
# retention period; it points at the pseudonymised person only.
ON_REQUEST = ("case_content", "screenings")


def erasure_refusal(person: Person) -> str | None:
    """Why this person cannot be erased now, in words for the DPO, or None."""
    if person.first_name == "":
        return gettext("This person's data has already been erased.")
    if Trajectory.objects.filter(person=person).exclude(status=Status.CLOSED).exists():
        return gettext(
            "This person has an open trajectory. The mediator closes it first (with a closure "
            "reason); then the data can be erased."
        )
    return None


def erasure_preview(person: Person) -> RetentionReport:
    """What erasing this person would remove, counted without changing anything."""
    counts, persons = run_steps({p: [person.pk] for p in ON_REQUEST}, write=False)
    return RetentionReport(
        dry_run=True,
        today=timezone.localdate(),
        periods={},
        due={p: 1 for p in ON_REQUEST},
        counts=counts,
        persons=persons,
    )


@transaction.atomic
def person_erase(*, acting_user: User, person: Person, reason: str) -> RetentionReport:
    """Erase one person's data now, on their request (the data-protection officer)."""
    if not has_capability(acting_user, "audit.view_access_log"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Write why the data is erased, e.g. the request and its date.")}
        )
    # Lock the row: two erasures of the same person at once would count twice.
    person = Person.objects.select_for_update().get(pk=person.pk)
    refusal = erasure_refusal(person)
    if refusal:
        raise ValidationError(refusal)
    counts, persons = run_steps({p: [person.pk] for p in ON_REQUEST}, write=True)
    AuditEvent.objects.create(
        actor=acting_user,
        organisation=acting_user.organisation,
        person=person,
        event_type=Event.PERSON_ERASED,
        # The reason goes with the data it was about: the audit trail keeps only that one was
        # given (it may name the person or quote their request). The request itself stays in
        # the DPO's register of requests.
        data={
            "trigger": "request",
            "reason_given": True,
            "parts": list(ON_REQUEST),
            "counts": counts,
        },
    )
    return RetentionReport(
        dry_run=False,
        today=timezone.localdate(),
        periods={},
        due={p: 1 for p in ON_REQUEST},
        counts=counts,
        persons=persons,
    )
