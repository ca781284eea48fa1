"""Writes of the plan: goals per life domain, their actions (done, dropped with a reason, or
open again) and contacts or notes; planned contacts (a date and a time) and their moves
(held, cancelled, did not come: ``CONTACT``, one transition service). Only those who may
change the trajectory write them (``tandem.access.scope.can_write``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.states import StateMachine
from tandem.common.transitions import transition

from ..models import (
    CONTACT_TRANSITIONS,
    Action,
    ActionOwner,
    ActionStatus,
    Contact,
    ContactKind,
    ContactStatus,
    ContactStatusChange,
    Goal,
    Trajectory,
)

CONTACT = StateMachine(
    table=CONTACT_TRANSITIONS,
    statuses=ContactStatus,
    refusal=gettext_lazy("A contact cannot go from “%(from)s” to “%(to)s”."),
    lower_labels=True,
)


def _require_write(user: User, trajectory: Trajectory) -> None:
    if not can_write(user, trajectory):
        raise PermissionDenied


@transaction.atomic
def goal_create(
    *, acting_user: User, trajectory: Trajectory, domain: str, description: str
) -> Goal:
    _require_write(acting_user, trajectory)
    goal = Goal(
        trajectory=trajectory,
        domain=domain,
        description=description.strip(),
        created_by=acting_user,
    )
    goal.full_clean()
    goal.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.PLAN_GOAL_CREATED,
        data={"trajectory": str(trajectory.public_id), "domain": domain},
    )
    return goal


@transaction.atomic
def action_create(
    *, acting_user: User, goal: Goal, description: str, owner: str, due_on: dt.date | None = None
) -> Action:
    _require_write(acting_user, goal.trajectory)
    if owner == ActionOwner.WELFARE_PARTNER and goal.trajectory.welfare_partner_id is None:
        raise ValidationError({"owner": _("There is no welfare partner in this trajectory.")})
    action = Action(goal=goal, description=description.strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_event_record(
        actor=acting_user,
        person=goal.trajectory.person,
        event_type=Event.PLAN_ACTION_CREATED,
        data={"trajectory": str(goal.trajectory.public_id), "action": action.pk, "owner": owner},
    )
    return action


@transaction.atomic
def action_set_status(
    *, acting_user: User, action: Action, status: str, on: dt.date | None = None, reason: str = ""
) -> Action:
    """Mark an action done or dropped (with a reason), or open it again."""
    _require_write(acting_user, action.goal.trajectory)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    action.status = status
    action.done_on = (on or timezone.localdate()) if status == ActionStatus.DONE else None
    action.dropped_reason = reason.strip() if status == ActionStatus.DROPPED else ""
    if status == ActionStatus.DROPPED and not action.dropped_reason:
        raise ValidationError({"reason": _("Write why the action is dropped.")})
    action.full_clean()
    action.save()
    audit_event_record(
        actor=acting_user,
        person=action.goal.trajectory.person,
        event_type=Event.PLAN_ACTION_STATUS,
        data={
            "trajectory": str(action.goal.trajectory.public_id),
            "action": action.pk,
            "status": status,
        },
    )
    return action


@transaction.atomic
def contact_plan(
    *,
    acting_user: User,
    trajectory: Trajectory,
    kind: str,
    on: dt.date,
    at: dt.time,
    minutes: int | None = None,
    place: str = "",
    purpose: str = "",
) -> Contact:
    """Plan a contact with the person on a day at a time (the agenda; the trajectory's next
    contact is its earliest planned one). A note is never planned."""
    _require_write(acting_user, trajectory)
    if kind == ContactKind.NOTE:
        raise ValidationError(
            {"kind": _("A note is written, not planned: choose a kind of contact.")}
        )
    if at is None:
        raise ValidationError({"at": _("Enter the time of the contact.")})
    contact = Contact(
        trajectory=trajectory,
        kind=kind,
        status=ContactStatus.PLANNED,
        on=on,
        at=at,
        minutes=minutes,
        place=place.strip(),
        purpose=purpose.strip(),
        author=acting_user,
    )
    contact.full_clean()
    contact.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.CONTACT_PLANNED,
        data={
            "trajectory": str(trajectory.public_id),
            "contact": contact.pk,
            "kind": kind,
            "on": on.isoformat(),
            "at": at.strftime("%H:%M"),
        },
    )
    return contact


@transaction.atomic
def contact_set_status(
    *, acting_user: User, contact: Contact, status: str, reason: str = ""
) -> Contact:
    """Mark a planned contact cancelled or missed (the person did not come), with an optional
    reason. Held is ``contact_record`` with ``planned``: it needs the note."""
    contact = (
        Contact.objects.select_for_update().select_related("trajectory__person").get(pk=contact.pk)
    )
    _require_write(acting_user, contact.trajectory)
    if status == ContactStatus.HELD:
        raise ValidationError({"status": _("Record the contact to mark it held.")})
    CONTACT.check(contact.status, status)
    _move(acting_user, contact, status, reason)
    return contact


def _move(acting_user: User, contact: Contact, status: str, reason: str = "") -> None:
    transition(
        CONTACT,
        contact,
        status,
        by=acting_user,
        history=ContactStatusChange,
        history_fields={"contact": contact, "reason": reason.strip()},
        audit=Event.CONTACT_STATUS_CHANGED,
        audit_person=contact.trajectory.person,
        audit_subject={"trajectory": str(contact.trajectory.public_id), "contact": contact.pk},
    )


@transaction.atomic
def contact_record(
    *,
    acting_user: User,
    trajectory: Trajectory,
    kind: str,
    on: dt.date,
    text: str = "",
    place: str = "",
    domain: str = "",
    planned: Contact | None = None,
    next_on: dt.date | None = None,
    next_at: dt.time | None = None,
    next_kind: str = "",
) -> Contact:
    """Record a contact that took place, or a note. With ``planned`` (a planned contact of the
    trajectory), that contact is the one held: it moves to held with this date, kind, place
    and note. With ``next_on`` and ``next_at`` the next contact is planned (``next_kind``)."""
    _require_write(acting_user, trajectory)
    if on > timezone.localdate():
        raise ValidationError({"on": _("A contact that took place cannot be in the future.")})
    if next_on is not None and next_on < on:
        raise ValidationError({"next_on": _("The next contact cannot lie before this one.")})
    if (next_on is None) != (next_at is None):
        raise ValidationError(
            {
                "next_at" if next_at is None else "next_on": _(
                    "Give the next contact a date and a time."
                )
            }
        )
    if next_on is not None and not next_kind:
        raise ValidationError({"next_kind": _("Choose the kind of the next contact.")})
    if planned is not None:
        if planned.trajectory_id != trajectory.pk:
            raise ValidationError({"planned": _("This planned contact is not of this trajectory.")})
        if kind == ContactKind.NOTE:
            raise ValidationError({"kind": _("A planned contact is held, not a note.")})
        contact = Contact.objects.select_for_update().get(pk=planned.pk)
        CONTACT.check(contact.status, ContactStatus.HELD)
        contact.kind = kind
        contact.on = on
        contact.text = text.strip()
        contact.place = place.strip() or contact.place
        contact.domain = domain
        contact.trajectory = trajectory
        _move(acting_user, contact, ContactStatus.HELD)
    else:
        contact = Contact(
            trajectory=trajectory,
            kind=kind,
            status=ContactStatus.HELD,
            on=on,
            text=text.strip(),
            place=place.strip(),
            domain=domain,
            author=acting_user,
        )
        contact.full_clean()
        contact.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.CONTACT_RECORDED,
        data={
            "trajectory": str(trajectory.public_id),
            "kind": kind,
            "special_category": contact.is_special_category,
            "planned": planned is not None,
        },
    )
    if next_on is not None and next_at is not None:
        contact_plan(
            acting_user=acting_user,
            trajectory=trajectory,
            kind=next_kind,
            on=next_on,
            at=next_at,
        )
    return contact


@transaction.atomic
def contacts_cancel_planned(*, acting_user: User, trajectory: Trajectory, reason: str) -> int:
    """Cancel every planned contact of the trajectory (when it closes); return how many."""
    n = 0
    for contact in trajectory.contacts.filter(status=ContactStatus.PLANNED).select_related(
        "trajectory__person"
    ):
        _move(acting_user, contact, ContactStatus.CANCELLED, reason)
        n += 1
    return n
