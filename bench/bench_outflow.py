"""Benchmark the outflow figure over the outcome table: 300,000 ended trajectories.

Builds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL points there) and
loads 300,000 ended trajectories with their outcome rows (``outcomes.TrajectoryOutcome``, as
``refresh_outcomes`` leaves them; ``COPY`` on PostgreSQL, batched inserts on SQLite). Then it
times what ``outcomes_report --months 24 --by type,group_work`` and the API do — the counts by
type × group work at +24 months from ``outcomes.figures.outflow_counts`` (one ``GROUP BY``)
and their disclosure control (``outflow.publish``) — beside one hand-written SQL query that
counts the same cells from the same table (the floor), and prints the ratio from the same run.
It also times the adjusted comparison (raking over aggregated cells) and a refresh of the
rows of 100 persons (10,000 trajectories) from their trajectories and status events.

Goal (issue 20): the 24-month outflow over 300,000 trajectories in < 2 s and ≤ 1.5× the
hand-written query. Exit status 1 when missed. Run with ``make bench`` or
``.venv/bin/python bench/bench_outflow.py [--trajectories N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

GOAL_TRAJECTORIES = 300_000
GOAL_SECONDS = 2.0
GOAL_RATIO = 1.5
TRAJECTORIES_PER_PERSON = 100
REPEAT = 5
REFRESH_PERSONS = 100  # their rows are refreshed at the end: 100 trajectories each
SEED = 20_261_122
TODAY = dt.date(2026, 1, 1)
STATUSES = [
    "employed",
    "unemployed",
    "leefloon",
    "training",
    "jobseeker_no_benefit",
    "inactive",
    None,
]
TYPES = ["w2", "w2", "youth", "work_care"]
PROVINCES = ["antwerpen", "limburg", "oost_vlaanderen", "west_vlaanderen", "vlaams_brabant"]


def _copy(model: type, columns: list[str], rows: list[tuple]) -> None:
    """Write ``rows`` into ``model``'s table: ``COPY`` on PostgreSQL, batched inserts else."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 10_000):
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - table and columns from the models
                    rows[start : start + 10_000],
                )


def load(trajectories: int) -> None:
    from tandem.accounts.models import Organisation
    from tandem.outcomes import rules
    from tandem.outcomes.models import ImportedTrajectory, StatusEvent, TrajectoryOutcome
    from tandem.registry.models import Person

    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
    organisation = Organisation.objects.create(name="Bench", code="bench", kind="pes")
    persons = max(1, trajectories // TRAJECTORIES_PER_PERSON)
    Person.objects.bulk_create(
        (
            Person(
                organisation=organisation,
                first_name="B",
                last_name=f"P{n}",
                birth_date=dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                gender="FMX"[n % 3],
                municipality="",
                province=PROVINCES[n % len(PROVINCES)],
                registration="registered",
                benefit="unknown",
                nationality_group="unknown",
            )
            for n in range(persons)
        ),
        batch_size=5000,
    )
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    people = dict(Person.objects.values_list("pk", "birth_date"))
    base = dt.date(2016, 1, 1)
    imported, outcomes, events = [], [], []
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    for n in range(trajectories):
        pk = n + 1
        person_id = person_ids[n % persons]
        # A distinct start per person (the natural key): the n-th of the person's rows.
        start = base + dt.timedelta(days=(n // persons) * 17 + rng.randrange(17))
        end = start + dt.timedelta(days=rng.randrange(90, 700))
        kind, group = rng.choice(TYPES), rng.random() < 0.4
        province = PROVINCES[rng.randrange(len(PROVINCES))]
        imported.append(
            (pk, person_id, kind, province, start, end, "other", group, now)
        )  # fmt: skip
        statuses = [rng.choice(STATUSES) for _ in rules.MEASURE_MONTHS]
        first = rng.choice([None, 1.5, 2.7, 3.9])
        months = rng.choice([None, 0, 7, 15, 30])
        birth = people[person_id]
        days = [rules.measure_day(end, m) for m in rules.MEASURE_MONTHS]
        outcomes.append(
            (pk, pk, person_id, kind, province, group, "F", birth, rules.age_band(birth, start),
             "isced_3_4", "unemployment", start, end, first, rules.reading_band(first), months,
             rules.months_band(months), *days, *statuses)
        )  # fmt: skip
    for person_id in person_ids[:REFRESH_PERSONS]:
        day = base - dt.timedelta(days=400)
        for _ in range(60):
            events.append((person_id, day, rng.choice(STATUSES[:-1]), "bench"))
            day += dt.timedelta(days=rng.randrange(30, 90))
    _copy(
        ImportedTrajectory,
        ["id", "person_id", "type", "province", "start_date", "end_date", "closure_reason",
         "group_work", "imported_at"],
        imported,
    )  # fmt: skip
    _copy(
        TrajectoryOutcome,
        ["id", "imported_id", "person_id", "type", "province", "group_work", "gender",
         "birth_date", "age_band", "education", "benefit", "start_date", "end_date",
         "first_reading", "reading_band", "months_unemployed", "months_band", "day_6", "day_12",
         "day_24", "status_6", "status_12", "status_24"],
        outcomes,
    )  # fmt: skip
    _copy(StatusEvent, ["person_id", "date", "status", "source"], events)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (ImportedTrajectory, TrajectoryOutcome, StatusEvent):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - table names from the models
                    f"(SELECT MAX(id) FROM {table}))"
                )
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


FLOOR_SQL = """
SELECT type, group_work,
       COUNT(*) FILTER (WHERE day_24 < %(today)s),
       COUNT(*) FILTER (WHERE day_24 < %(today)s AND status_24 IS NULL),
       COUNT(*) FILTER (WHERE day_24 < %(today)s AND status_24 IS NOT NULL
                        AND status_24 NOT IN ('unemployed', 'jobseeker_no_benefit', 'leefloon')),
       COUNT(*) FILTER (WHERE day_24 < %(today)s
                        AND status_24 IN ('employed', 'employed_social_economy', 'self_employed')),
       COUNT(*) FILTER (WHERE day_24 >= %(today)s)
FROM outcomes_trajectoryoutcome
GROUP BY type, group_work
"""


def _median(run, repeat: int = REPEAT) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trajectories", type=int, default=GOAL_TRAJECTORIES)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                jit = cursor.fetchone()[0]
        else:
            jit = "n/a"
        started = time.perf_counter()
        load(args.trajectories)
        print(
            f"loaded {args.trajectories:,} ended trajectories with their outcome rows "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor}, jit {jit})"
        )

        from tandem.outcomes import figures
        from tandem.outcomes.outflow import publish
        from tandem.outcomes.services import refresh_outcomes

        def figure() -> object:
            table = figures.outflow_counts(today=TODAY, months=24, by=("type", "group_work"))
            publish(table)
            return table

        def floor() -> object:
            with connection.cursor() as cursor:
                sql = FLOOR_SQL
                if connection.vendor != "postgresql":
                    sql = sql.replace("%(today)s", "%s")
                    cursor.execute(sql, [TODAY.isoformat()] * sql.count("%s"))
                else:
                    cursor.execute(sql, {"today": TODAY})
                return cursor.fetchall()

        figure()  # warm the caches and the connection
        floor()
        seconds, table = _median(figure)
        floor_seconds, floor_rows = _median(floor)
        counted = sum(row.count.ended + row.count.too_recent for row in table.rows)  # type: ignore[attr-defined]
        assert counted == args.trajectories == sum(r[2] + r[6] for r in floor_rows)  # type: ignore[union-attr]
        ratio = seconds / floor_seconds if floor_seconds else float("inf")
        print(
            f"outflow at +24 months by type x group work, with disclosure control: "
            f"{seconds * 1000:.0f} ms (median of {REPEAT})"
        )
        print(
            f"floor: the same counts in one hand-written SQL query: {floor_seconds * 1000:.0f} ms"
        )
        print(f"ratio: {ratio:.2f}x the floor")
        comparison_seconds, result = _median(
            lambda: figures.comparison(figures.outcomes(), 24, today=TODAY)
        )
        assert result is not None
        print(
            f"adjusted comparison (raking over aggregated cells): "
            f"{comparison_seconds * 1000:.0f} ms"
        )
        persons = list(
            figures.outcomes()
            .values_list("person_id", flat=True)
            .distinct()
            .order_by()[:REFRESH_PERSONS]
        )
        started = time.perf_counter()
        written = refresh_outcomes(persons)
        refresh = time.perf_counter() - started
        print(
            f"refresh_outcomes of {len(persons):,} persons ({written:,} trajectories, their "
            f"status events): {refresh:.2f} s ({written / refresh:,.0f} trajectories/s)"
        )
        big = args.trajectories >= GOAL_TRAJECTORIES
        ok = not big or (seconds < GOAL_SECONDS and ratio <= GOAL_RATIO)
        print(
            f"{'PASS' if ok else 'FAIL'}: goal {GOAL_TRAJECTORIES:,} trajectories in "
            f"< {GOAL_SECONDS:.0f} s and <= {GOAL_RATIO}x the hand-written query"
            + ("" if big else " (not checked below the goal's size)")
        )
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
