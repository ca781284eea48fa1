"""The yearly report ("stand van zaken"): its tables built once, as plain data, so the PDF and
the spreadsheet show the same figures.

Every count that describes persons goes through disclosure control (tandem.common.disclosure):
counts from 1 to 4 are hidden, and so many other cells that no row or column total gives a
hidden one away. Every hidden cell shows the same mark, "x": a separate mark for the cells
hidden second would tell the reader they are 5 or more, and with a total that can pin the
small one down. Shares and intervals are shown only beside
counts that are shown. Money is not about persons and is never hidden. No table lists a
person: every figure is a count over at least the whole of a cell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _

from tandem.common.disclosure import HIDDEN, Relation, protect, protect_table, threshold
from tandem.common.disclosure import note as disclosure_note
from tandem.common.models import Province
from tandem.groupwork.figures.pops import pop_counts
from tandem.groupwork.models import Enrolment, Programme
from tandem.outcomes import figures
from tandem.outcomes.comparison import Comparison, explain, points
from tandem.outcomes.models import ImportedTrajectory
from tandem.outcomes.outflow import PublishedRow, publish
from tandem.outcomes.selectors import group_starts_by_type, start_counts
from tandem.outreach.funnel import FunnelRow, by_quarter
from tandem.outreach.selectors import funnel_rows_all
from tandem.programmes.models import Call, Project, TargetBound, TargetKind
from tandem.registry.models import Gender
from tandem.reporting.dashboard import (
    StatedTarget,
    load_participations,
    measure_target,
    stated_targets,
)
from tandem.reporting.indicators import (
    ESF_COLUMNS,
    NOT_MEASURABLE,
    NOT_RECORDED,
    indicator_table,
    participants_of,
    protect_indicators,
)
from tandem.trajectories.models import Trajectory, TrajectoryType

MONTHS = 24
# How many years back the outflow cohort lies: trajectories that ended in the report year − 2
# have their +24 months day in the report year, so it has passed once that year is over.
COHORT_LAG = 2
GENDERS = (Gender.FEMALE, Gender.MALE, Gender.X)


# --- cells and tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell: ``value`` as the spreadsheet holds it, ``text`` as the PDF prints it."""

    value: int | float | Decimal | str | dt.date | None
    text: str
    number_format: str = ""
    hidden: bool = False
    numeric: bool = False


def label(text: str) -> Cell:
    return Cell(text, text)


def count(n: int) -> Cell:
    return Cell(n, formats.number_format(n, use_l10n=True, force_grouping=True), numeric=True)


def hidden(n: int) -> Cell:
    """A hidden count, small or hidden to protect a small one: the same mark for both."""
    return Cell(HIDDEN, HIDDEN, hidden=True, numeric=True)


def shown(n: int, is_hidden: bool) -> Cell:
    return hidden(n) if is_hidden else count(n)


def share(value: float | None) -> Cell:
    if value is None:
        return Cell(None, "", numeric=True)
    text = formats.number_format(value * 100, decimal_pos=1, use_l10n=True) + " %"
    return Cell(round(value, 4), text, "0.0%", numeric=True)


def interval(bounds: tuple[float, float] | None) -> Cell:
    if bounds is None:
        return Cell(None, "", numeric=True)
    low, high = (formats.number_format(b * 100, decimal_pos=1, use_l10n=True) for b in bounds)
    text = f"{low}–{high} %"
    return Cell(text, text, numeric=True)


def money(amount: Decimal | None) -> Cell:
    if amount is None:
        return Cell(None, "", numeric=True)
    text = "€ " + formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return Cell(amount, text, "#,##0.00", numeric=True)


def day(value: dt.date) -> Cell:
    return Cell(value, f"{value:%d/%m/%Y}", "DD/MM/YYYY")


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)

    def cell(self, row: str, column: str) -> Cell:
        """The cell in the row whose first cell reads ``row``, under header ``column``."""
        index = self.header.index(column)
        return next(r for r in self.rows if r[0].text == row)[index]


@dataclass
class Section:
    key: str  # the spreadsheet's sheet name (at most 31 characters)
    title: str
    paragraphs: list[str]
    tables: list[Table]


@dataclass
class Report:
    year: int
    province: str
    province_label: str
    generated_on: dt.date
    threshold: int
    intro: str
    disclosure_note: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def two_way(
    caption: str,
    corner: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    matrix: Sequence[Sequence[int]],
) -> Table:
    """A two-way table of counts with row, column and grand totals, under protect_table."""
    inner, row_totals, col_totals, grand = (
        protect_table(matrix) if matrix else (set(), set(), set(), False)
    )
    rows = []
    for r, (name, values) in enumerate(zip(row_labels, matrix, strict=True)):
        cells = [label(name)]
        cells += [shown(v, (r, c) in inner) for c, v in enumerate(values)]
        cells.append(shown(sum(values), r in row_totals))
        rows.append(cells)
    columns = [sum(row[c] for row in matrix) for c in range(len(col_labels))]
    total = [label(_("Total"))]
    total += [shown(v, c in col_totals) for c, v in enumerate(columns)]
    total.append(shown(sum(columns), grand))
    rows.append(total)
    return Table(caption, [corner, *col_labels, _("Total")], rows)


def one_way(caption: str, corner: str, heading: str, items: Sequence[tuple[str, int]]) -> Table:
    """A list of counts with their total, so that the total cannot give a hidden one away."""
    cells: dict[Hashable, int] = {i: n for i, (_name, n) in enumerate(items)}
    cells["total"] = sum(n for _name, n in items)
    hide = protect(cells, [Relation("total", tuple(range(len(items))))]) if items else set()
    rows = [[label(name), shown(n, i in hide)] for i, (name, n) in enumerate(items)]
    rows.append([label(_("Total")), shown(cells["total"], "total" in hide)])
    return Table(caption, [corner, heading], rows)


# --- the sections ----------------------------------------------------------------------------


def _type_labels() -> list[str]:
    return [str(t.label) for t in TrajectoryType]


def _starts(year: int, province: str, group_starts: GroupStarts) -> Section:
    counts = start_counts(province)
    years = sorted({key.year for key in counts if key.year <= year} | {year})
    kinds = list(TrajectoryType.values)
    by_type: Counter[tuple[int, str]] = Counter()
    for key, n in counts.items():
        by_type[(key.year, key.type)] += n
    names = [str(y) for y in years]
    types = two_way(
        _("Trajectories started per year and type"),
        _("Year"),
        names,
        _type_labels(),
        [[by_type[(y, k)] for k in kinds] for y in years],
    )
    group = group_starts.per_year(years)
    return Section(
        "Starts",
        _("Starts per year"),
        [
            _(
                "Trajectories in Tandem and those imported from the legacy system, by the year "
                "they started, up to %(year)d."
            )
            % {"year": year}
        ],
        [types, group],
    )


def _participants(year: int, province: str) -> Section:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    running = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    own = Trajectory.objects.filter(running)
    imported = ImportedTrajectory.objects.filter(running)
    if province:
        own = own.filter(person__province=province)
        imported = imported.filter(province=province)
    fields = ("person_id", "person__gender", "type", "start_date")
    # Each person once, under the type of their latest start that ran in the year.
    latest: dict[int, tuple[dt.date, str, str]] = {}
    for qs in (own, imported):
        for person_id, gender, kind, start in qs.values_list(*fields).order_by():
            if person_id not in latest or (start, kind) > latest[person_id][:2]:
                latest[person_id] = (start, kind, gender)
    cells: Counter[tuple[str, str]] = Counter((g, k) for _s, k, g in latest.values())
    table = two_way(
        _("Participants in %(year)d by gender and type") % {"year": year},
        _("Gender"),
        [str(g.label) for g in GENDERS],
        _type_labels(),
        [[cells[(g, k)] for k in TrajectoryType.values] for g in GENDERS],
    )
    return Section(
        "Participants",
        _("Participants"),
        [
            _(
                "Persons with a trajectory (in Tandem or imported) that ran at some point in "
                "%(year)d. Every person counts once, under the type of their latest start."
            )
            % {"year": year}
        ],
        [table],
    )


def group_start_note() -> str:
    """What a group start is: the line under both tables that count them."""
    return _(
        "Counted: group starts, the day the group part of a trajectory began (source 004). A "
        "Tandem trajectory counts once, in the year of its first placement in a group; an "
        "imported trajectory with group work counts in the year it started (the legacy "
        "system kept no separate date for the group part)."
    )


@dataclass
class GroupStarts:
    """Group starts per year and type (``group_starts_by_type``, the one definition), under
    one disclosure control for both sheets that show them: the years of the "Starts" sheet
    and the types of the report year on the "Group work" sheet, whose total is that year's."""

    year: int
    counts: Counter[tuple[int, str]]
    years: list[int] = field(default_factory=list)
    hidden: set[Hashable] = field(default_factory=set)

    def protect(self, years: Sequence[int]) -> None:
        self.years = list(years)
        kinds = list(TrajectoryType.values)
        cells: dict[Hashable, int] = {
            ("year", y): sum(n for (yy, _k), n in self.counts.items() if yy == y)
            for y in self.years
        }
        cells["all"] = sum(cells[("year", y)] for y in self.years)
        cells.update({("type", k): self.counts[(self.year, k)] for k in kinds})
        relations = [
            Relation("all", tuple(("year", y) for y in self.years)),
            Relation(("year", self.year), tuple(("type", k) for k in kinds)),
        ]
        self.hidden = protect(cells, relations)

    def _cell(self, name: Hashable, n: int) -> Cell:
        return shown(n, name in self.hidden)

    def per_year(self, years: Sequence[int]) -> Table:
        self.protect(years)
        rows = []
        for y in self.years:
            n = sum(v for (yy, _k), v in self.counts.items() if yy == y)
            rows.append([label(str(y)), self._cell(("year", y), n)])
        total = sum(v for (yy, _k), v in self.counts.items() if yy in self.years)
        rows.append([label(_("Total")), self._cell("all", total)])
        return Table(
            _("Group starts per year"),
            [_("Year"), _("Group starts")],
            rows,
            [group_start_note()],
        )

    def per_type(self) -> Table:
        rows = [
            [
                label(str(kind.label)),
                self._cell(("type", kind.value), self.counts[(self.year, kind.value)]),
            ]
            for kind in TrajectoryType
        ]
        total = sum(self.counts[(self.year, k)] for k in TrajectoryType.values)
        rows.append([label(_("Total")), self._cell(("year", self.year), total)])
        return Table(
            _("Group starts in %(year)d per trajectory type") % {"year": self.year},
            [_("Type"), _("Group starts")],
            rows,
            [group_start_note()],
        )


def _group_work(year: int, province: str, group_starts: GroupStarts) -> Section:
    starts = group_starts.per_type()
    enrolments = Enrolment.objects.filter(placed_on__year=year)
    if province:
        enrolments = enrolments.filter(module__programme__province=province)
    per_programme = list(
        enrolments.values_list("module__programme__name")
        .annotate(n=Count("pk"))
        .order_by("module__programme__name")
    )
    placed = one_way(
        _("Placements in a group in %(year)d per group-work programme") % {"year": year},
        _("Programme"),
        _("Placements"),
        [(name, n) for name, n in per_programme],
    )
    pops = pop_counts(Programme.objects.all(), province=province, written_in=year)
    delivered = two_way(
        _("POPs delivered in %(year)d per group-work partner and perspective") % {"year": year},
        _("Partner"),
        pops.partners,
        [label for _code, label in pops.columns],
        pops.matrix,
    )
    delivered.notes.append(
        _(
            "A POP delivered (source 004): an enrolment for which the group coach wrote POP "
            "input in the year; with several, the latest gives the perspective."
        )
    )
    return Section(
        "Group work",
        _("Group work"),
        [
            _(
                "Group starts are counted as on the Starts sheet (the line under the table "
                "says what is counted). Placements count every placement in a group module in "
                "the year."
            )
        ],
        [starts, placed, delivered],
    )


def _outflow_rows(published: Sequence[PublishedRow]) -> list[list[Cell]]:
    rows = []
    for item in published:

        def value(name: str, item: PublishedRow = item) -> Cell:
            v = item.value(name)
            return hidden(getattr(item.row.count, name)) if v is None else count(v)

        rows.append(
            [
                label(" · ".join(item.row.labels)),
                value("ended"),
                value("measured"),
                value("unknown"),
                value("out"),
                share(item.share("out")),
                interval(item.interval("out")),
                value("work"),
                share(item.share("work")),
                interval(item.interval("work")),
            ]
        )
    return rows


def _outflow_header(corner: str) -> list[str]:
    return [
        corner,
        _("Ended"),
        _("Status known"),
        _("Status unknown"),
        _("Out of unemployment"),
        _("Share out of unemployment"),
        _("95 percent interval"),
        _("Into work"),
        _("Share into work"),
        _("95 percent interval"),
    ]


def _comparison_table(result: Comparison) -> Table:
    names = {"out": _("Out of unemployment"), "work": _("Into work")}
    rows = [
        [
            label(names[d.outcome]),
            share(d.group_share),
            share(d.individual_share),
            share(d.individual_adjusted),
            Cell(round(d.raw * 100, 1), points(d.raw), numeric=True),
            Cell(round(d.adjusted * 100, 1), points(d.adjusted), numeric=True),
        ]
        for d in result.differences
    ]
    return Table(
        _("Group work compared with individual-only mediation at %(months)d months")
        % {"months": result.months},
        [
            _("Outcome"),
            _("With group work"),
            _("Individual only"),
            _("Individual only, reweighted"),
            _("Raw difference (points)"),
            _("Adjusted difference (points)"),
        ],
        rows,
    )


def _outflow(year: int, province: str, today: dt.date) -> Section:
    cohort = year - COHORT_LAG
    # Counted in SQL from the outcome table (outcomes.figures), one GROUP BY per breakdown.
    ended = figures.outcomes(dt.date(cohort, 1, 1), dt.date(cohort, 12, 31), province)
    tables = []
    by_group = figures.outflow_tables(ended, (MONTHS,), ("group_work",), today=today)[MONTHS]
    published_group = publish(by_group)
    for dimension, table, published in (
        ("group_work", by_group, published_group),
        ("type", None, None),
    ):
        if table is None:
            table = figures.outflow_tables(ended, (MONTHS,), (dimension,), today=today)[MONTHS]
            published = publish(table)
        assert published is not None
        caption = (
            _("Outflow at %(months)d months by group work")
            if dimension == "group_work"
            else _("Outflow at %(months)d months by type")
        ) % {"months": MONTHS}
        corner = _("Group work") if dimension == "group_work" else _("Type")
        tables.append(Table(caption, _outflow_header(corner), _outflow_rows(published)))
    too_recent = by_group.total.count.too_recent
    paragraphs = [
        _(
            "Cohort: the trajectories that ended in %(cohort)d, with their labour-market "
            "status on the day %(months)d months after their end (a day in %(measured)d). "
            "Shares are of those whose status is known, with a 95%% Wilson interval."
        )
        % {"cohort": cohort, "months": MONTHS, "measured": cohort + COHORT_LAG}
    ]
    if too_recent:
        total_row = published_group[-1]
        paragraphs.append(
            _("For %(n)s of them that day is still ahead; they are not counted yet.")
            % {"n": shown(too_recent, total_row.value("too_recent") is None).text}
        )
    rows = {r.row.values: r for r in published_group}
    group, single = rows.get(("group",)), rows.get(("individual",))
    result = figures.comparison(ended, MONTHS, today=today)
    visible = (
        group is not None
        and single is not None
        and all(
            r.value(n) is not None for r in (group, single) for n in ("measured", "out", "work")
        )
    )
    if result is not None and visible:
        tables.append(_comparison_table(result))
        paragraphs.append(explain(result))
    else:
        paragraphs.append(
            _(
                "Group work is not compared with individual-only mediation: one of the two "
                "groups is empty or too small to show."
            )
        )
    return Section("Outflow", _("Outflow at 24 months"), paragraphs, tables)


def _esf(year: int, province: str, today: dt.date) -> Section:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    running = Project.objects.filter(start_date__lte=last, end_date__gte=first).order_by("name")
    if province:
        running = running.filter(province=province)
    projects = list(running)
    participants = [p for project in projects for p in participants_of(project)]
    indicators = indicator_table(participants, first, last, today)
    hide = protect_indicators(indicators)
    rows = []
    for row in indicators.rows:
        first_cells = [label(row.code), label(str(row.label))]
        if row.status == NOT_RECORDED:
            rows.append([*first_cells, *[label(_("not recorded"))] * 4])
        elif row.status == NOT_MEASURABLE:
            rows.append([*first_cells, *[label(_("not measurable yet"))] * 4])
        else:
            rows.append(
                [
                    *first_cells,
                    *[
                        shown(n, (row.code, name) in hide)
                        for name, n in zip(ESF_COLUMNS, row.counts(), strict=True)
                    ],
                ]
            )
    table = Table(
        _("ESF+ common indicators %(year)d") % {"year": year},
        [_("Code"), _("Indicator"), _("Women"), _("Men"), _("X"), _("Total")],
        rows,
    )
    return Section(
        "ESF+",
        _("ESF+ indicators"),
        [
            _(
                "Outputs count the participants who entered a project in %(year)d, results "
                "those who left one in %(year)d, summed over the %(n)d projects that ran in the "
                "year (a person in two projects counts in each, as ESF+ reporting per "
                "operation does)."
            )
            % {"year": year, "n": len(projects)}
        ],
        [table],
    )


def _budgets(year: int, province: str) -> Section:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    calls = list(Call.objects.filter(start_date__lte=last, end_date__gte=first))
    projects = Project.objects.filter(start_date__lte=last, end_date__gte=first).select_related(
        "call", "promoter"
    )
    if province:
        projects = projects.filter(province=province)
    call_rows = [
        [
            label(str(call)),
            day(call.start_date),
            day(call.end_date),
            money(call.total_budget),
            money(call.split.esf if call.split else None),
        ]
        for call in calls
    ]
    call_table = Table(
        _("Calls running in %(year)d") % {"year": year},
        [_("Call"), _("Start"), _("End"), _("Total budget"), _("ESF")],
        call_rows,
    )
    project_rows = []
    sums = [Decimal(0), Decimal(0), Decimal(0)]
    for project in projects:
        amounts = (project.budget, project.esf_amount, project.cofinancing_amount)
        for i, amount in enumerate(amounts):
            sums[i] += amount or 0
        project_rows.append(
            [
                label(project.name),
                label(str(project.promoter)),
                label(project.get_province_display()),
                label(str(project.call) if project.call else ""),
                day(project.start_date),
                day(project.end_date),
                *[money(a) for a in amounts],
            ]
        )
    project_rows.append([label(_("Total")), *[label("")] * 5, *[money(s) for s in sums]])
    project_table = Table(
        _("Projects running in %(year)d") % {"year": year},
        [
            _("Project"),
            _("Promoter"),
            _("Province"),
            _("Call"),
            _("Start"),
            _("End"),
            _("Budget"),
            _("ESF"),
            _("Co-financing"),
        ],
        project_rows,
        [_("ESF and co-financing are summed over the projects that state them.")],
    )
    return Section(
        "Budgets",
        _("Budgets"),
        [_("Amounts in euro as the calls and projects state them; money is never hidden.")],
        [call_table, project_table],
    )


def _target_words(target: StatedTarget) -> str:
    value = formats.number_format(target.value, use_l10n=True, force_grouping=True)
    if target.bound == TargetBound.MORE_THAN:
        value = _("more than %(value)s") % {"value": value}
    elif target.bound == TargetBound.AT_LEAST:
        value = _("at least %(value)s") % {"value": value}
    return f"{value} {TargetKind(target.kind).label}"


def _reach_rows(year: int, province: str, rows: list[FunnelRow]) -> list[tuple[int, int, int]]:
    """Per year up to ``year``: people first met by outreach, and people outreach brought to
    a trajectory (the funnel's stages "contacted" and "trajectory", by the quarter they
    happened in: ``tandem.outreach.funnel.by_quarter`` over ``funnel_rows_all``)."""
    if province:
        names = set(Project.objects.filter(province=province).values_list("name", flat=True))
        rows = [r for r in rows if r.project in names]
    per_year: dict[int, tuple[int, int]] = {}
    for quarter in by_quarter(rows):
        y = int(quarter.quarter[:4])
        if y <= year:
            contacted, trajectory = per_year.get(y, (0, 0))
            per_year[y] = (
                contacted + quarter.counts.contacted,
                trajectory + quarter.counts.trajectory,
            )
    return [(y, *per_year[y]) for y in sorted(per_year)]


def _targets_and_reach(year: int, province: str, today: dt.date) -> list[Section]:
    """The targets of the calls and projects that ran in the year beside their actuals, and
    the reach of outreach per year (source 003, question 3), under one disclosure control:
    a reached target measured on the last day of a year is the sum of the years up to it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    measured_on = min(last, today)
    stated = [t for t in stated_targets() if t.scope_start <= last and t.scope_end >= first]
    if province:
        in_province = set(Project.objects.filter(province=province).values_list("pk", flat=True))
        stated = [
            replace(t, projects=tuple(p for p in t.projects if p[0] in in_province)) for t in stated
        ]
    participations = load_participations()
    funnel_rows = funnel_rows_all()
    reach = _reach_rows(year, province, funnel_rows)
    actuals = [measure_target(t, participations, funnel_rows, measured_on) for t in stated]

    cells: dict[Hashable, int] = {}
    relations: list[Relation] = []
    for y, contacted, trajectory in reach:
        cells[("reach", y, "contacted")] = contacted
        cells[("reach", y, "trajectory")] = trajectory
    for stage in ("contacted", "trajectory"):
        cells[("reach", "total", stage)] = sum(cells[("reach", y, stage)] for y, *_n in reach)
        relations.append(
            Relation(("reach", "total", stage), tuple(("reach", y, stage) for y, *_n in reach))
        )
    for i, row in enumerate(actuals):
        if row.actual is None:
            continue
        cells[("target", i)] = row.actual
        if row.target.kind == TargetKind.REACHED and (row.as_of.month, row.as_of.day) == (12, 31):
            upto = tuple(("reach", y, "contacted") for y, *_n in reach if y <= row.as_of.year)
            if sum(cells[c] for c in upto) == row.actual:
                relations.append(Relation(("target", i), upto))
    hide = protect(cells, relations)

    target_rows = []
    for i, row in enumerate(actuals):
        t = row.target
        target_rows.append(
            [
                label(t.name),
                label(_target_words(t)),
                day(t.due_date) if t.due_date else label(_("no due date in the source")),
                label(_("not measurable from Tandem's data"))
                if row.actual is None
                else shown(row.actual, ("target", i) in hide),
                day(row.as_of),
            ]
        )
    targets = Table(
        _("Targets of the calls and projects that ran in %(year)d") % {"year": year},
        [_("Call or project"), _("Target"), _("Due"), _("Actual"), _("Measured on")],
        target_rows,
        [
            _(
                "Actual: measured on the due date, or on %(day)s if that comes first. "
                "Participants: people with a trajectory funded by one of the projects, placed "
                "in a group of its programmes, or met by its outreach and brought to a "
                "trajectory (each person once). Reached: people met by the outreach of its "
                "projects. Into work: participants who reached work (or training, where the "
                "target says so). Not measurable: none of its projects is in Tandem."
            )
            % {"day": f"{measured_on:%d/%m/%Y}"}
        ],
    )
    reach_rows = [
        [
            label(str(y)),
            shown(contacted, ("reach", y, "contacted") in hide),
            shown(trajectory, ("reach", y, "trajectory") in hide),
        ]
        for y, contacted, trajectory in reach
    ]
    reach_rows.append(
        [
            label(_("Total")),
            *[
                shown(cells[("reach", "total", stage)], ("reach", "total", stage) in hide)
                for stage in ("contacted", "trajectory")
            ],
        ]
    )
    reach_table = Table(
        _("Reach of outreach per year, up to %(year)d") % {"year": year},
        [_("Year"), _("People reached"), _("Brought to a trajectory")],
        reach_rows,
        [
            _(
                "Counted: people reached = people met by outreach for the first time in the "
                "year (their first contact moment); brought to a trajectory = people met by "
                "outreach, registered, whose trajectory started in the year (on or after "
                "their registration). Tandem does not record whether someone met is "
                "non-active before registration: everyone met counts."
            )
        ],
    )
    return [
        Section(
            "Targets",
            _("Targets and actuals"),
            [
                _(
                    "Each target of a call or project that ran in %(year)d, as its source "
                    "states it, beside what Tandem counts for it."
                )
                % {"year": year}
                + (
                    " "
                    + _("Only the projects in %(where)s are counted.")
                    % {"where": Province(province).label}
                    if province
                    else ""
                )
            ],
            [targets],
        ),
        Section(
            "Reach",
            _("Reach of outreach"),
            [
                _(
                    "Non-active people reached by outreach and brought to a trajectory, per "
                    "year (source 003, question 3: a yearly state of affairs of the efforts "
                    "and results for these vulnerable people)."
                )
            ],
            [reach_table],
        ),
    ]


# --- the report ------------------------------------------------------------------------------


def build_report(year: int, province: str = "", *, today: dt.date) -> Report:
    """The whole report for ``year`` (and one province, or all when empty)."""
    group_starts = GroupStarts(year, group_starts_by_type(province))
    starts = _starts(year, province, group_starts)
    where = str(Province(province).label) if province else _("all provinces")
    limit = threshold()
    return Report(
        year=year,
        province=province,
        province_label=where,
        generated_on=today,
        threshold=limit,
        intro=_(
            "The state of affairs for %(year)d (%(where)s): trajectories started, participants, "
            "group work, outflow two years after the end, the ESF+ indicators, the targets "
            "beside their actuals, the reach of outreach and the budgets. The report holds "
            "counts only, never a person."
        )
        % {"year": year, "where": where},
        disclosure_note=disclosure_note(limit),
        sections=[
            starts,
            _participants(year, province),
            _group_work(year, province, group_starts),
            _outflow(year, province, today),
            _esf(year, province, today),
            *_targets_and_reach(year, province, today),
            _budgets(year, province),
        ],
    )


def all_cells(report: Report) -> Iterable[Cell]:
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                yield from row
