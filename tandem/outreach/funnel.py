"""The outreach funnel as pure functions over compact rows (no database here).

One row per prospect. A prospect counts in a period when they had a contact moment in it;
each later stage is counted among those, on what had happened by the end of the period:

- contacted: at least one contact moment in the period;
- engaged: at least two contact moments (repeated contact: they came back or were met again);
- intake: registered as a person (converted, with consent);
- trajectory: a trajectory started on or after the registration;
- work or training: such a trajectory reached work (a job start) or closed with work or
  training as its reason.

A prospect is counted at the find place of their first contact (where they were found) and
under the project of that place.

``protect_funnel`` is the disclosure control for those who may not see the people (counts of
1–4 hidden, and enough others that none can be worked out from a total or a drop-out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from tandem.common.dates import quarter_of
from tandem.common.disclosure import Relation, protect

STAGES = ("contacted", "engaged", "intake", "trajectory", "outcome")


@dataclass(frozen=True)
class FunnelRow:
    team: str
    project: str
    place: str
    moments: tuple[dt.date, ...]  # sorted
    converted_on: dt.date | None = None
    trajectory_on: dt.date | None = None
    outcome_on: dt.date | None = None


@dataclass
class Counts:
    contacted: int = 0
    engaged: int = 0
    intake: int = 0
    trajectory: int = 0
    outcome: int = 0

    def as_list(self) -> list[int]:
        return [getattr(self, s) for s in STAGES]


def _by(day: dt.date | None, end: dt.date | None) -> bool:
    return day is not None and (end is None or day <= end)


def count_row(
    counts: Counts, row: FunnelRow, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Add one prospect to ``counts`` for the period [start, end] (open ends allowed)."""
    if not any((start is None or d >= start) and (end is None or d <= end) for d in row.moments):
        return
    counts.contacted += 1
    if sum(1 for d in row.moments if end is None or d <= end) >= 2:
        counts.engaged += 1
    if _by(row.converted_on, end):
        counts.intake += 1
    if _by(row.trajectory_on, end):
        counts.trajectory += 1
    if _by(row.outcome_on, end):
        counts.outcome += 1


@dataclass
class Funnel:
    total: Counts = field(default_factory=Counts)
    groups: dict[str, Counts] = field(default_factory=dict)


def funnel(
    rows: Iterable[FunnelRow],
    key: Callable[[FunnelRow], str],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Funnel:
    """Count the stages per group (``key`` gives a row's group) and in total."""
    result = Funnel()
    for row in rows:
        count_row(result.total, row, start, end)
        count_row(result.groups.setdefault(key(row), Counts()), row, start, end)
    result.groups = {k: v for k, v in sorted(result.groups.items()) if v.contacted}
    return result


@dataclass
class QuarterRow:
    quarter: str
    counts: Counts
    outcome_cumulative: int


def by_quarter(rows: Iterable[FunnelRow]) -> list[QuarterRow]:
    """What happened in each quarter: first contacts, second contacts (engaged), registrations,
    trajectory starts and work or training reached, with the running total of the last."""
    events: dict[str, Counts] = {}

    def add(day: dt.date | None, stage: str) -> None:
        if day is not None:
            counts = events.setdefault(quarter_of(day), Counts())
            setattr(counts, stage, getattr(counts, stage) + 1)

    for row in rows:
        add(row.moments[0] if row.moments else None, "contacted")
        add(row.moments[1] if len(row.moments) > 1 else None, "engaged")
        add(row.converted_on, "intake")
        add(row.trajectory_on, "trajectory")
        add(row.outcome_on, "outcome")
    result = []
    running = 0
    for quarter in sorted(events):
        running += events[quarter].outcome
        result.append(QuarterRow(quarter, events[quarter], running))
    return result


# --- disclosure control ------------------------------------------------------------------------

# Each later stage is a subset of an earlier one (engaged and intake both of contacted: one can
# register after a single contact); the difference, the drop-out, is never published.
NESTED = (
    ("contacted", "engaged"),
    ("contacted", "intake"),
    ("intake", "trajectory"),
    ("trajectory", "outcome"),
)
CUMULATIVE = "cumulative"


@dataclass
class FunnelHidden:
    """Which stages are hidden: of the total, of each row of each table (in the order given),
    and of each quarter (with ``CUMULATIVE`` for the running total)."""

    total: set[str]
    tables: list[list[set[str]]]
    quarters: list[set[str]]


def protect_funnel(
    total: Counts,
    tables: Sequence[Sequence[Counts]],
    quarters: Sequence[QuarterRow] = (),
    *,
    limit: int | None = None,
) -> FunnelHidden:
    """Hide the small counts and enough others that a reader cannot work them out. The rows of
    each table add up to ``total`` (every prospect counts in one team, one project, one place);
    within a row, each stage plus its drop-out is the stage it comes from. With ``quarters``,
    ``total`` must be the all-time funnel: each column of quarters adds up to it, and each
    running total is the one before plus the quarter's work or training."""
    cells: dict[Hashable, int] = {}
    relations: list[Relation] = []
    unpublished: list[Hashable] = []

    def add_row(row: Hashable, counts: Counts) -> None:
        for stage in STAGES:
            cells[(row, stage)] = getattr(counts, stage)
        for whole, part in NESTED:
            drop = (row, f"{whole}-{part}")
            cells[drop] = getattr(counts, whole) - getattr(counts, part)
            unpublished.append(drop)
            relations.append(Relation((row, whole), ((row, part), drop)))

    add_row("total", total)
    names = [*STAGES, *(f"{whole}-{part}" for whole, part in NESTED)]
    for t, table in enumerate(tables):
        for r, counts in enumerate(table):
            add_row((t, r), counts)
        if table:
            for name in names:
                relations.append(
                    Relation(("total", name), tuple(((t, r), name) for r in range(len(table))))
                )

    for q, quarter in enumerate(quarters):
        for stage in STAGES:
            cells[(("q", q), stage)] = getattr(quarter.counts, stage)
        cells[(("q", q), CUMULATIVE)] = quarter.outcome_cumulative
        before = ((("q", q - 1), CUMULATIVE),) if q else ()
        relations.append(Relation((("q", q), CUMULATIVE), (*before, (("q", q), "outcome"))))
    if quarters:
        for stage in STAGES:
            parts: tuple[Hashable, ...] = tuple((("q", q), stage) for q in range(len(quarters)))
            extra = sum(cells[p] for p in parts) - getattr(total, stage)
            if extra:  # events of prospects the funnel does not count (no contact moment)
                cells[("extra", stage)] = extra
                unpublished.append(("extra", stage))
                parts += (("extra", stage),)
            relations.append(Relation(("total", stage), parts))
        last = (("q", len(quarters) - 1), CUMULATIVE)
        if cells[last] == total.outcome:
            relations.append(Relation(("total", "outcome"), (last,)))
            relations.append(Relation(last, (("total", "outcome"),)))

    hidden = protect(cells, relations, unpublished=unpublished, limit=limit)

    def of(row: Hashable) -> set[str]:
        return {name for name in (*STAGES, CUMULATIVE) if (row, name) in hidden}

    return FunnelHidden(
        total=of("total"),
        tables=[[of((t, r)) for r in range(len(table))] for t, table in enumerate(tables)],
        quarters=[of(("q", q)) for q in range(len(quarters))],
    )
