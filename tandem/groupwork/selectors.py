"""Reads of the group-work catalogue: programmes and their modules, with the free places of
each module's next group and the length of its waiting list. Programmes and modules hold no
personal data: every user who works with group work may read the whole catalogue; who coaches
a programme, and who plans it, is decided here too (``is_coach``, ``can_plan``).

Enrolments, groups (intake moments), sessions and attendance are read in
``tandem.groupwork.enrolment.selectors``; the figures in ``tandem.groupwork.figures``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User

from .models import Enrolment, EnrolmentStatus, IntakeMoment, Module, Programme

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


def programme_list_for(user: User) -> QuerySet[Programme]:
    """The catalogue's programmes, each with ``module_count``."""
    return programme_queryset_for(user).annotate(module_count=Count("modules", distinct=True))


def coached_programmes(user: User) -> QuerySet[Programme]:
    """The programmes a user is listed as a coach of, by name."""
    return user.coached_programmes.order_by("name")


def coached_programme_ids(user: User) -> set[int]:
    return set(user.coached_programmes.values_list("pk", flat=True))


def programme_coaches(programme: Programme) -> QuerySet[User]:
    return programme.coaches.order_by("first_name")


def is_coach(user: User, programme: Programme) -> bool:
    """A group coach who runs this programme (listed among its coaches)."""
    if not has_capability(user, "groupwork.coach"):
        return False
    return programme.coaches.filter(pk=user.pk).exists()


def can_plan(user: User, programme: Programme) -> bool:
    """Who plans modules, intake moments and sessions: the programme's coaches, and programme
    managers (who set programmes up)."""
    return has_capability(user, "programme.oversee") or is_coach(user, programme)


def module_queryset_for(user: User) -> QuerySet[Module]:
    """The modules of the catalogue a user reads: all of them, for those who read it (as
    ``programme_queryset_for``), with their programme."""
    if not has_capability(user, "groupwork.view_catalogue"):
        return Module.objects.none()
    return Module.objects.select_related("programme__project", "programme__promoter")


def module_get_for(user: User, pk: int) -> Module:
    """One module of the catalogue (404 when it does not exist or the user reads no
    catalogue); whether the user may plan it is ``can_plan``'s question."""
    try:
        return module_queryset_for(user).get(pk=pk)
    except Module.DoesNotExist as exc:
        raise Http404 from exc


def modules_open_for_enrolment(user: User) -> QuerySet[Module]:
    """The modules that take new participants, by province, programme and name."""
    return (
        module_queryset_for(user)
        .filter(is_active=True)
        .order_by("programme__province", "programme__name", "name")
    )


def places_taken() -> Count:
    """Annotation for intake moments: the places given (placed, completed, or left after
    being placed)."""
    return Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING))


def module_rows(modules: Any, today: dt.date) -> list[dict[str, Any]]:
    """Each module with its upcoming intake moments, the next one that has room, the places
    free in it and its waiting list: one query for the intakes, one for the waiting lists."""
    modules = list(modules)
    ids = [m.pk for m in modules]
    intakes = (
        IntakeMoment.objects.filter(module_id__in=ids, starts_on__gte=today)
        .annotate(taken=places_taken())
        .order_by("starts_on", "pk")
    )
    upcoming: dict[int, list[Any]] = {}
    for intake in intakes:
        upcoming.setdefault(intake.module_id, []).append(intake)
    waiting = dict(
        Enrolment.objects.filter(module_id__in=ids, status=EnrolmentStatus.WAITING)
        .values_list("module_id")
        .annotate(n=Count("pk"))
        .values_list("module_id", "n")
    )
    rows = []
    for module in modules:
        future = upcoming.get(module.pk, [])
        with_room = [i for i in future if i.taken < module.capacity]
        nxt = with_room[0] if with_room else None
        rows.append(
            {
                "module": module,
                "upcoming": future,
                "next": nxt,
                "free": module.capacity - nxt.taken if nxt else 0,
                "waiting": waiting.get(module.pk, 0),
            }
        )
    return rows


def programme_module_rows(programme: Programme, today: dt.date) -> list[dict[str, Any]]:
    """The programme's modules by name, as ``module_rows`` gives them."""
    return module_rows(programme.modules.order_by("name"), today)
