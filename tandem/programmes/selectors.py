"""Reads for calls and projects: figures only, no person data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Call, Funded, Project


def _projects() -> QuerySet[Project]:
    return Project.objects.select_related("promoter").prefetch_related("targets")


def call_list() -> QuerySet[Call]:
    """Every call with its projects (promoter, targets) and its own targets, in few queries."""
    return Call.objects.prefetch_related(
        Prefetch("projects", queryset=_projects().order_by("province", "name")), "targets"
    )


def projects_without_call() -> QuerySet[Project]:
    return _projects().filter(call__isnull=True).order_by("name")


def project_detail_queryset() -> QuerySet[Project]:
    return _projects().select_related("call").prefetch_related("partners")


def project_list() -> QuerySet[Project]:
    """Every project with its promoter, by province and name (the programme manager's home)."""
    return Project.objects.select_related("promoter").order_by("province", "name")


def project_by_code(code: str, *, detail: bool = False) -> Project:
    """One project by its code, or 404. Projects are not person data: who may open one is the
    page's capability (programme oversight or aggregate reports), not a scope."""
    return get_object_or_404(project_detail_queryset() if detail else Project.objects, code=code)


def funded_on(day: dt.date) -> frozenset[str]:
    """What some call pays for on ``day`` (``Funded`` values): the kinds of a call running then.

    A call's ``funds`` is a short list and there are few calls, so this reads them all.
    """
    kinds: set[str] = set()
    for call in Call.objects.filter(start_date__lte=day, end_date__gte=day).only("funds"):
        kinds.update(k for k in call.funds or [] if k in Funded.values)
    return frozenset(kinds)


# --- Participants of a project ------------------------------------------------------------


class Via:
    """How a person came to take part in a project."""

    TRAJECTORY = "trajectory"
    GROUP = "group"
    OUTREACH = "outreach"


@dataclass(frozen=True)
class Participation:
    """One way one person took part in one project: ``start`` is the day it began, ``end``
    the day it ended (None while open), ``reason`` the closure or leaving reason, and
    ``trajectory_id`` the trajectory it belongs to (for a group placement: the trajectory
    the person was placed from)."""

    project_id: int
    person_id: int
    via: str
    start: dt.date
    end: dt.date | None
    reason: str
    trajectory_id: int
    status: str = ""  # the trajectory's status (empty for a group placement)
    qualified: bool = False  # the trajectory recorded a qualification gained


def project_participations(project_ids: Iterable[int] | None = None) -> list[Participation]:
    """Every participation in the projects (all projects when ``project_ids`` is None), in
    three queries whatever the size. The one definition of a *participant of a project*
    (issue 17); every page and export that counts participants per project uses it.

    A person is a participant of a project when they have

    1. a trajectory funded by the project (``Trajectory.project``), from its start date; or
    2. a placement in a group of one of the project's group-work programmes (an enrolment
       with a placement date, in a module of a programme whose project it is), from the
       day they were placed; or
    3. an identified outreach contact under the project (a prospect of the project, registered
       as a person) that led to a trajectory: a trajectory of that person that started on or
       after the day they were registered (``tandem.outreach.rules.brought_to_trajectory``,
       the rule of the outreach funnel's "trajectory" stage), from that trajectory's start.

    A person counts once per project however many of these they have; their start in the
    project is the earliest. Merely being met by outreach, or registered without a trajectory
    yet, does not make a participant: those are *reached* (the outreach funnel).
    """
    from tandem.groupwork.models import Enrolment
    from tandem.outreach.rules import brought_to_trajectory
    from tandem.trajectories.models import Trajectory

    wanted = None if project_ids is None else list(project_ids)
    fields = (
        "pk",
        "person_id",
        "start_date",
        "end_date",
        "closure_reason",
        "status",
        "qualification_gained",
    )
    funded = Trajectory.objects.filter(project__isnull=False)
    placed = Enrolment.objects.filter(
        placed_on__isnull=False, module__programme__project__isnull=False
    )
    # The trajectories of persons registered from a prospect under a project.
    outreach = Trajectory.objects.filter(person__prospect__project__isnull=False)
    if wanted is not None:
        funded = funded.filter(project_id__in=wanted)
        placed = placed.filter(module__programme__project_id__in=wanted)
        outreach = outreach.filter(person__prospect__project_id__in=wanted)
    rows: list[Participation] = []
    own: set[tuple[int, int]] = set()  # (project, trajectory) already counted as funded
    for t in funded.values("project_id", *fields).order_by("pk"):
        own.add((t["project_id"], t["pk"]))
        rows.append(
            Participation(
                t["project_id"],
                t["person_id"],
                Via.TRAJECTORY,
                t["start_date"],
                t["end_date"],
                t["closure_reason"],
                t["pk"],
                t["status"],
                bool(t["qualification_gained"] and t["end_date"]),
            )
        )
    for e in placed.values(
        "module__programme__project_id",
        "trajectory_id",
        "trajectory__person_id",
        "placed_on",
        "ended_on",
        "leave_reason",
    ).order_by("pk"):
        rows.append(
            Participation(
                e["module__programme__project_id"],
                e["trajectory__person_id"],
                Via.GROUP,
                e["placed_on"] or dt.date.min,  # never empty: filtered above
                e["ended_on"],
                e["leave_reason"],
                e["trajectory_id"],
            )
        )
    for t in outreach.values(
        "person__prospect__project_id", "person__prospect__converted_on", *fields
    ).order_by("pk"):
        project_id = t["person__prospect__project_id"]
        if (project_id, t["pk"]) in own or not brought_to_trajectory(
            t["person__prospect__converted_on"], t["start_date"]
        ):
            continue
        rows.append(
            Participation(
                project_id,
                t["person_id"],
                Via.OUTREACH,
                t["start_date"],
                t["end_date"],
                t["closure_reason"],
                t["pk"],
                t["status"],
                bool(t["qualification_gained"] and t["end_date"]),
            )
        )
    return rows


def project_participant_counts(
    participations: Iterable[Participation], on: dt.date | None = None
) -> dict[int, int]:
    """How many people took part in each project (each once), by the end of ``on`` (always,
    when None): a project nobody took part in is not in the answer."""
    persons: dict[int, set[int]] = {}
    for p in participations:
        if on is None or p.start <= on:
            persons.setdefault(p.project_id, set()).add(p.person_id)
    return {pk: len(people) for pk, people in persons.items()}
