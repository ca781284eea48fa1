"""Writes to the audit trail. Every service that changes data calls ``audit_event_record``
inside its own transaction; every view that shows person-level data logs it through
``tandem.access.log`` (``open_person``, ``open_trajectory``, ``log_persons_shown``) before it
responds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .events import Event, event_type_checked
from .models import AuditEvent

if TYPE_CHECKING:
    from tandem.accounts.models import Organisation, User
    from tandem.registry.models import Person


# While ``audit_events_in_bulk`` runs: the events recorded so far, written when it ends.
_pending: ContextVar[list[AuditEvent] | None] = ContextVar("pending_audit_events", default=None)


@contextmanager
def audit_events_in_bulk() -> Iterator[list[AuditEvent]]:
    """Record the audit events of many service calls in one bulk insert, in the same
    transaction: for loading many rows at once (the demo), where an insert per event costs
    more than the rows themselves. The events are the same, with the time each was recorded;
    nothing is written when the block fails."""
    outer = _pending.get()
    if outer is not None:  # already collecting: the outer block writes them
        yield outer
        return
    pending: list[AuditEvent] = []
    token = _pending.set(pending)
    reset = False
    try:
        with transaction.atomic():
            yield pending
            _pending.reset(token)
            reset = True
            AuditEvent.objects.bulk_create(pending, batch_size=1000)
    finally:
        if not reset:
            _pending.reset(token)


def audit_event_record(
    *,
    actor: User | None,
    event_type: Event,
    organisation: Organisation | None = None,
    person: Person | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event of a registered type (``events.Event``); any other string is refused
    with ``ValueError``."""
    stored_type = event_type_checked(event_type)
    if organisation is None and actor is not None:
        organisation = actor.organisation
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        organisation=organisation,
        person=person,
        event_type=stored_type,
        data=data or {},
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
    else:
        event.save(force_insert=True)
    return event
