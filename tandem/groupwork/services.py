"""Writes of group work: the catalogue (programmes, modules, intake moments, sessions), the
enrolment state machine with placement and the waiting list, attendance with the drop-out
signal, and what the coach writes for the mediator.

Enrolment states (``ALLOWED``): requested → waiting | placed | declined; waiting → placed |
left; placed → completed | left. Every change is dated, kept in ``EnrolmentChange`` and in the
audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.transitions import StateMachine, transition
from tandem.programmes.models import Project
from tandem.trajectories.models import PopReport, Trajectory
from tandem.trajectories.selectors import can_write

from . import rules, selectors
from .models import (
    Attendance,
    AttendanceStatus,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    LeaveReason,
    Module,
    PopInput,
    Programme,
)

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


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date, field: str = "on") -> None:
    if day > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _audit(user: User, enrolment: Enrolment, event: Event, **data: object) -> None:
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


# --- the catalogue ---------------------------------------------------------------------------


def _require_plan(user: User, programme: Programme) -> None:
    if not selectors.can_plan(user, programme):
        raise PermissionDenied


@transaction.atomic
def programme_save(
    *,
    acting_user: User | None,
    project: Project,
    name: str,
    province: str,
    programme: Programme | None = None,
    coaches: Iterable[User] | None = None,
    dropout_after: int | None = None,
    description: str = "",
) -> Programme:
    """Create or change a programme: run by the project's promoter, in one province."""
    if acting_user is not None and not has_capability(acting_user, "groupwork.manage_programmes"):
        raise PermissionDenied
    programme = programme or Programme()
    created = programme.pk is None
    programme.project = project
    programme.promoter_id = project.promoter_id
    programme.name = name
    programme.province = province
    programme.dropout_after = dropout_after
    programme.description = description
    programme.full_clean()
    programme.save()
    if coaches is not None:
        coaches = list(coaches)
        not_coach = [c for c in coaches if not has_capability(c, "groupwork.coach")]
        if not_coach:
            raise ValidationError({"coaches": _("Only group coaches can run a programme.")})
        programme.coaches.set(coaches)
    audit_event_record(
        actor=acting_user,
        organisation=project.promoter,
        event_type=Event.GROUPWORK_PROGRAMME_CREATED
        if created
        else Event.GROUPWORK_PROGRAMME_UPDATED,
        data={"programme": programme.pk, "project": project.code},
    )
    return programme


@transaction.atomic
def module_save(
    *,
    acting_user: User | None,
    programme: Programme,
    name: str,
    theme: str,
    session_count: int,
    capacity: int | None = None,
    description: str = "",
    is_active: bool = True,
    module: Module | None = None,
) -> Module:
    if acting_user is not None:
        _require_plan(acting_user, programme)
    module = module or Module(programme=programme)
    if module.programme_id != programme.pk:
        raise PermissionDenied
    module.name = name
    module.theme = theme
    module.session_count = session_count
    if capacity is not None:
        module.capacity = capacity
    module.description = description
    module.is_active = is_active
    module.full_clean()
    module.save()
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_MODULE_SAVED,
        data={"module": module.pk, "programme": programme.pk},
    )
    return module


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
    if coach is not None and not selectors.is_coach(coach, programme):
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
    _fill_from_waiting_list(module, by=acting_user, on=min(_today(), starts_on))
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
    programme = session.intake.module.programme
    _require_plan(acting_user, programme)
    if coach is not None and not selectors.is_coach(coach, programme):
        raise ValidationError({"coach": _("The coach must be one of the programme's coaches.")})
    session.on, session.starts_at, session.ends_at = on, starts_at, ends_at
    session.place, session.coach = place, coach
    session.full_clean()
    session.save()
    return session


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
    day = on or _today()
    _not_future(day)
    if Enrolment.objects.filter(
        trajectory=trajectory, module=module, status__in=[S.REQUESTED, S.WAITING, S.PLACED]
    ).exists():
        raise ValidationError({"module": _("This trajectory is already enrolled in this module.")})
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
    _audit(acting_user, enrolment, Event.GROUPWORK_REQUESTED, module=module.pk)
    return enrolment


def _place_or_wait(enrolment: Enrolment, *, by: User | None, on: dt.date) -> None:
    """Give the enrolment the next intake moment with room, or a place on the waiting list."""
    capacity = enrolment.module.capacity
    rooms = [
        rules.IntakeRoom(key=pk, starts_on=starts_on, capacity=capacity, taken=taken)
        for pk, starts_on, taken in selectors.intakes_with_room(enrolment.module).values_list(  # type: ignore[misc]
            "pk", "starts_on", "taken"
        )
    ]
    chosen = rules.choose_intake(rooms, on)
    actor = by or enrolment.requested_by
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


def _fill_from_waiting_list(module: Module, *, by: User | None, on: dt.date) -> None:
    """Places that came free (a new intake moment, someone leaving before the start) go to
    the waiting list in its order."""
    # Lock the module: two decisions at once must not give the same last place twice.
    Module.objects.select_for_update().filter(pk=module.pk).first()
    for enrolment in selectors.waiting_list(module).select_related("module", "trajectory__person"):
        before = enrolment.status
        _place_or_wait(enrolment, by=by, on=on)
        if enrolment.status == before:
            break  # no room left anywhere: the rest keeps waiting, in order
        _audit(by or enrolment.requested_by, enrolment, Event.GROUPWORK_PLACED_FROM_WAITING_LIST)


def _locked(enrolment: Enrolment) -> Enrolment:
    """The enrolment read again under lock, with what its audit event and placement read
    (the trajectory's person, the module's programme) in the same query; only its own row is
    locked."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("trajectory__person", "module__programme")
        .get(pk=enrolment.pk)
    )


def _require_coach(user: User, enrolment: Enrolment) -> None:
    if not selectors.is_coach(user, enrolment.module.programme):
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
    _require_coach(acting_user, enrolment)
    day = on or _today()
    _not_future(day)
    enrolment = _locked(enrolment)
    if enrolment.status != S.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    enrolment.decided_on, enrolment.decided_by = day, acting_user
    if accept:
        Module.objects.select_for_update().filter(pk=enrolment.module_id).first()
        _place_or_wait(enrolment, by=acting_user, on=day)
        _audit(acting_user, enrolment, Event.GROUPWORK_ACCEPTED, status=enrolment.status)
    else:
        if not note.strip():
            raise ValidationError({"note": _("Write why the request is declined.")})
        _move(enrolment, S.DECLINED, by=acting_user, on=day, note=note.strip())
        _validate_move(enrolment)
        enrolment.save()
        _audit(acting_user, enrolment, Event.GROUPWORK_DECLINED)
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
        selectors.is_coach(acting_user, enrolment.module.programme)
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
    day = on or _today()
    _not_future(day)
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
    _audit(acting_user, enrolment, Event.GROUPWORK_LEFT, reason=reason)
    if freed:
        _fill_from_waiting_list(enrolment.module, by=acting_user, on=day)
    return enrolment


@transaction.atomic
def enrolment_complete(
    *, acting_user: User, enrolment: Enrolment, on: dt.date | None = None
) -> Enrolment:
    _require_coach(acting_user, enrolment)
    day = on or _today()
    _not_future(day)
    enrolment = _locked(enrolment)
    if enrolment.intake is not None and enrolment.intake.starts_on > day:
        raise ValidationError({"on": _("The group has not started yet.")})
    _move(enrolment, S.COMPLETED, by=acting_user, on=day)
    enrolment.ended_on = day
    _validate_move(enrolment)
    enrolment.save()
    _audit(acting_user, enrolment, Event.GROUPWORK_COMPLETED)
    return enrolment


# --- attendance and the drop-out signal ------------------------------------------------------


def session_participants(session: GroupSession) -> list[Enrolment]:
    """Who belongs in a session: everyone placed in its group, and those who completed or
    left after it (their attendance that day still counts)."""
    qs = (
        Enrolment.objects.filter(intake_id=session.intake_id, status__in=selectors.PLACE_HOLDING)
        .exclude(ended_on__lt=session.on)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person")
        .order_by("trajectory__person__first_name", "trajectory__person__last_name", "pk")
    )
    return list(qs)


@transaction.atomic
def attendance_record(
    *, acting_user: User, session: GroupSession, statuses: Mapping[int, str]
) -> list[Enrolment]:
    """Record who was present, excused or absent (keyed by enrolment id); returns the
    enrolments that got a new drop-out signal."""
    programme = session.intake.module.programme
    if not selectors.is_coach(acting_user, programme):
        raise PermissionDenied
    if session.on > _today():
        raise ValidationError(_("Attendance is taken on or after the session's day."))
    participants = {e.pk: e for e in session_participants(session)}
    unknown = set(statuses) - set(participants)
    if unknown:
        raise ValidationError(_("Someone in the list is not in this group."), code="not_in_group")
    bad = [k for k, v in statuses.items() if v not in AttendanceStatus.values]
    if bad:
        raise ValidationError(_("Choose present, excused or absent for everyone."))
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    new, changed = [], []
    for enrolment_id, status in statuses.items():
        row = existing.get(enrolment_id)
        if row is None:
            new.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    recorded_by=acting_user,
                )
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, acting_user, timezone.now()
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_ATTENDANCE_RECORDED,
        data={"session": session.pk, "count": len(statuses)},
    )
    threshold = programme.dropout_threshold
    candidates = [
        participants[k]
        for k in statuses
        if participants[k].dropout_flagged_on is None and participants[k].status == S.PLACED
    ]
    history: dict[int, list[str]] = {e.pk: [] for e in candidates}
    for enrolment_id, status in Attendance.objects.filter(enrolment__in=candidates).values_list(
        "enrolment_id", "status"
    ):
        history[enrolment_id].append(status)
    flagged = []
    for enrolment in candidates:
        if rules.dropout_due(history[enrolment.pk], threshold):
            enrolment.dropout_flagged_on = session.on
            enrolment.save(update_fields=["dropout_flagged_on", "updated_at"])
            _audit(
                acting_user,
                enrolment,
                Event.GROUPWORK_DROPOUT_SIGNAL,
                absences=rules.unexcused_absences(history[enrolment.pk]),
            )
            flagged.append(enrolment)
    return flagged


@transaction.atomic
def dropout_acknowledge(
    *, acting_user: User, enrolment: Enrolment, on: dt.date | None = None
) -> Enrolment:
    """The mediator has seen the signal (and talks with the person about what next)."""
    if not (
        has_capability(acting_user, "groupwork.enrol")
        and can_write(acting_user, enrolment.trajectory)
    ):
        raise PermissionDenied
    if enrolment.dropout_flagged_on is None:
        raise ValidationError(_("There is no drop-out signal."))
    enrolment.dropout_acknowledged_on = on or _today()
    enrolment.save(update_fields=["dropout_acknowledged_on", "updated_at"])
    _audit(acting_user, enrolment, Event.GROUPWORK_DROPOUT_ACKNOWLEDGED)
    return enrolment


# --- the coach writes for the mediator -------------------------------------------------------


def _require_writing_coach(user: User, enrolment: Enrolment) -> None:
    _require_coach(user, enrolment)
    if enrolment.status not in (S.PLACED, S.COMPLETED, S.WAITING):
        raise ValidationError(_("Only for participants of the group."), code="not_participant")


@transaction.atomic
def note_write(
    *, acting_user: User, enrolment: Enrolment, text: str, on: dt.date | None = None
) -> CoachNote:
    _require_writing_coach(acting_user, enrolment)
    if not text.strip():
        raise ValidationError({"text": _("Write the observation.")})
    day = on or _today()
    _not_future(day)
    note = CoachNote(enrolment=enrolment, author=acting_user, written_on=day, text=text.strip())
    note.full_clean()
    note.save()
    _audit(acting_user, enrolment, Event.GROUPWORK_NOTE_WRITTEN)
    return note


@transaction.atomic
def pop_input_write(
    *,
    acting_user: User,
    enrolment: Enrolment,
    job_target: str = "",
    perspective: str = "",
    work_plan: str = "",
    welfare_plan: str = "",
    strengths: str = "",
    on: dt.date | None = None,
) -> PopInput:
    _require_writing_coach(acting_user, enrolment)
    fields = {
        "job_target": job_target.strip(),
        "perspective": perspective,
        "work_plan": work_plan.strip(),
        "welfare_plan": welfare_plan.strip(),
        "strengths": strengths.strip(),
    }
    if not any(fields.values()):
        raise ValidationError(_("Fill in at least one part of the POP input."))
    day = on or _today()
    _not_future(day)
    pop_input = PopInput(enrolment=enrolment, author=acting_user, written_on=day, **fields)
    pop_input.full_clean()
    pop_input.save()
    _audit(acting_user, enrolment, Event.GROUPWORK_POP_INPUT_WRITTEN)
    return pop_input


@transaction.atomic
def pop_input_adopt(*, acting_user: User, pop_input: PopInput) -> PopReport:
    """The mediator takes the group's POP input into the POP: into the open draft (filling the
    parts the input gives), or into a new version when the latest is signed off."""
    from tandem.trajectories.services_pop import pop_draft, pop_update

    enrolment = pop_input.enrolment
    trajectory = enrolment.trajectory
    if not (has_capability(acting_user, "groupwork.enrol") and can_write(acting_user, trajectory)):
        raise PermissionDenied
    if pop_input.adopted_into_id is not None:
        raise ValidationError(_("This input is already in the POP."), code="adopted")
    given = {
        "job_target": pop_input.job_target or None,
        "perspective": pop_input.perspective or None,
        "work_plan": pop_input.work_plan or None,
        "welfare_plan": pop_input.welfare_plan or None,
    }
    latest = trajectory.pops.order_by("-version").first()
    if latest is not None and latest.signed_off_on is None:
        pop = pop_update(
            acting_user=acting_user,
            pop=latest,
            **{field: value or getattr(latest, field) for field, value in given.items()},
        )
    else:
        if latest is None and given["perspective"] is None:
            raise ValidationError(
                _("The first POP needs a participation perspective: add it in the POP itself."),
                code="perspective",
            )
        pop = pop_draft(acting_user=acting_user, trajectory=trajectory, **given)
    pop_input.adopted_into = pop
    pop_input.save(update_fields=["adopted_into", "updated_at"])
    _audit(acting_user, enrolment, Event.GROUPWORK_POP_INPUT_ADOPTED, pop_version=pop.version)
    return pop
