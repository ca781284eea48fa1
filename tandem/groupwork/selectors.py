"""Reads of group work. Programmes and modules hold no personal data: every user who works
with group work may read the catalogue. Enrolments are reached two ways only: a coach through
the programmes they coach, a mediator or welfare partner through the trajectories they see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.access.capabilities import has_capability
from tandem.access.scope import duo_q
from tandem.accounts.models import User

from .models import (
    OPEN_ENROLMENT_STATUSES,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    Module,
    Programme,
)

# The statuses that hold a place in a group.
PLACE_HOLDING = (EnrolmentStatus.PLACED, EnrolmentStatus.COMPLETED, EnrolmentStatus.LEFT)


def programme_queryset_for(user: User) -> QuerySet[Programme]:
    if not has_capability(user, "groupwork.view_catalogue"):
        return Programme.objects.none()
    return Programme.objects.select_related("project", "promoter")


def programme_get_for(user: User, pk: int) -> Programme:
    try:
        return programme_queryset_for(user).get(pk=pk)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def is_coach(user: User, programme: Programme) -> bool:
    """A group coach who runs this programme (listed among its coaches)."""
    if not has_capability(user, "groupwork.coach"):
        return False
    return programme.coaches.filter(pk=user.pk).exists()


def can_plan(user: User, programme: Programme) -> bool:
    """Who plans modules, intake moments and sessions: the programme's coaches, and programme
    managers (who set programmes up)."""
    return has_capability(user, "programme.oversee") or is_coach(user, programme)


def enrolment_queryset_for(user: User) -> QuerySet[Enrolment]:
    """The enrolments a user may see: a coach those of the programmes they coach; a mediator or
    welfare partner those of the trajectories they see. Erased persons have none."""
    from tandem.trajectories.selectors import trajectory_queryset_for

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
    from tandem.trajectories.selectors import trajectory_queryset_for

    if not has_capability(user, "groupwork.view_via_trajectory"):
        return False
    return trajectory_queryset_for(user).filter(pk=enrolment.trajectory_id).exists()


def places_taken() -> Count:
    """Annotation for intake moments: the places given (placed, completed, or left after
    being placed)."""
    return Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING))


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


def coach_sessions(user: User) -> QuerySet[GroupSession]:
    """The sessions of the programmes a coach runs (the home page, the inbox)."""
    return GroupSession.objects.filter(intake__module__programme__coaches=user).select_related(
        "intake__module__programme", "coach"
    )


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
