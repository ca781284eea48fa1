"""Outflow figures counted in SQL from ``TrajectoryOutcome``: one ``GROUP BY`` per breakdown
(``COUNT(*) FILTER (...)`` on PostgreSQL), whatever the number of trajectories.

The counts mean what ``outflow.OutflowCount.add`` means for one measured trajectory: a
trajectory whose +N day (``day_N``) lies before today is ended and due, unknown without a
status on that day, out of unemployment or into work by ``rules.UNEMPLOYED_STATUSES`` and
``rules.WORK_STATUSES``; one whose +N day is still ahead is too recent. The tables come back as
``outflow.OutflowTable`` and go through the same ``outflow.publish`` (disclosure control).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from . import rules
from .comparison import TRAITS, Cell, Comparison, compare_cells
from .models import TrajectoryOutcome
from .outflow import DIMENSIONS, OutflowCount, OutflowRow, OutflowTable, dimension_label

# The column each breakdown groups by, and how its value becomes the code the tables use.
COLUMNS: dict[str, str] = {
    "type": "type",
    "group_work": "group_work",
    "province": "province",
    "project": "project__name",
    "end_year": "end_date__year",
    "gender": "gender",
    "age_band": "age_band",
}
CODES: dict[str, Callable[[Any], str]] = {
    "group_work": lambda value: "group" if value else "individual",
    "project": lambda value: value or "",
    "end_year": str,
}
# The column that holds each trait of the comparison (bands stored with the row).
TRAIT_COLUMNS = {
    "age_band": "age_band",
    "education": "education",
    "benefit": "benefit",
    "first_reading": "reading_band",
    "months_unemployed": "months_band",
}
COUNTS = ("ended", "unknown", "out", "work", "too_recent")


def outcomes(
    ended_from: dt.date | None = None, ended_to: dt.date | None = None, province: str = ""
) -> QuerySet[TrajectoryOutcome]:
    """The rows of the trajectories that ended in the period (in the province)."""
    rows = TrajectoryOutcome.objects.all()
    if ended_from is not None:
        rows = rows.filter(end_date__gte=ended_from)
    if ended_to is not None:
        rows = rows.filter(end_date__lte=ended_to)
    if province:
        rows = rows.filter(province=province)
    return rows


def _due(months: int, today: dt.date) -> Q:
    return Q(**{f"day_{months}__lt": today})


def _measured(months: int, today: dt.date) -> Q:
    return _due(months, today) & Q(**{f"status_{months}__isnull": False})


def _out(months: int) -> Q:
    return ~Q(**{f"status_{months}__in": sorted(rules.UNEMPLOYED_STATUSES)})


def _work(months: int) -> Q:
    return Q(**{f"status_{months}__in": sorted(rules.WORK_STATUSES)})


def _counts(months: int, today: dt.date) -> dict[str, Count]:
    due, measured = _due(months, today), _measured(months, today)
    return {
        f"ended_{months}": Count("pk", filter=due),
        f"unknown_{months}": Count("pk", filter=due & Q(**{f"status_{months}__isnull": True})),
        f"out_{months}": Count("pk", filter=measured & _out(months)),
        f"work_{months}": Count("pk", filter=measured & _work(months)),
        f"too_recent_{months}": Count("pk", filter=~due),
    }


def outflow_tables(
    rows: QuerySet[TrajectoryOutcome],
    months: Iterable[int],
    by: Sequence[str] = (),
    *,
    today: dt.date,
) -> dict[int, OutflowTable]:
    """The outflow table at each of ``months``, grouped by ``by``, from one query."""
    months = tuple(months)
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown breakdown: {', '.join(unknown)}")
    columns = [COLUMNS[d] for d in by]
    aggregates: dict[str, Count] = {}
    for n in months:
        aggregates.update(_counts(n, today))
    if columns:
        found = list(rows.values(*columns).annotate(**aggregates).order_by())
    else:
        total = rows.aggregate(**aggregates)
        found = [total] if any(total.values()) else []
    tables = {}
    for n in months:
        groups: dict[tuple[str, ...], OutflowRow] = {}
        total_row = OutflowRow((), (_("Total"),))
        for record in found:
            values = tuple(CODES.get(d, str)(record[c]) for d, c in zip(by, columns, strict=True))
            if values not in groups:
                labels = tuple(dimension_label(d, v) for d, v in zip(by, values, strict=True))
                groups[values] = OutflowRow(values, labels)
            count = groups[values].count
            for name in COUNTS:
                setattr(count, name, getattr(count, name) + record[f"{name}_{n}"])
                setattr(
                    total_row.count, name, getattr(total_row.count, name) + record[f"{name}_{n}"]
                )
        table_rows = [groups[key] for key in sorted(groups) if _any(groups[key].count)]
        tables[n] = OutflowTable(n, tuple(by), table_rows, total_row)
    return tables


def _any(count: OutflowCount) -> bool:
    return bool(count.ended or count.too_recent)


def outflow_counts(
    *,
    today: dt.date,
    months: int,
    by: Sequence[str] = (),
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
    province: str = "",
) -> OutflowTable:
    """The outflow table at +``months`` by ``by`` for a period and province: one query."""
    rows = outcomes(ended_from, ended_to, province)
    return outflow_tables(rows, (months,), by, today=today)[months]


def comparison_cells(
    rows: QuerySet[TrajectoryOutcome],
    months: int,
    *,
    today: dt.date,
    traits: Sequence[str] = tuple(TRAITS),
) -> list[Cell]:
    """The measured trajectories at +``months`` counted per group work and mix of traits."""
    columns = [TRAIT_COLUMNS[t] for t in traits]
    found = (
        rows.filter(_measured(months, today))
        .values("group_work", *columns)
        .annotate(
            n=Count("pk"),
            out=Count("pk", filter=_out(months)),
            work=Count("pk", filter=_work(months)),
        )
        .order_by()
    )
    return [
        Cell(
            record["group_work"],
            tuple(record[c] for c in columns),
            record["n"],
            record["out"],
            record["work"],
        )
        for record in found
    ]


def comparison(
    rows: QuerySet[TrajectoryOutcome],
    months: int,
    *,
    today: dt.date,
    traits: Sequence[str] = tuple(TRAITS),
) -> Comparison | None:
    """``comparison.compare`` over the aggregated cells: one query."""
    return compare_cells(comparison_cells(rows, months, today=today, traits=traits), months, traits)
