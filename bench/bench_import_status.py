"""Benchmark ``import_status``: 200,000 status rows for 20,000 persons, CSV to database.

Creates a throwaway test database (``test_…`` on PostgreSQL when ``DATABASE_URL`` is set,
else SQLite in memory), bulk-creates the persons, writes a deterministic CSV (10 events per
person, shuffled), then times

  (a) the first import (all rows created);
  (b) the same file again (all rows unchanged — the idempotent path).

Goal: at least 20,000 rows per second on the first import (5 M rows in about four minutes).
Exit status 1 when the goal is missed. Run with ``make bench`` or
``.venv/bin/python bench/bench_import_status.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from tandem.accounts.models import Organisation, OrganisationKind  # noqa: E402
from tandem.outcomes.importing import import_status  # noqa: E402
from tandem.outcomes.models import LabourStatus, StatusEvent  # noqa: E402
from tandem.registry import insz as insz_rules  # noqa: E402
from tandem.registry.models import Person  # noqa: E402

GOAL_ROWS_PER_SECOND = 20_000
EVENTS_PER_PERSON = 10
SEED = 20_260_101


def make_persons(count: int) -> list[str]:
    """Bulk-create ``count`` persons; return their INSZ numbers."""
    owner = Organisation.objects.create(
        name="Bench", code="bench", kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
    )
    first_day = dt.date(1960, 1, 1)
    inszs = [
        insz_rules.make(first_day + dt.timedelta(days=n // 900), n % 900 + 1) for n in range(count)
    ]
    for start in range(0, count, 10_000):
        Person.objects.bulk_create(
            Person(
                organisation=owner,
                first_name="Bench",
                last_name=f"Person {n}",
                insz=insz,
                birth_date=first_day,
                gender="X",
                municipality="",
                province="antwerpen",
                registration="registered",
                benefit="unknown",
                nationality_group="unknown",
            )
            for n, insz in enumerate(inszs[start : start + 10_000], start=start)
        )
    return inszs


def write_csv(inszs: list[str], path: Path, seed: int = SEED) -> int:
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    statuses = LabourStatus.values
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=30 * k) for k in range(EVENTS_PER_PERSON)]
    rows = [f"{insz},{day:%d/%m/%Y},{rng.choice(statuses)}\n" for insz in inszs for day in days]
    rng.shuffle(rows)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("insz,date,status\n")
        handle.writelines(rows)
    return len(rows)


def timed_import(path: Path) -> tuple[float, object]:
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        report = import_status(handle, source_name="bench")
    return time.perf_counter() - start, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    rows_wanted = parser.parse_args().rows
    persons = max(1, rows_wanted // EVENTS_PER_PERSON)
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"bench_import_status: {connection.vendor}, {persons:,} persons")
        start = time.perf_counter()
        inszs = make_persons(persons)
        print(f"  persons bulk-created:         {time.perf_counter() - start:7.2f} s")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "status.csv"
            rows = write_csv(inszs, path)
            print(f"  input CSV: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
            first, report = timed_import(path)
            print(f"  (a) first import:             {first:7.2f} s  {report}")
            again, report = timed_import(path)
            print(f"  (b) same file again:          {again:7.2f} s  {report}")
        assert StatusEvent.objects.count() == rows
        rate = rows / first
        print(f"      rows per second, first:   {rate:10,.0f}  (goal ≥ {GOAL_ROWS_PER_SECOND:,})")
        print(f"      rows per second, again:   {rows / again:10,.0f}")
    finally:
        teardown_databases(databases, verbosity=0)
    passed = rate >= GOAL_ROWS_PER_SECOND
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict}: goal ≥ {GOAL_ROWS_PER_SECOND:,} rows per second on the first import")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
