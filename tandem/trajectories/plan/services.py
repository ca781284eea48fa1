"""Writes of the plan: goals per life domain, their actions (done, dropped with a reason, or
open again) and contacts or notes, with the next contact planned. Only those who may change
the trajectory write them (``tandem.access.scope.can_write``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import Action, ActionOwner, ActionStatus, Contact, Goal, Trajectory


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
def contact_record(
    *,
    acting_user: User,
    trajectory: Trajectory,
    kind: str,
    on: dt.date,
    text: str = "",
    place: str = "",
    domain: str = "",
    next_contact_on: dt.date | None = None,
) -> Contact:
    """Record a contact or a note, and optionally when the next contact is planned."""
    _require_write(acting_user, trajectory)
    if on > timezone.localdate():
        raise ValidationError({"on": _("A contact that took place cannot be in the future.")})
    contact = Contact(
        trajectory=trajectory,
        kind=kind,
        on=on,
        text=text.strip(),
        place=place.strip(),
        domain=domain,
        author=acting_user,
    )
    contact.full_clean()
    contact.save()
    if next_contact_on is not None:
        if next_contact_on < on:
            raise ValidationError(
                {"next_contact_on": _("The next contact cannot lie before this one.")}
            )
        trajectory.next_contact_on = next_contact_on
        trajectory.save(update_fields=["next_contact_on", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.CONTACT_RECORDED,
        data={
            "trajectory": str(trajectory.public_id),
            "kind": kind,
            "special_category": contact.is_special_category,
        },
    )
    return contact
