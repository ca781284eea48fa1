"""Benchmark outflow measurement: 50,000 ended trajectories with 1,000,000 status events.

Builds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL points there),
bulk-loads a deterministic cohort, then times what the dashboard and ``outcomes_report`` do:
the cohort query, the status lookups at +6/+12/+24 months, a breakdown by type × group work
with disclosure control, and the raw-versus-adjusted comparison.

Goal: the whole measurement for 50,000 trajectories in under 15 s. Exit status 1 when missed.
Run with ``make bench`` or ``.venv/bin/python bench/bench_outflow.py [--trajectories N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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

GOAL_TRAJECTORIES = 50_000
GOAL_SECONDS = 15.0
EVENTS_PER_PERSON = 20
SEED = 20_261_122
STATUSES = ["employed", "unemployed", "leefloon", "training", "jobseeker_no_benefit", "inactive"]


def load(trajectories: int) -> None:
    from tandem.accounts.models import Organisation
    from tandem.outcomes.models import ImportedTrajectory, StatusEvent
    from tandem.registry.models import Person

    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
    organisation = Organisation.objects.create(name="Bench", code="bench", kind="pes")
    Person.objects.bulk_create(
        (
            Person(
                organisation=organisation,
                first_name="B",
                last_name=f"P{n}",
                birth_date=dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                gender="FMX"[n % 3],
                municipality="",
                province=["antwerpen", "limburg", "oost_vlaanderen"][n % 3],
                registration="registered",
                benefit="unknown",
                nationality_group="unknown",
            )
            for n in range(trajectories)
        ),
        batch_size=5000,
    )
    ids = list(Person.objects.values_list("pk", flat=True))
    base = dt.date(2016, 1, 1)
    rows, events = [], []
    for person_id in ids:
        start = base + dt.timedelta(days=rng.randrange(1500))
        rows.append(
            ImportedTrajectory(
                person_id=person_id,
                type=rng.choice(["w2", "w2", "youth", "work_care"]),
                province="limburg",
                start_date=start,
                end_date=start + dt.timedelta(days=rng.randrange(90, 700)),
                closure_reason="other",
                group_work=rng.random() < 0.4,
            )
        )
        day = start - dt.timedelta(days=400)
        for _ in range(EVENTS_PER_PERSON):
            events.append(StatusEvent(person_id=person_id, date=day, status=rng.choice(STATUSES)))
            day += dt.timedelta(days=rng.randrange(30, 150))
        if len(events) >= 100_000:
            StatusEvent.objects.bulk_create(events, batch_size=10_000)
            events = []
    StatusEvent.objects.bulk_create(events, batch_size=10_000)
    ImportedTrajectory.objects.bulk_create(rows, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trajectories", type=int, default=GOAL_TRAJECTORIES)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        load(args.trajectories)
        print(
            f"loaded {args.trajectories:,} trajectories and "
            f"{args.trajectories * EVENTS_PER_PERSON:,} status events "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
        )

        from tandem.outcomes.comparison import compare
        from tandem.outcomes.outflow import measure_period, outflow_table, publish

        started = time.perf_counter()
        measurements = measure_period(dt.date(2026, 1, 1))
        measured = time.perf_counter() - started
        table = outflow_table(measurements, 24, by=("type", "group_work"))
        publish(table)
        comparison = compare(measurements, 24)
        total = time.perf_counter() - started
        assert comparison is not None
        print(f"measure (cohort + +6/12/24 lookups): {measured:.2f} s")
        print(
            f"+ table, disclosure control, comparison: {total:.2f} s "
            f"({len(measurements) / total:,.0f} trajectories/s)"
        )
        ok = args.trajectories < GOAL_TRAJECTORIES or total < GOAL_SECONDS
        print(
            f"{'PASS' if ok else 'FAIL'}: goal {GOAL_TRAJECTORIES:,} trajectories "
            f"in < {GOAL_SECONDS:.0f} s"
        )
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
