"""Outflow at +N months after the end of a trajectory: measured per trajectory, counted per
breakdown, shown with Wilson intervals and published under disclosure control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tandem.common.disclosure import Relation, protect
from tandem.common.models import Province
from tandem.registry.models import Gender
from tandem.trajectories.models import TrajectoryType

from . import rules
from .cohort import CohortRow, cohort_rows, histories

NOT_DUE = "not_due"


@dataclass(frozen=True, slots=True)
class Measurement:
    row: CohortRow
    # months -> status on the +N day; None when unknown; NOT_DUE when the day is still ahead
    at: dict[int, str | None]
    months_unemployed: int | None  # unbroken unemployment spell running into the start


def measure(
    rows: Sequence[CohortRow], today: dt.date, months: Iterable[int] = rules.MEASURE_MONTHS
) -> list[Measurement]:
    """Look up each trajectory's status at every +N day (one pass over the status events)."""
    months = tuple(months)
    by_person: dict[int, list[CohortRow]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    known = dict(histories(by_person))
    result = []
    for row in rows:
        dates, statuses = known.get(row.person_id, ([], []))
        at: dict[int, str | None] = {}
        for n in months:
            day = rules.measure_day(row.end, n)
            at[n] = rules.status_on(dates, statuses, day) if day < today else NOT_DUE
        result.append(
            Measurement(row, at, rules.months_unemployed_before(dates, statuses, row.start))
        )
    return result


def measure_period(
    today: dt.date,
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
    province: str = "",
) -> list[Measurement]:
    rows = cohort_rows(ended_from, ended_to)
    if province:
        rows = [row for row in rows if row.province == province]
    return measure(rows, today)


# --- breakdowns ------------------------------------------------------------------------------


def _group_work(m: Measurement) -> str:
    return "group" if m.row.group_work else "individual"


DIMENSIONS: dict[str, Callable[[Measurement], str]] = {
    "type": lambda m: m.row.type,
    "group_work": _group_work,
    "province": lambda m: m.row.province,
    "project": lambda m: m.row.project,
    "end_year": lambda m: str(m.row.end.year),
    "gender": lambda m: m.row.gender,
    "age_band": lambda m: rules.age_band(m.row.birth_date, m.row.start),
}


def dimension_label(dimension: str, value: str) -> str:
    """The value as a reader sees it (codes become labels)."""
    labels: dict[str, Callable[[str], str]] = {
        "type": lambda v: str(TrajectoryType(v).label) if v in TrajectoryType.values else v,
        "group_work": lambda v: _("With group work") if v == "group" else _("Individual only"),
        "province": lambda v: str(Province(v).label) if v in Province.values else v,
        "project": lambda v: v or _("No project"),
        "gender": lambda v: str(Gender(v).label) if v in Gender.values else v,
    }
    return labels.get(dimension, str)(value)


def dimension_title(dimension: str) -> str:
    return {
        "type": _("Type"),
        "group_work": _("Group work"),
        "province": _("Province"),
        "project": _("Project"),
        "end_year": _("Year ended"),
        "gender": _("Gender"),
        "age_band": _("Age band at start"),
    }[dimension]


@dataclass
class OutflowCount:
    ended: int = 0  # ended in the period with the +N day in the past
    unknown: int = 0  # of those, no status known on the +N day
    out: int = 0  # out of unemployment
    work: int = 0  # into work
    too_recent: int = 0  # ended in the period, +N day still ahead: not counted

    @property
    def measured(self) -> int:
        return self.ended - self.unknown

    def add(self, status: str | None) -> None:
        if status == NOT_DUE:
            self.too_recent += 1
            return
        self.ended += 1
        if status is None:
            self.unknown += 1
            return
        self.out += rules.out_of_unemployment(status)
        self.work += rules.into_work(status)


@dataclass
class OutflowRow:
    values: tuple[str, ...]  # one per dimension, as codes
    labels: tuple[str, ...]
    count: OutflowCount = field(default_factory=OutflowCount)


@dataclass
class OutflowTable:
    months: int
    dimensions: tuple[str, ...]
    rows: list[OutflowRow]
    total: OutflowRow


def outflow_table(
    measurements: Iterable[Measurement], months: int, by: Sequence[str] = ()
) -> OutflowTable:
    """Counts at +``months`` grouped by the dimensions in ``by`` (all combinations that
    occur, sorted), with a total row."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown breakdown: {', '.join(unknown)}")
    groups: dict[tuple[str, ...], OutflowRow] = {}
    total = OutflowRow((), (_("Total"),))
    for m in measurements:
        status = m.at[months]
        values = tuple(DIMENSIONS[d](m) for d in by)
        if values not in groups:
            labels = tuple(dimension_label(d, v) for d, v in zip(by, values, strict=True))
            groups[values] = OutflowRow(values, labels)
        groups[values].count.add(status)
        total.count.add(status)
    rows = [groups[key] for key in sorted(groups)]
    return OutflowTable(months, tuple(by), rows, total)


# --- publishing ------------------------------------------------------------------------------

COUNT_FIELDS = ("ended", "measured", "unknown", "out", "work", "too_recent")


@dataclass(frozen=True)
class PublishedRow:
    row: OutflowRow
    hidden: frozenset[str]  # which of COUNT_FIELDS are suppressed

    def value(self, name: str) -> int | None:
        return None if name in self.hidden else getattr(self.row.count, name)

    def share(self, name: str) -> float | None:
        """Share of the measured, hidden with its count (or when nothing was measured)."""
        measured = self.row.count.measured
        if name in self.hidden or "measured" in self.hidden or not measured:
            return None
        return getattr(self.row.count, name) / measured

    def interval(self, name: str) -> tuple[float, float] | None:
        if self.share(name) is None:
            return None
        return rules.wilson(getattr(self.row.count, name), self.row.count.measured)


def publish(table: OutflowTable, limit: int | None = None) -> list[PublishedRow]:
    """Disclosure control over the table's counts, its total row included (the last row).

    Per row: ended = measured + unknown, measured = out + still unemployed, out = work +
    out-but-not-in-work (the last two never published, but a small one still counts).
    Across rows: each published count of the total is the sum of the rows' counts.
    """
    rows = [*table.rows, table.total]
    cells: dict[tuple[int, str], int] = {}
    relations: list[Relation] = []
    for index, row in enumerate(rows):
        c = row.count
        values = {
            "ended": c.ended,
            "measured": c.measured,
            "unknown": c.unknown,
            "out": c.out,
            "work": c.work,
            "too_recent": c.too_recent,
            "not_out": c.measured - c.out,
            "out_not_work": c.out - c.work,
        }
        cells.update({(index, name): value for name, value in values.items()})
        relations += [
            Relation((index, "ended"), ((index, "measured"), (index, "unknown"))),
            Relation((index, "measured"), ((index, "out"), (index, "not_out"))),
            Relation((index, "out"), ((index, "work"), (index, "out_not_work"))),
        ]
    last = len(rows) - 1
    if table.rows:
        for name in (*COUNT_FIELDS, "not_out", "out_not_work"):
            relations.append(
                Relation((last, name), tuple((i, name) for i in range(len(table.rows))))
            )
    unpublished = {key for key in cells if key[1] in ("not_out", "out_not_work")}
    hidden = protect(cells, relations, unpublished=unpublished, limit=limit)
    return [
        PublishedRow(row, frozenset(name for (i, name) in hidden if i == index))
        for index, row in enumerate(rows)
    ]


def as_records(table: OutflowTable, published: Sequence[PublishedRow]) -> list[dict]:
    """Rows for JSON and CSV: the dimension values, the counts and the shares (None when
    suppressed), the Wilson intervals, and the list of suppressed counts."""
    records = []
    for item in published:
        is_total = item.row is table.total
        record: dict[str, object] = {
            d: ("total" if is_total else v)
            for d, v in zip(
                table.dimensions, item.row.values or ("",) * len(table.dimensions), strict=True
            )
        }
        for name in COUNT_FIELDS:
            record[_json_name(name)] = item.value(name)
        for name in ("out", "work"):
            share = item.share(name)
            interval = item.interval(name)
            record[f"{_json_name(name)}_share"] = None if share is None else round(share, 4)
            record[f"{_json_name(name)}_ci_low"] = (
                None if interval is None else round(interval[0], 4)
            )
            record[f"{_json_name(name)}_ci_high"] = (
                None if interval is None else round(interval[1], 4)
            )
        record["suppressed"] = sorted(_json_name(name) for name in item.hidden)
        records.append(record)
    return records


def _json_name(name: str) -> str:
    return {"out": "out_of_unemployment", "work": "into_work"}.get(name, name)
