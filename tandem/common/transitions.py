"""The mechanics shared by Tandem's state machines (trajectory, referral, enrolment).

A ``StateMachine`` (``tandem/common/states.py``, pure data) holds a machine's table of allowed
moves (``from → {to, …}``) and the words it refuses a move with; ``transition`` makes one
move: it checks the table, sets the status, saves the object, writes the dated status-change
row and records the audit event. Each machine keeps its own rules in its service (who may
move it, which moves need a reason, the side effects of arriving somewhere); only what every
machine does alike is written here.

    TRAJECTORY.check(trajectory.status, to_status)      # early, before the machine's own rules
    …
    transition(TRAJECTORY, trajectory, to_status, by=user,
               history=StatusChange, history_fields={"trajectory": trajectory, "on": day},
               audit=Event.TRAJECTORY_STATUS_CHANGED, audit_person=trajectory.person,
               audit_subject={"trajectory": str(trajectory.public_id)})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .states import StateMachine, TransitionNotAllowed  # noqa: F401 (the table the move checks)

if TYPE_CHECKING:
    from tandem.accounts.models import User
    from tandem.registry.models import Person


def _full_save(obj: models.Model) -> None:
    obj.full_clean()
    obj.save()


def transition(
    machine: StateMachine,
    obj: models.Model,
    to_status: str,
    *,
    by: User,
    history: type[models.Model],
    history_fields: Mapping[str, Any],
    save: Callable[[models.Model], None] | None = _full_save,
    audit: Event | None = None,
    audit_person: Person | None = None,
    audit_subject: Mapping[str, Any] | None = None,
    audit_extra: Mapping[str, Any] | None = None,
) -> str:
    """Move ``obj`` (its ``status`` field) to ``to_status``; return the status it had.

    In this order: the machine's table decides; the status is set; ``save`` stores the object
    (by default ``full_clean`` and ``save``; ``None`` leaves saving to the caller, who sets
    more fields first); a ``history`` row records ``from_status``, ``to_status`` and ``by``
    with ``history_fields`` (the object, the day or moment, the reason or note); with
    ``audit``, an audit event records ``{**audit_subject, "from", "to", **audit_extra}``."""
    before: str = obj.status  # type: ignore[attr-defined]
    machine.check(before, to_status)
    obj.status = to_status  # type: ignore[attr-defined]
    if save is not None:
        save(obj)
    history.objects.create(  # type: ignore[attr-defined]
        from_status=before, to_status=to_status, by=by, **history_fields
    )
    if audit is not None:
        audit_event_record(
            actor=by,
            person=audit_person,
            event_type=audit,
            data={**(audit_subject or {}), "from": before, "to": to_status, **(audit_extra or {})},
        )
    return before
