"""Reads of enrolments, groups (intake moments), sessions and attendance.

Enrolments are reached two ways only: a coach through the programmes they coach, a mediator or
welfare partner through the trajectories they see (``enrolment_queryset_for``, scoped by
``tandem.access``). A group, its sessions and its attendance list are the coach's; a session's
date, time and place also the planner's (``can_plan``). Every lookup by id goes through one of
the scoped ``*_get_for`` functions here: what is out of scope is a 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from tandem.access.capabilities import has_capability
from tandem.access.scope import duo_q, trajectory_queryset_for
from tandem.accounts.models import User

from ..models import (
    OPEN_ENROLMENT_STATUSES,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    Module,
    PopInput,
)
from ..selectors import PLACE_HOLDING, places_taken

# --- the enrolment scope ---------------------------------------------------------------------


def enrolment_queryset_for(user: User) -> QuerySet[Enrolment]:
    """The enrolments a user may see: a coach those of the programmes they coach; a mediator or
    welfare partner those of the trajectories they see. Erased persons have none."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    allowed = Q(pk__in=[])
    if has_capability(user, "groupwork.coach"):
        allowed |= Q(module__programme__coaches=user)
    if has_capability(user, "groupwork.view_via_trajectory"):
        allowed |= Q(trajectory__in=trajectory_queryset_for(user))
    return Enrolment.objects.filter(allowed).exclude(trajectory__person__first_name="").distinct()


def enrolment_get_for(user: User, public_id: uuid.UUID | str) -> Enrolment:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = enrolment_queryset_for(user).select_related(
        "trajectory__person",
        "trajectory__lead_mediator",
        "trajectory__organisation",
        "module__programme",
        "intake",
        "requested_by",
    )
    try:
        return qs.get(public_id=key)
    except Enrolment.DoesNotExist as exc:
        raise Http404 from exc


def is_trajectory_side(user: User, enrolment: Enrolment) -> bool:
    """The mediator or welfare partner who sees the enrolment through its trajectory."""
    if not has_capability(user, "groupwork.view_via_trajectory"):
        return False
    return trajectory_queryset_for(user).filter(pk=enrolment.trajectory_id).exists()


def pop_input_get_for(user: User, pk: int) -> PopInput:
    """A coach's POP input, reached through the enrolments the user sees (404 otherwise)."""
    try:
        return PopInput.objects.select_related("enrolment").get(
            pk=pk, enrolment__in=enrolment_queryset_for(user)
        )
    except PopInput.DoesNotExist as exc:
        raise Http404 from exc


# --- groups and sessions ---------------------------------------------------------------------


def coached_intake_get_for(user: User, pk: int) -> IntakeMoment:
    """A group of a programme the user coaches; another programme's group is a 404 (not even
    its existence shows)."""
    if not has_capability(user, "groupwork.coach"):
        raise Http404
    try:
        return IntakeMoment.objects.select_related("module__programme").get(
            pk=pk, module__programme__coaches=user
        )
    except IntakeMoment.DoesNotExist as exc:
        raise Http404 from exc


def _session_get(pk: int, allowed: Q | None) -> GroupSession:
    """The session ``pk`` if ``allowed`` lets it through; ``None``: nothing is."""
    if allowed is None:
        raise Http404
    try:
        return GroupSession.objects.select_related("intake__module__programme").get(allowed, pk=pk)
    except GroupSession.DoesNotExist as exc:
        raise Http404 from exc


def coached_session_get_for(user: User, pk: int) -> GroupSession:
    """A session of a programme the user coaches (its attendance list); 404 otherwise."""
    coached = Q(intake__module__programme__coaches=user)
    return _session_get(pk, coached if has_capability(user, "groupwork.coach") else None)


def planned_session_get_for(user: User, pk: int) -> GroupSession:
    """A session the user may move (``can_plan``): any, for a programme manager; those of the
    programmes they coach, for a coach; 404 otherwise."""
    if has_capability(user, "programme.oversee"):
        return _session_get(pk, Q())
    coached = Q(intake__module__programme__coaches=user)
    return _session_get(pk, coached if has_capability(user, "groupwork.coach") else None)


def intake_enrolment_count(intake: IntakeMoment) -> int:
    """The enrolments placed in a group (a new one: those the waiting list gave it)."""
    return intake.enrolments.count()


def intake_sessions(intake: IntakeMoment) -> list[GroupSession]:
    """The group's sessions, each with ``recorded`` (attendance rows) and ``present``."""
    return list(
        intake.sessions.select_related("coach").annotate(
            recorded=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status="present")),
        )
    )


def intake_participants(intake: IntakeMoment) -> list[Enrolment]:
    """Who has held a place in the group, by name, each with ``absences`` and ``presences``."""
    return list(
        intake.enrolments.filter(status__in=PLACE_HOLDING)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "trajectory__lead_mediator")
        .annotate(
            absences=Count("attendance", filter=Q(attendance__status="absent")),
            presences=Count("attendance", filter=Q(attendance__status="present")),
        )
        .order_by("trajectory__person__first_name", "trajectory__person__last_name")
    )


def session_participants(session: GroupSession) -> list[Enrolment]:
    """Who belongs in a session: everyone placed in its group, and those who completed or
    left after it (their attendance that day still counts)."""
    qs = (
        Enrolment.objects.filter(intake_id=session.intake_id, status__in=PLACE_HOLDING)
        .exclude(ended_on__lt=session.on)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person")
        .order_by("trajectory__person__first_name", "trajectory__person__last_name", "pk")
    )
    return list(qs)


def attendance_recorded(session: GroupSession) -> dict[int, str]:
    """What is recorded for a session: its status per enrolment id."""
    return dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))


def coach_sessions(user: User) -> QuerySet[GroupSession]:
    """The sessions of the programmes a coach runs (the home page, the inbox)."""
    return GroupSession.objects.filter(intake__module__programme__coaches=user).select_related(
        "intake__module__programme", "coach"
    )


def coach_sessions_around(
    user: User, day: dt.date, days: int = 7, limit: int = 10
) -> list[GroupSession]:
    """The coach's sessions from ``days`` before ``day`` to ``days`` after it, in time order
    (the home page)."""
    return list(
        coach_sessions(user)
        .filter(on__gte=day - dt.timedelta(days=days), on__lte=day + dt.timedelta(days=days))
        .order_by("on", "starts_at")[:limit]
    )


def coach_upcoming_sessions(user: User, today: dt.date, limit: int = 8) -> list[GroupSession]:
    """The coach's next sessions, from today on (the inbox)."""
    return list(coach_sessions(user).filter(on__gte=today).order_by("on", "starts_at")[:limit])


def coach_sessions_attendance_due(
    user: User, today: dt.date, days: int = 30, limit: int = 20
) -> list[GroupSession]:
    """The coach's sessions whose attendance is to be taken (the home page): today's, and those
    of the last ``days`` days without any attendance recorded, today's first, then the most
    recent. One query."""
    return list(
        coach_sessions(user)
        .filter(on__lte=today, on__gte=today - dt.timedelta(days=days))
        .filter(Q(on=today) | Q(attendance__isnull=True))
        .distinct()
        .order_by("-on", "starts_at", "pk")[:limit]
    )


def coach_dropout_signals(user: User, limit: int = 20) -> list[Enrolment]:
    """Open drop-out signals in the groups a coach runs (the home page): participants whose
    absences raised a signal the mediator has not yet seen, the oldest signal first. One
    query; another coach's groups never appear."""
    if not has_capability(user, "groupwork.coach"):
        return []
    return list(
        Enrolment.objects.filter(
            module__programme__coaches=user,
            dropout_flagged_on__isnull=False,
            dropout_acknowledged_on__isnull=True,
            status__in=OPEN_ENROLMENT_STATUSES,
        )
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "trajectory__lead_mediator", "module")
        .order_by("dropout_flagged_on", "pk")[:limit]
    )


def coach_sessions_to_record(user: User, today: dt.date, limit: int = 8) -> list[GroupSession]:
    """The coach's sessions of the last 30 days without any attendance recorded, the latest
    first (the inbox)."""
    return list(
        coach_sessions(user)
        .filter(on__lte=today, on__gte=today - dt.timedelta(days=30), attendance__isnull=True)
        .order_by("-on")[:limit]
    )


# --- placement and the waiting list ----------------------------------------------------------


def intakes_with_room(module: Module) -> QuerySet[IntakeMoment]:
    """The module's intake moments, each with ``taken``: the places given (placed, completed or
    left after being placed)."""
    return module.intakes.annotate(taken=places_taken()).order_by("starts_on", "pk")


def waiting_list(module: Module) -> QuerySet[Enrolment]:
    """The module's waiting list in its order (first come, first placed)."""
    return module.enrolments.filter(status=EnrolmentStatus.WAITING).order_by("waiting_since", "pk")


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waiting list; ``None`` when not waiting."""
    if enrolment.status != EnrolmentStatus.WAITING or enrolment.waiting_since is None:
        return None
    ahead = (
        Enrolment.objects.filter(module_id=enrolment.module_id, status=EnrolmentStatus.WAITING)
        .filter(
            Q(waiting_since__lt=enrolment.waiting_since)
            | Q(waiting_since=enrolment.waiting_since, pk__lt=enrolment.pk)
        )
        .count()
    )
    return ahead + 1


def requests_for(user: User) -> QuerySet[Enrolment]:
    """The coach's inbox: requests waiting for a decision in the programmes they coach."""
    if not has_capability(user, "groupwork.coach"):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(module__programme__coaches=user, status=EnrolmentStatus.REQUESTED)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "module__programme", "requested_by")
        .order_by("requested_on", "pk")
    )


def waiting_lists_for(user: User) -> list[Enrolment]:
    """The waiting lists of the programmes a coach runs, module by module in their order, each
    enrolment with its ``position`` on its module's list."""
    waiting = list(
        Enrolment.objects.filter(module__programme__coaches=user, status=EnrolmentStatus.WAITING)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "module__programme")
        .order_by("module__programme__name", "module__name", "waiting_since", "pk")
    )
    position = 0
    previous = None
    for enrolment in waiting:
        position = position + 1 if enrolment.module_id == previous else 1
        previous = enrolment.module_id
        enrolment.position = position  # type: ignore[attr-defined]
    return waiting


# --- what the pages around an enrolment show -------------------------------------------------


def enrolment_records(enrolment: Enrolment) -> dict[str, Any]:
    """The participant page's reads: the group's first session, attendance (with the
    unexcused absences), the status changes, the coach's notes and POP input, and the network
    maps by moment."""
    first_session = None
    if enrolment.intake_id:
        first_session = enrolment.intake.sessions.aggregate(first=Min("on"))["first"]  # type: ignore[union-attr]
    attendance_rows = list(
        enrolment.attendance.select_related("session").order_by("session__on", "session__number")
    )
    return {
        "first_session": first_session,
        "attendance": attendance_rows,
        "absences": sum(1 for a in attendance_rows if a.status == "absent"),
        "changes": list(enrolment.changes.select_related("by")),
        "notes": list(enrolment.notes.select_related("author")),
        "pop_inputs": list(enrolment.pop_inputs.select_related("author", "adopted_into")),
        "maps": {m.moment: m for m in enrolment.network_maps.all()},
    }


@dataclass(frozen=True)
class GroupWorkSummary:
    enrolments: list[Enrolment]
    dropout_signals: int


def trajectory_group_work(user: User, trajectory_id: int) -> GroupWorkSummary:
    """What the trajectory page shows of its group work (one query)."""
    enrolments = list(
        enrolment_queryset_for(user)
        .filter(trajectory_id=trajectory_id)
        .select_related("module__programme", "intake")
        .order_by("-requested_on", "-pk")
    )
    return GroupWorkSummary(
        enrolments=enrolments,
        dropout_signals=sum(1 for e in enrolments if e.dropout_signal),
    )


def dropout_signals_for(user: User) -> QuerySet[Enrolment]:
    """Open drop-out signals on the trajectories a mediator leads (or is the duo partner of)."""
    return (
        enrolment_queryset_for(user)
        .filter(
            duo_q(user, via="trajectory"),
            dropout_flagged_on__isnull=False,
            dropout_acknowledged_on__isnull=True,
            status__in=OPEN_ENROLMENT_STATUSES,
        )
        .select_related("trajectory__person", "module")
        .order_by("dropout_flagged_on", "pk")
    )
