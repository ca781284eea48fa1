"""Keeping ``TrajectoryOutcome`` current: one row per ended trajectory, rebuilt per person.

``refresh_outcomes(person_ids)`` measures the persons' ended trajectories with the same pure
rules the per-trajectory computation uses (``outflow.measure``: ``rules.status_on``,
``rules.months_unemployed_before``, the bands) and replaces their rows; ``None`` rebuilds the
whole table. The status import, the trajectory import, closing and reopening a trajectory,
editing a person and retention/erasure call it for the persons they touched; ``manage.py
refresh_outcomes`` rebuilds everything (also usable as a scheduled refresh).

The status at a +N day still ahead is stored as the status known today for that day; it is
not counted before the day has come (``day_N < today`` at query time), and any status event
imported before then refreshes the person's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from tandem.trajectories.models import Status, Trajectory

from . import rules
from .cohort import cohort_rows
from .models import ImportedTrajectory, TrajectoryOutcome
from .outflow import Measurement, measure

# Persons per batch: a batch is four queries (own, imported, first readings, status events)
# and one bulk insert.
BATCH = 2000
# Above this many persons a full rebuild is cheaper than per-person deletes.
FULL_ABOVE = 50_000
# Every +N day lies before this: the status on each day is stored, due or not.
NEVER = dt.date.max


def _values(m: Measurement) -> dict[str, object]:
    """The outcome row of one measured trajectory, column by column."""
    row = m.row
    pk = int(row.key[1:])
    return {
        "trajectory_id": pk if row.key[0] == "t" else None,
        "imported_id": pk if row.key[0] == "i" else None,
        "person_id": row.person_id,
        "type": row.type,
        "province": row.province,
        "project_id": row.project_id,
        "group_work": row.group_work,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "age_band": rules.age_band(row.birth_date, row.start),
        "education": row.education,
        "benefit": row.benefit,
        "start_date": row.start,
        "end_date": row.end,
        "first_reading": row.first_reading,
        "reading_band": rules.reading_band(row.first_reading),
        "months_unemployed": m.months_unemployed,
        "months_band": rules.months_band(m.months_unemployed),
        **{f"day_{n}": rules.measure_day(row.end, n) for n in rules.MEASURE_MONTHS},
        **{f"status_{n}": m.at[n] for n in rules.MEASURE_MONTHS},
    }


def _write(person_ids: Sequence[int]) -> int:
    rows = [_values(m) for m in measure(cohort_rows(person_ids=person_ids), NEVER)]
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        # COPY: a third of the time of building model instances for bulk_create.
        columns = list(rows[0])
        sql = f"COPY {TrajectoryOutcome._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row(tuple(values.values()))
    else:
        TrajectoryOutcome.objects.bulk_create(
            (TrajectoryOutcome(**values) for values in rows), batch_size=BATCH
        )
    return len(rows)


def _ended_person_ids() -> list[int]:
    own = Trajectory.objects.filter(status=Status.CLOSED).values_list("person_id", flat=True)
    imported = ImportedTrajectory.objects.filter(end_date__isnull=False).values_list(
        "person_id", flat=True
    )
    return sorted(set(own.order_by().distinct()) | set(imported.order_by().distinct()))


@transaction.atomic
def refresh_outcomes(person_ids: Iterable[int] | None = None) -> int:
    """Rebuild the outcome rows of ``person_ids`` (all rows when None); the number written.

    A derived table: what it is computed from (trajectories, readings, status events) was
    written, and audited, by the caller."""
    if person_ids is not None:
        ids = sorted(set(person_ids))
        if len(ids) <= FULL_ABOVE:
            written = 0
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                TrajectoryOutcome.objects.filter(person_id__in=chunk).delete()
                written += _write(chunk)
            return written
    TrajectoryOutcome.objects.all().delete()
    ids = _ended_person_ids()
    return sum(_write(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))


def outcomes_missing() -> bool:
    """Whether ended trajectories exist but the table is empty (a database from before the
    table: ``apps.OutcomesConfig`` then fills it after ``migrate``)."""
    if TrajectoryOutcome.objects.exists():
        return False
    return (
        Trajectory.objects.filter(status=Status.CLOSED).exists()
        or ImportedTrajectory.objects.filter(end_date__isnull=False).exists()
    )
