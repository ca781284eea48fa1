"""The trajectories outcome measurement counts, from Tandem itself and from legacy imports,
as plain rows with the traits the breakdowns and the comparison need (no names, no INSZ)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Avg, QuerySet

from tandem.trajectories.models import Assessment, Status, Trajectory

from .models import ImportedTrajectory, StatusEvent
from .selectors import in_group_work

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class CohortRow:
    key: str  # "t<pk>" for Tandem's own trajectories, "i<pk>" for imported ones
    person_id: int
    type: str
    start: dt.date
    end: dt.date
    group_work: bool
    province: str
    project: str  # the project's name, "" without one
    gender: str
    birth_date: dt.date
    education: str
    benefit: str
    first_reading: float | None  # mean level of the first self-sufficiency reading
    project_id: int | None = None


def _period(
    qs: QuerySet,
    ended_from: dt.date | None,
    ended_to: dt.date | None,
    person_ids: Sequence[int] | None = None,
) -> QuerySet:
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    if ended_from is not None:
        qs = qs.filter(end_date__gte=ended_from)
    if ended_to is not None:
        qs = qs.filter(end_date__lte=ended_to)
    return qs


PERSON_FIELDS = ("person__gender", "person__birth_date", "person__education", "person__benefit")


def _columns(group: str, province: str) -> tuple[str, ...]:
    """The values_list columns ``_row`` reads, for either source."""
    return ("pk", "person_id", "type", "start_date", "end_date", group, province, "project__name",
            *PERSON_FIELDS, "project_id")  # fmt: skip


def _first_readings(trajectory_ids: Sequence[int]) -> dict[int, float]:
    first: dict[int, float] = {}
    for start in range(0, len(trajectory_ids), CHUNK):
        rows = (
            Assessment.objects.filter(trajectory_id__in=trajectory_ids[start : start + CHUNK])
            .annotate(mean=Avg("readings__level"))
            .order_by("trajectory_id", "on", "pk")
            .values_list("trajectory_id", "mean")
        )
        for trajectory_id, mean in rows:
            if trajectory_id not in first and mean is not None:
                first[trajectory_id] = float(mean)
    return first


def tandem_rows(
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
    person_ids: Sequence[int] | None = None,
) -> list[CohortRow]:
    """Tandem's own closed trajectories. Group work: placed in a group at least once."""
    closed = Trajectory.objects.filter(status=Status.CLOSED)
    rows = list(
        _period(closed, ended_from, ended_to, person_ids)
        .annotate(group=in_group_work())
        .values_list(*_columns("group", "person__province"))
        .order_by()
    )
    readings = _first_readings([row[0] for row in rows])
    return [_row("t", row, readings.get(row[0])) for row in rows]


def _row(prefix: str, row: tuple, reading: float | None) -> CohortRow:
    """A row from the values_list of ``tandem_rows`` and ``imported_rows`` (same columns)."""
    (pk, person, kind, start, end, group, province, project, gender, birth, education, benefit,
     project_id) = row  # fmt: skip
    return CohortRow(
        f"{prefix}{pk}", person, kind, start, end, group, province, project or "",
        gender, birth, education, benefit, reading, project_id,
    )  # fmt: skip


def imported_rows(
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
    person_ids: Sequence[int] | None = None,
) -> list[CohortRow]:
    """Trajectories migrated from a legacy system that have an end date."""
    ended = ImportedTrajectory.objects.filter(end_date__isnull=False)
    rows = (
        _period(ended, ended_from, ended_to, person_ids)
        .values_list(*_columns("group_work", "province"))
        .order_by()
    )
    return [_row("i", row, None) for row in rows]


def cohort_rows(
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
    person_ids: Sequence[int] | None = None,
) -> list[CohortRow]:
    """Every ended trajectory (of ``person_ids`` only, when given)."""
    return tandem_rows(ended_from, ended_to, person_ids) + imported_rows(
        ended_from, ended_to, person_ids
    )


History = tuple[list[dt.date], list[str]]


def histories(person_ids: Iterable[int]) -> Iterator[tuple[int, History]]:
    """Each person's status events as (dates, statuses), sorted by date, a chunk at a time."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk: dict[int, History] = defaultdict(lambda: ([], []))
        events = (
            StatusEvent.objects.filter(person_id__in=ids[start : start + CHUNK])
            .order_by("person_id", "date")
            .values_list("person_id", "date", "status")
        )
        for person_id, day, status in events:
            dates, statuses = chunk[person_id]
            dates.append(day)
            statuses.append(status)
        yield from chunk.items()
