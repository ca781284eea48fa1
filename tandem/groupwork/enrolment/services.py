"""Writes of enrolment: planning a group (an intake moment with its sessions) and moving its
sessions, and the enrolment state machine with placement and the waiting list.

Enrolment states (``ALLOWED``): requested → waiting | placed | declined; waiting → placed |
left; placed → completed | left. Every change is dated, kept in ``EnrolmentChange`` and in the
audit trail. Attendance with the drop-out signal, and what the coach writes for the mediator,
are in ``follow_up``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.transitions import StateMachine, transition
from tandem.notifications import kinds
from tandem.notifications.services import notify
from tandem.programmes.funding.selectors import funding_refusal_for
from tandem.programmes.funding.services import funding_require
from tandem.programmes.models import Funded
from tandem.trajectories.models import Trajectory

from .. import selectors as catalogue
from ..models import (
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    LeaveReason,
    Module,
    Programme,
)
from . import rules, selectors

S = EnrolmentStatus
ALLOWED: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.WAITING, S.PLACED, S.DECLINED}),
    S.WAITING: frozenset({S.PLACED, S.LEFT}),
    S.PLACED: frozenset({S.COMPLETED, S.LEFT}),
    S.COMPLETED: frozenset(),
    S.LEFT: frozenset(),
    S.DECLINED: frozenset(),
}
ENROLMENT = StateMachine(
    table=ALLOWED,
    statuses=EnrolmentStatus,
    refusal=gettext_lazy("An enrolment that is %(from)s cannot become %(to)s."),
    code="transition",
    lower_labels=True,
)


def today() -> dt.date:
    """Today in the site's time zone (the writes here and in ``follow_up`` date by it)."""
    return timezone.localdate()


def not_future(day: dt.date, field: str = "on") -> None:
    """Refuse a date after today, on ``field``."""
    if day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def audit(user: User, enrolment: Enrolment, event: Event, **data: object) -> None:
    """The audit event of a write on an enrolment, on its person's trail."""
    audit_event_record(
        actor=user,
        person=enrolment.trajectory.person,
        event_type=event,
        data={"enrolment": str(enrolment.public_id), **data},
    )


# An enrolment's relations and public id, as a status move leaves them: read from the database
# in the same transaction (the enrolment under lock, the intake among those with room, the
# acting user), so checking each again with a query of its own adds nothing.
_KNOWN_ON_MOVE = ["public_id", "trajectory", "module", "intake", "requested_by", "decided_by"]


def _validate_move(enrolment: Enrolment) -> None:
    """``full_clean`` for an enrolment whose status moved: its own fields and every
    constraint (one open enrolment per module, a place needs a group), without the queries
    that check its known relations and public id one by one."""
    enrolment.clean_fields(exclude=_KNOWN_ON_MOVE)
    enrolment.clean()
    enrolment.validate_constraints()


def _move(enrolment: Enrolment, to: str, *, by: User, on: dt.date, note: str = "") -> None:
    """The status move and its dated row; the caller sets the fields that go with it, then
    validates and saves (``_validate_move``) and records its own audit event."""
    transition(
        ENROLMENT,
        enrolment,
        to,
        by=by,
        history=EnrolmentChange,
        history_fields={"enrolment": enrolment, "on": on, "note": note},
        save=None,
    )


# --- planning a group ------------------------------------------------------------------------


def _require_plan(user: User, programme: Programme) -> None:
    if not catalogue.can_plan(user, programme):
        raise PermissionDenied


@transaction.atomic
def intake_plan(
    *,
    acting_user: User | None,
    module: Module,
    starts_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str,
    coach: User | None = None,
    every_days: int = 7,
) -> IntakeMoment:
    """Plan an intake moment with the module's sessions, one every ``every_days`` days from
    ``starts_on`` at the same time and place; then give its places to the waiting list."""
    programme = module.programme
    if acting_user is not None:
        _require_plan(acting_user, programme)
    if coach is not None and not catalogue.is_coach(coach, programme):
        raise ValidationError({"coach": _("The coach must be one of the programme's coaches.")})
    if not 1 <= every_days <= 31:
        raise ValidationError({"every_days": _("Between 1 and 31 days between sessions.")})
    if IntakeMoment.objects.filter(module=module, starts_on=starts_on).exists():
        raise ValidationError(
            {"starts_on": _("This module already has an intake moment on that day.")}
        )
    intake = IntakeMoment(module=module, starts_on=starts_on)
    intake.full_clean()
    intake.save()
    sessions = [
        GroupSession(
            intake=intake,
            number=number,
            on=starts_on + dt.timedelta(days=every_days * (number - 1)),
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            coach=coach,
        )
        for number in range(1, module.session_count + 1)
    ]
    # The sessions differ only in number and date: the first is checked in full (times,
    # place, coach, constraints); the others' own fields without the same queries again.
    for session in sessions:
        if session.number == 1:
            session.full_clean()
        else:
            session.clean_fields(exclude=["intake", "coach"])
    GroupSession.objects.bulk_create(sessions)
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_INTAKE_PLANNED,
        data={"module": module.pk, "starts_on": starts_on.isoformat()},
    )
    _fill_from_waiting_list(module, by=acting_user, on=min(today(), starts_on))
    return intake


@transaction.atomic
def session_update(
    *,
    acting_user: User,
    session: GroupSession,
    on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str,
    coach: User | None,
) -> GroupSession:
    """Move a session of a group (its day, times, place or coach). The audit event keeps which
    fields changed, with the old and new day, times and coach; of the place (free text) only
    that it changed."""
    programme = session.intake.module.programme
    _require_plan(acting_user, programme)
    if coach is not None and not catalogue.is_coach(coach, programme):
        raise ValidationError({"coach": _("The coach must be one of the programme's coaches.")})
    before = {
        "on": session.on,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "coach": session.coach_id,
        "place": session.place,
    }
    session.on, session.starts_at, session.ends_at = on, starts_at, ends_at
    session.place, session.coach = place, coach
    session.full_clean()
    session.save()
    after = {
        "on": on,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "coach": session.coach_id,
        "place": place,
    }
    changed = sorted(name for name, old in before.items() if after[name] != old)
    moves: dict[str, object] = {
        name: {"from": _plain(before[name]), "to": _plain(after[name])}
        for name in changed
        if name != "place"
    }
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_SESSION_UPDATED,
        data={
            "session": session.pk,
            "intake": session.intake_id,
            "number": session.number,
            "changed": changed,
            **moves,
        },
    )
    return session


def _plain(value: object) -> object:
    """A day or a time as ISO text for the audit event's data; ids and ``None`` as they are."""
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else value


# --- enrolment -------------------------------------------------------------------------------


@transaction.atomic
def enrolment_request(
    *,
    acting_user: User,
    trajectory: Trajectory,
    module: Module,
    note: str = "",
    on: dt.date | None = None,
) -> Enrolment:
    """The mediator asks the partner to take the person into a module."""
    if not has_capability(acting_user, "groupwork.enrol") or not can_write(acting_user, trajectory):
        raise PermissionDenied
    if not module.is_active:
        raise ValidationError({"module": _("This module takes no new participants.")})
    day = on or today()
    not_future(day)
    if Enrolment.objects.filter(
        trajectory=trajectory, module=module, status__in=[S.REQUESTED, S.WAITING, S.PLACED]
    ).exists():
        raise ValidationError({"module": _("This trajectory is already enrolled in this module.")})
    # The programme's project must fund group work for this trajectory's type today (issue 17).
    funding_require(
        project=module.programme.project,
        kind=Funded.GROUP_WORK,
        day=day,
        trajectory_id=trajectory.pk,
        participant_type=trajectory.type,
    )
    enrolment = Enrolment(
        trajectory=trajectory,
        module=module,
        requested_on=day,
        requested_by=acting_user,
        request_note=note.strip(),
    )
    enrolment.full_clean()
    enrolment.save()
    EnrolmentChange.objects.create(
        enrolment=enrolment, to_status=S.REQUESTED, on=day, by=acting_user, note=note.strip()
    )
    audit(acting_user, enrolment, Event.GROUPWORK_REQUESTED, module=module.pk)
    return enrolment


def _group_work_refusal(enrolment: Enrolment, day: dt.date) -> str | None:
    """Why the programme's project may not fund this person's group work from ``day`` (the
    placement, or the group's start when later), or ``None`` (issue 17)."""
    return funding_refusal_for(
        project=enrolment.module.programme.project,
        kind=Funded.GROUP_WORK,
        day=day,
        trajectory_id=enrolment.trajectory_id,
        participant_type=enrolment.trajectory.type,
    )


def _place_or_wait(
    enrolment: Enrolment, *, by: User | None, on: dt.date, refuse: bool = True
) -> bool:
    """Give the enrolment the next intake moment with room, or a place on the waiting list.

    A place in a group the project does not fund (the group starts after the project's or the
    call's end) is refused with the reason, or, with ``refuse=False`` (the waiting list filled
    by itself), not given: the enrolment keeps waiting and ``False`` is returned."""
    capacity = enrolment.module.capacity
    rooms = [
        rules.IntakeRoom(key=pk, starts_on=starts_on, capacity=capacity, taken=taken)
        for pk, starts_on, taken in selectors.intakes_with_room(enrolment.module).values_list(  # type: ignore[misc]
            "pk", "starts_on", "taken"
        )
    ]
    chosen = rules.choose_intake(rooms, on)
    actor = by or enrolment.requested_by
    if chosen is not None:
        starts_on = next(r.starts_on for r in rooms if r.key == chosen)
        refusal = _group_work_refusal(enrolment, max(on, starts_on))
        if refusal:
            if refuse:
                raise ValidationError({"project": ValidationError(refusal, code="not_funded")})
            return False
    if chosen is None:
        if enrolment.status != S.WAITING:
            _move(enrolment, S.WAITING, by=actor, on=on)
            enrolment.waiting_since = timezone.now()
    else:
        _move(enrolment, S.PLACED, by=actor, on=on)
        enrolment.intake_id = chosen
        enrolment.placed_on = on
    _validate_move(enrolment)
    enrolment.save()
    return True


def _fill_from_waiting_list(module: Module, *, by: User | None, on: dt.date) -> None:
    """Places that came free (a new intake moment, someone leaving before the start) go to
    the waiting list in its order."""
    # Lock the module: two decisions at once must not give the same last place twice.
    Module.objects.select_for_update().filter(pk=module.pk).first()
    for enrolment in selectors.waiting_list(module).select_related(
        "module__programme__project__call", "trajectory__person"
    ):
        before = enrolment.status
        if not _place_or_wait(enrolment, by=by, on=on, refuse=False):
            continue  # the project does not fund a place for this one: the next in line
        if enrolment.status == before:
            break  # no room left anywhere: the rest keeps waiting, in order
        audit(by or enrolment.requested_by, enrolment, Event.GROUPWORK_PLACED_FROM_WAITING_LIST)


def _locked(enrolment: Enrolment) -> Enrolment:
    """The enrolment read again under lock, with what its audit event and placement read
    (the trajectory's person, the module's programme) in the same query; only its own row is
    locked."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("trajectory__person", "module__programme__project__call")
        .get(pk=enrolment.pk)
    )


def require_coach(user: User, enrolment: Enrolment) -> None:
    """Only a coach of the enrolment's programme."""
    if not catalogue.is_coach(user, enrolment.module.programme):
        raise PermissionDenied


@transaction.atomic
def enrolment_decide(
    *,
    acting_user: User,
    enrolment: Enrolment,
    accept: bool,
    note: str = "",
    on: dt.date | None = None,
) -> Enrolment:
    """The partner accepts (→ a group or the waiting list) or declines (with a reason)."""
    require_coach(acting_user, enrolment)
    day = on or today()
    not_future(day)
    enrolment = _locked(enrolment)
    if enrolment.status != S.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    enrolment.decided_on, enrolment.decided_by = day, acting_user
    if accept:
        Module.objects.select_for_update().filter(pk=enrolment.module_id).first()
        refusal = _group_work_refusal(enrolment, day)
        if refusal:
            raise ValidationError({"project": ValidationError(refusal, code="not_funded")})
        _place_or_wait(enrolment, by=acting_user, on=day)
        audit(acting_user, enrolment, Event.GROUPWORK_ACCEPTED, status=enrolment.status)
    else:
        if not note.strip():
            raise ValidationError({"note": _("Write why the request is declined.")})
        _move(enrolment, S.DECLINED, by=acting_user, on=day, note=note.strip())
        _validate_move(enrolment)
        enrolment.save()
        audit(acting_user, enrolment, Event.GROUPWORK_DECLINED)
    notify(
        recipients=[enrolment.requested_by, enrolment.trajectory.lead_mediator],
        kind=kinds.ENROLMENT_ACCEPTED if accept else kinds.ENROLMENT_DECLINED,
        url=reverse("groupwork:enrolment_detail", args=[enrolment.public_id]),
        person=enrolment.trajectory.person,
        actor=acting_user,
        at=day,
    )
    return enrolment


@transaction.atomic
def enrolment_leave(
    *,
    acting_user: User,
    enrolment: Enrolment,
    reason: str,
    note: str = "",
    on: dt.date | None = None,
) -> Enrolment:
    """Leave the waiting list or the group, with a reason. A place freed before the group
    starts goes to the first on the waiting list."""
    if not (
        catalogue.is_coach(acting_user, enrolment.module.programme)
        or (
            has_capability(acting_user, "groupwork.enrol")
            and can_write(acting_user, enrolment.trajectory)
        )
    ):
        raise PermissionDenied
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": _("Choose a reason for leaving.")})
    if reason == LeaveReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Write the reason for leaving.")})
    day = on or today()
    not_future(day)
    enrolment = _locked(enrolment)
    if enrolment.requested_on > day:
        raise ValidationError({"on": _("Leaving cannot be before the request.")})
    freed = enrolment.status == S.PLACED and enrolment.intake.starts_on > day  # type: ignore[union-attr]
    _move(enrolment, S.LEFT, by=acting_user, on=day, note=note.strip())
    enrolment.ended_on = day
    enrolment.leave_reason = reason
    enrolment.leave_note = note.strip()
    if freed:
        # Nobody started in this group: the place is not used, give it on.
        enrolment.intake = None
        enrolment.placed_on = None
    _validate_move(enrolment)
    enrolment.save()
    audit(acting_user, enrolment, Event.GROUPWORK_LEFT, reason=reason)
    if freed:
        _fill_from_waiting_list(enrolment.module, by=acting_user, on=day)
    return enrolment


@transaction.atomic
def enrolment_complete(
    *, acting_user: User, enrolment: Enrolment, on: dt.date | None = None
) -> Enrolment:
    require_coach(acting_user, enrolment)
    day = on or today()
    not_future(day)
    enrolment = _locked(enrolment)
    if enrolment.intake is not None and enrolment.intake.starts_on > day:
        raise ValidationError({"on": _("The group has not started yet.")})
    _move(enrolment, S.COMPLETED, by=acting_user, on=day)
    enrolment.ended_on = day
    _validate_move(enrolment)
    enrolment.save()
    audit(acting_user, enrolment, Event.GROUPWORK_COMPLETED)
    return enrolment
