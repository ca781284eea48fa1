"""The programme dashboard: targets against actuals per quarter, budgets per province and per
promoter, participants per project (DOMAIN.md §8). Figures only: no person is shown.

Pure functions work over compact rows (``Participation``, one per trajectory of a project or
placed enrolment in a group of its programmes); ``load_dashboard`` reads everything in a
constant number of queries, whatever the number of projects or participants.

- A *participant* of a project is defined once, in
  ``tandem.programmes.selectors.project_participations`` (a trajectory funded by the project,
  a placement in a group of its programmes, or an outreach contact under it that led to a
  trajectory), counted once, from their first start in the project.
- *Into work or training* follows the funnel's rule
  (``tandem.trajectories.rules.work_or_training_on``) for the participants' trajectories, and
  the ESF+ indicators' leave reasons (work, training) for placements in its groups; a person counts
  once, from the first day one of their participations reached it. *Into work* is the same
  with work only (``work_on``, leaving a group for work).
- *Targets beside actuals*: every call and project target with its actual, measured on its
  due date or today, whichever comes first (the as-of date): participants and people into
  work (or training) of the call's projects (each person once), people reached = outreach
  prospects under those projects with a contact moment by then (the outreach funnel's
  "contacted"). A target of a call none of whose projects is in Tandem is *not measurable
  from Tandem's data*.
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
from tandem.outreach.funnel import FunnelRow, funnel
from tandem.outreach.selectors import funnel_rows_all
from tandem.programmes.models import CallTarget, Project, ProjectTarget, TargetKind
from tandem.programmes.selectors import Via, project_participations
from tandem.trajectories.rules import work_on, work_or_training_on

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
    work: dt.date | None = None  # the day it reached work


@dataclass(frozen=True)
class StatedTarget:
    """A call's or a project's target as the source states it, with the projects it covers
    (a call's: its projects in Tandem; a project's: itself)."""

    scope: str  # "call" or "project"
    code: str
    name: str
    kind: str
    bound: str
    value: int
    due_date: dt.date | None
    projects: tuple[tuple[int, str], ...]  # (pk, name) of the projects it covers
    scope_start: dt.date = dt.date.min  # the call's or project's period
    scope_end: dt.date = dt.date.max


@dataclass(frozen=True)
class TargetActual:
    """A target beside its actual, measured on ``as_of``; ``actual`` is None when Tandem's
    data cannot measure it."""

    target: StatedTarget
    as_of: dt.date
    actual: int | None
    # The same count per project covered (in the order of ``target.projects``): for
    # disclosure control, which must know when the actual is their sum.
    parts: tuple[int, ...] = ()


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
    targets: list[TargetActual] = field(default_factory=list)


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


def as_of(due_date: dt.date | None, today: dt.date) -> dt.date:
    """The day a target's actual is measured: its due date, or today if that comes first."""
    return min(due_date, today) if due_date is not None else today


def measure_target(
    target: StatedTarget,
    participations: Iterable[Participation],
    funnel_rows: Iterable[FunnelRow],
    today: dt.date,
) -> TargetActual:
    """The target's actual on its as-of day (each person once over the projects it covers).

    participants: people whose first start in one of the projects lies on or before that
    day; into work or training / into work: participants who reached it by then; reached:
    outreach prospects under the projects with a contact moment by then (the funnel's
    "contacted", all time up to that day). Not measurable (None) when none of the projects
    is in Tandem."""
    day = as_of(target.due_date, today)
    if not target.projects:
        return TargetActual(target, day, None)
    if target.kind == TargetKind.REACHED:
        names = {name for _pk, name in target.projects}
        rows = [r for r in funnel_rows if r.project in names]
        return TargetActual(target, day, funnel(rows, lambda r: r.project, end=day).total.contacted)
    people: dict[int, set[int]] = {pk: set() for pk, _name in target.projects}
    for p in participations:
        if p.project_id not in people:
            continue
        if target.kind == TargetKind.PARTICIPANTS:
            reached: dt.date | None = p.start
        elif target.kind == TargetKind.INTO_WORK:
            reached = p.work
        else:
            reached = p.reached
        if reached is not None and reached <= day:
            people[p.project_id].add(p.person_id)
    everyone = set().union(*people.values())
    parts = tuple(len(people[pk]) for pk, _name in target.projects)
    return TargetActual(target, day, len(everyone), parts)


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
    _target_cells(data, cells, relations, unpublished)
    return protect(cells, relations, unpublished=unpublished, limit=limit)


def _same(cells: dict[Hashable, int], relations: list[Relation], a: Hashable, b: Hashable) -> None:
    if cells.get(a) == cells.get(b) and b in cells:
        relations.append(Relation(a, (b,)))
        relations.append(Relation(b, (a,)))


def _target_cells(
    data: Dashboard,
    cells: dict[Hashable, int],
    relations: list[Relation],
    unpublished: set[Hashable],
) -> None:
    """The targets' actuals, ``("target", i)``, tied to the chart cells that count the same
    thing on the same day (a quarter's last day, or today for the participants per project),
    and to their parts per project when the actual is their sum (nobody in two of them)."""
    series: dict[str, str] = {
        TargetKind.PARTICIPANTS: "participants",
        TargetKind.INTO_WORK_OR_TRAINING: "outcomes",
    }
    days: dict[int, dict[dt.date, int]] = {
        item.project.pk: {
            day: k for k, (_label, day) in enumerate(quarter_ends(item.project.start, item.until))
        }
        for item in data.progress
    }
    for i, row in enumerate(data.targets):
        if row.actual is None:
            continue
        name: Hashable = ("target", i)
        cells[name] = row.actual
        kind = row.target.kind
        if kind not in series:
            continue
        parts: list[Hashable] = []
        for (pk, _project), n in zip(row.target.projects, row.parts, strict=True):
            k = days.get(pk, {}).get(row.as_of)
            published: list[Hashable] = [(pk, series[kind], k)] if k is not None else []
            if kind == TargetKind.PARTICIPANTS:
                published.append((pk, "all"))
            same = [c for c in published if cells.get(c) == n]
            if same:
                part: Hashable = same[0]
            else:
                part = ("target part", i, pk)
                cells[part] = n
                unpublished.add(part)
            parts.append(part)
        if len(parts) == 1:
            _same(cells, relations, name, parts[0])
        elif parts and sum(cells[p] for p in parts) == row.actual:
            relations.append(Relation(name, tuple(parts)))


# --- Loading ------------------------------------------------------------------------------


def load_participations() -> list[Participation]:
    """Every participation in any project (``project_participations``, the one definition of
    a participant of a project), with the day it reached work or training: five queries."""
    from tandem.trajectories.models import Status, StatusChange

    rows = project_participations()
    employed: dict[int, dt.date] = {}
    for tid, on in (
        StatusChange.objects.filter(
            trajectory_id__in={r.trajectory_id for r in rows if r.via != Via.GROUP},
            to_status=Status.EMPLOYED,
        )
        .values_list("trajectory_id", "on")
        .order_by("on", "pk")
    ):
        employed.setdefault(tid, on)
    left_for = WORK_REASONS | TRAINING_REASONS
    result = []
    for r in rows:
        if r.via == Via.GROUP:
            reached = r.end if r.end and r.reason in left_for else None
            work = r.end if r.end and r.reason in WORK_REASONS else None
        else:
            args = (r.status, r.reason, r.start, r.end, employed.get(r.trajectory_id))
            reached, work = work_or_training_on(*args), work_on(*args)
        result.append(Participation(r.project_id, r.person_id, r.start, reached, work))
    return result


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
    participations = load_participations()
    stated = stated_targets()
    rows = funnel_rows_all() if any(t.kind == TargetKind.REACHED for t in stated) else []
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
        targets=[measure_target(t, participations, rows, today) for t in stated],
    )


def stated_targets() -> list[StatedTarget]:
    """Every call target, then every project target, each with the projects it covers."""
    covered: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, call_id in Project.objects.filter(call__isnull=False).values_list(
        "pk", "name", "call_id"
    ):
        covered[call_id].append((pk, name))
    result = [
        StatedTarget(
            "call",
            t.call.code,
            str(t.call),
            t.kind,
            t.bound,
            t.value,
            t.due_date,
            tuple(sorted(covered.get(t.call_id, []))),
            t.call.start_date,
            t.call.end_date,
        )
        for t in CallTarget.objects.select_related("call").order_by(
            "call__start_date", "call__code", "due_date", "kind", "pk"
        )
    ]
    result += [
        StatedTarget(
            "project",
            t.project.code,
            t.project.name,
            t.kind,
            t.bound,
            t.value,
            t.due_date,
            ((t.project_id, t.project.name),),
            t.project.start_date,
            t.project.end_date,
        )
        for t in ProjectTarget.objects.select_related("project").order_by(
            "project__name", "due_date", "kind", "pk"
        )
    ]
    return result


# --- Targets at risk (the programme manager's home page, issue 18) ---------------------------


def pace_needed(target: StatedTarget, today: dt.date) -> int | None:
    """What a target needs by ``today`` at an even pace: its value times the share of its
    period (the call's or project's start to the due date) gone by ``today``, rounded up.
    None for a target with no due date, or when ``today`` is before the period starts or
    after the due date (nothing to pace: it has not started, or it is over)."""
    due = target.due_date
    start = target.scope_start
    if due is None or start == dt.date.min or today < start or today > due:
        return None
    span = (due - start).days
    if span <= 0:
        return target.value
    return -(-target.value * (today - start).days // span)


def at_risk(row: TargetActual, today: dt.date) -> bool:
    """A target at risk: still running (due on or after ``today``), measurable, and its actual
    below the even pace its due date needs (``pace_needed``): at this pace it will not be
    reached in time. A target with no due date, or not measurable from Tandem's data, is
    never at risk; one whose due date has passed is over, not at risk."""
    needed = pace_needed(row.target, today)
    return row.actual is not None and needed is not None and row.actual < needed


@dataclass(frozen=True)
class RunningTarget:
    """A target still running on the day, as the home page publishes it: ``actual`` as the
    programme dashboard shows it (the number, or the disclosure mark; None when Tandem's data
    cannot measure it), ``needed`` the even pace its due date needs by the day, ``risk``
    whether it is at risk (``at_risk``)."""

    target: StatedTarget
    actual: str | None
    needed: int | None
    risk: bool


def running_targets(today: dt.date) -> list[RunningTarget]:
    """The call and project targets still running on ``today`` (due on or after it), those at
    risk first, then the soonest due. Each actual is protected exactly as the programme
    dashboard protects it (the same ``protect_dashboard`` over the same data), so the two
    pages never disagree on a hidden count. Three queries when no running target is measurable
    (none of its projects in Tandem); the dashboard's load otherwise."""
    from tandem.common.disclosure import shown

    stated = [t for t in stated_targets() if t.due_date is not None and t.due_date >= today]
    if not stated:
        return []
    rows: list[RunningTarget] = []
    if any(t.projects for t in stated):
        data = load_dashboard(today)
        hidden = protect_dashboard(data)
        for i, row in enumerate(data.targets):
            if row.target.due_date is None or row.target.due_date < today:
                continue
            actual = None if row.actual is None else shown(row.actual, ("target", i) in hidden)
            rows.append(
                RunningTarget(
                    row.target, actual, pace_needed(row.target, today), at_risk(row, today)
                )
            )
    else:
        rows = [RunningTarget(t, None, pace_needed(t, today), False) for t in stated]
    return sorted(rows, key=lambda r: (not r.risk, r.target.due_date, r.target.name))
