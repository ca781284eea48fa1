"""The programme dashboard: targets against actuals per quarter, budgets per province and per
promoter, participants per project (DOMAIN.md §8). Figures only: no person is shown.

Pure functions work over compact rows (``Participation``, one per trajectory of a project or
placed enrolment in a group of its programmes); ``load_dashboard`` reads everything in a
constant number of queries, whatever the number of projects or participants.

- A *participant* of a project is a person with a trajectory of the project or placed in a
  group of one of its programmes (as for the ESF+ indicators), counted once, from their first
  start in the project.
- *Into work or training* follows the funnel's rule
  (``tandem.trajectories.rules.work_or_training_on``) for the project's trajectories, and
  the ESF+ indicators' leave reasons (work, training) for placements in its groups; a person counts
  once, from the first day one of their participations reached it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from tandem.common.dates import quarter_of
from tandem.common.disclosure import Relation, protect
from tandem.programmes.models import Project, ProjectTarget, TargetKind
from tandem.trajectories.rules import work_or_training_on

from .indicators import TRAINING_REASONS, WORK_REASONS

# The kinds a chart draws: participants, and people into work or training.
CHART_KINDS = (TargetKind.PARTICIPANTS, TargetKind.INTO_WORK_OR_TRAINING)


@dataclass(frozen=True)
class Participation:
    """One trajectory of a project, or one placement in a group of its programmes."""

    project_id: int
    person_id: int
    start: dt.date
    reached: dt.date | None = None  # the day it reached work or training


@dataclass(frozen=True)
class Target:
    kind: str
    bound: str
    value: int
    due_date: dt.date | None


@dataclass(frozen=True)
class ProjectInfo:
    pk: int
    code: str
    name: str
    start: dt.date
    end: dt.date
    targets: tuple[Target, ...] = ()

    def target(self, kind: str) -> Target | None:
        """The latest-due target of ``kind`` (an undated one counts as the latest)."""
        of_kind = [t for t in self.targets if t.kind == kind]
        if not of_kind:
            return None
        return max(of_kind, key=lambda t: (t.due_date is None, t.due_date or dt.date.min))


@dataclass
class Progress:
    """A project's cumulative counts at the end of each quarter, against its targets."""

    project: ProjectInfo
    until: dt.date
    quarters: list[str]
    participants: list[int]
    outcomes: list[int] | None  # only when the project has an into-work-or-training target
    participant_target: Target | None
    outcome_target: Target | None


@dataclass
class BudgetRow:
    label: str
    projects: int
    budget: Decimal
    esf: Decimal
    cofinancing: Decimal
    not_split: Decimal  # the budget of projects whose split the source does not state


@dataclass
class Dashboard:
    today: dt.date
    progress: list[Progress] = field(default_factory=list)
    by_province: list[BudgetRow] = field(default_factory=list)
    by_promoter: list[BudgetRow] = field(default_factory=list)
    total: BudgetRow | None = None
    participants: list[tuple[ProjectInfo, int]] = field(default_factory=list)


# --- Pure functions -----------------------------------------------------------------------


def quarter_ends(start: dt.date, until: dt.date) -> list[tuple[str, dt.date]]:
    """The quarters from the one holding ``start`` to the one holding ``until``, each with the
    day it is counted at: its last day, or ``until`` for the last one."""
    result: list[tuple[str, dt.date]] = []
    if start > until:
        return result
    year, quarter = start.year, (start.month - 1) // 3
    while dt.date(year, quarter * 3 + 1, 1) <= until:
        next_year, next_quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        last = dt.date(next_year, next_quarter * 3 + 1, 1) - dt.timedelta(days=1)
        day = min(last, until)
        result.append((quarter_of(day), day))
        year, quarter = next_year, next_quarter
    return result


def cumulative(days: Iterable[dt.date], ends: Sequence[dt.date]) -> list[int]:
    """How many of ``days`` lie on or before each of ``ends``."""
    ordered = sorted(days)
    result = []
    index = 0
    for end in ends:
        while index < len(ordered) and ordered[index] <= end:
            index += 1
        result.append(index)
    return result


def first_days(
    participations: Iterable[Participation],
) -> dict[int, tuple[dict[int, dt.date], dict[int, dt.date]]]:
    """Per project: each person's first start, and the first day they reached work or training."""
    starts: dict[int, dict[int, dt.date]] = defaultdict(dict)
    reached: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for p in participations:
        own = starts[p.project_id]
        own[p.person_id] = min(own.get(p.person_id, p.start), p.start)
        if p.reached is not None:
            got = reached[p.project_id]
            got[p.person_id] = min(got.get(p.person_id, p.reached), p.reached)
    return {pk: (starts[pk], reached.get(pk, {})) for pk in starts}


def progress(
    project: ProjectInfo, participations: Iterable[Participation], today: dt.date
) -> Progress:
    """The project's cumulative participants (and people into work or training, when it has
    such a target) per quarter from its start to today or its end, whichever comes first."""
    until = min(today, project.end)
    ends = quarter_ends(project.start, until) if project.start <= until else []
    days = first_days(p for p in participations if p.project_id == project.pk)
    starts, reached = days.get(project.pk, ({}, {}))
    outcome_target = project.target(TargetKind.INTO_WORK_OR_TRAINING)
    return Progress(
        project=project,
        until=until,
        quarters=[label for label, _day in ends],
        participants=cumulative(starts.values(), [day for _label, day in ends]),
        outcomes=cumulative(reached.values(), [day for _label, day in ends])
        if outcome_target
        else None,
        participant_target=project.target(TargetKind.PARTICIPANTS),
        outcome_target=outcome_target,
    )


def participants_per_project(
    projects: Iterable[ProjectInfo], participations: Iterable[Participation]
) -> list[tuple[ProjectInfo, int]]:
    """Each project with how many people took part in it (each person once)."""
    persons: dict[int, set[int]] = defaultdict(set)
    for p in participations:
        persons[p.project_id].add(p.person_id)
    return [(project, len(persons.get(project.pk, ()))) for project in projects]


# --- Disclosure control -------------------------------------------------------------------


def protect_dashboard(data: Dashboard, *, limit: int | None = None) -> set[Hashable]:
    """The counts of the dashboard to hide, as ``(project pk, "participants" or "outcomes",
    quarter index)`` for the charts' tables and ``(project pk, "all")`` for the participants
    per project. A reader knows more than the cells: each quarter's newcomers are its
    cumulative count minus the one before, those not (yet) into work or training are the
    participants minus the outcomes, and the participants per project are the last
    cumulative count when nobody started after it. None of those may give a small count
    away. Project counts and euro amounts (the budget tables) are not about persons and are
    not hidden."""
    cells: dict[Hashable, int] = {}
    relations: list[Relation] = []
    unpublished: set[Hashable] = set()

    def difference(name: Hashable, total: Hashable, part: Hashable) -> None:
        cells[name] = cells[total] - cells[part]
        unpublished.add(name)
        relations.append(Relation(total, (part, name)))

    for project, count in data.participants:
        cells[(project.pk, "all")] = count
    for item in data.progress:
        pk = item.project.pk
        series = {"participants": item.participants}
        if item.outcomes is not None:
            series["outcomes"] = item.outcomes
        for name, values in series.items():
            for k, value in enumerate(values):
                cells[(pk, name, k)] = value
                if k:
                    difference(("new", pk, name, k), (pk, name, k), (pk, name, k - 1))
        if item.outcomes is not None:
            for k in range(len(item.quarters)):
                difference(("not yet", pk, k), (pk, "participants", k), (pk, "outcomes", k))
        last = (pk, "participants", len(item.participants) - 1)
        if item.participants and cells.get((pk, "all")) == cells[last]:
            relations.append(Relation((pk, "all"), (last,)))
            relations.append(Relation(last, ((pk, "all"),)))
    return protect(cells, relations, unpublished=unpublished, limit=limit)


# --- Loading ------------------------------------------------------------------------------


def _participations() -> list[Participation]:
    """Every participation in any project: three queries."""
    from tandem.groupwork.models import Enrolment
    from tandem.trajectories.models import Status, StatusChange, Trajectory

    employed: dict[int, dt.date] = {}
    for tid, on in (
        StatusChange.objects.filter(trajectory__project__isnull=False, to_status=Status.EMPLOYED)
        .values_list("trajectory_id", "on")
        .order_by("on", "pk")
    ):
        employed.setdefault(tid, on)
    rows = [
        Participation(
            project_id=t["project_id"],
            person_id=t["person_id"],
            start=t["start_date"],
            reached=work_or_training_on(
                t["status"],
                t["closure_reason"],
                t["start_date"],
                t["end_date"],
                employed.get(t["pk"]),
            ),
        )
        for t in Trajectory.objects.filter(project__isnull=False).values(
            "pk", "project_id", "person_id", "start_date", "end_date", "status", "closure_reason"
        )
    ]
    left_for = WORK_REASONS | TRAINING_REASONS
    rows.extend(
        Participation(
            project_id=e["module__programme__project_id"],
            person_id=e["trajectory__person_id"],
            start=e["placed_on"] or dt.date.min,
            reached=e["ended_on"] if e["ended_on"] and e["leave_reason"] in left_for else None,
        )
        for e in Enrolment.objects.filter(
            placed_on__isnull=False, module__programme__project__isnull=False
        ).values(
            "module__programme__project_id",
            "trajectory__person_id",
            "placed_on",
            "ended_on",
            "leave_reason",
        )
    )
    return rows


def _money(name: str, **filters: object) -> Coalesce:
    return Coalesce(
        Sum(name, filter=Q(**filters) if filters else None),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


_BUDGET = {
    "n": Count("pk"),
    "budget_sum": _money("budget"),
    "esf_sum": _money("esf_amount"),
    "cofinancing_sum": _money("cofinancing_amount"),
    "not_split_sum": _money("budget", esf_amount__isnull=True),
}


def _budget_row(label: str, row: dict[str, object]) -> BudgetRow:
    return BudgetRow(
        label=label,
        projects=int(row["n"]),  # type: ignore[call-overload]
        budget=Decimal(str(row["budget_sum"])),
        esf=Decimal(str(row["esf_sum"])),
        cofinancing=Decimal(str(row["cofinancing_sum"])),
        not_split=Decimal(str(row["not_split_sum"])),
    )


def load_dashboard(today: dt.date) -> Dashboard:
    """Everything the dashboard shows, in eight queries whatever the size of the data."""
    from tandem.common.models import Province

    projects = [
        ProjectInfo(p.pk, p.code, p.name, p.start_date, p.end_date, ())
        for p in Project.objects.order_by("name", "pk").only(
            "pk", "code", "name", "start_date", "end_date"
        )
    ]
    targets: dict[int, list[Target]] = defaultdict(list)
    for t in ProjectTarget.objects.values("project_id", "kind", "bound", "value", "due_date"):
        targets[t["project_id"]].append(Target(t["kind"], t["bound"], t["value"], t["due_date"]))
    projects = [
        ProjectInfo(p.pk, p.code, p.name, p.start, p.end, tuple(targets.get(p.pk, ())))
        for p in projects
    ]
    participations = _participations()
    provinces = dict(Province.choices)
    by_province = [
        _budget_row(str(provinces.get(row["province"], "")) if row["province"] else "", row)
        for row in Project.objects.order_by("province").values("province").annotate(**_BUDGET)
    ]
    by_promoter = [
        _budget_row(row["promoter__name"], row)
        for row in Project.objects.order_by("promoter__name", "promoter_id")
        .values("promoter_id", "promoter__name")
        .annotate(**_BUDGET)
    ]
    total = _budget_row("", Project.objects.aggregate(**_BUDGET))
    return Dashboard(
        today=today,
        progress=[
            progress(p, participations, today)
            for p in projects
            if any(p.target(kind) for kind in CHART_KINDS)
        ],
        by_province=by_province,
        by_promoter=by_promoter,
        total=total,
        participants=participants_per_project(projects, participations),
    )
