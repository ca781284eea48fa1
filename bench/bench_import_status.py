"""Benchmark ``import_status``: 200,000 status rows for 20,000 persons, CSV to database.

Creates a throwaway test database (``test_…`` on PostgreSQL when ``DATABASE_URL`` is set,
else SQLite in memory), bulk-creates the persons, writes a deterministic CSV (10 events per
person, shuffled), then times

  (f) the floor: the same rows (same order, national numbers replaced by person ids, dates
      parsed by the database) written straight into a table of the same shape — a fresh
      copy of ``outcomes_statusevent`` with its primary key, its unique (person, date) index,
      its person index and its deferred foreign key to the person — in one transaction:
      ``COPY … FROM STDIN (FORMAT csv)`` on PostgreSQL, ``executemany`` on SQLite; the better
      of two runs (one before, one after the import);
  (a) the first import (all rows created);
  (b) the same file again (all rows unchanged — the idempotent path).

Goals: the first import at least 50 % of the floor's rows per second (issue 20: "the status
import ≥ 50 % of COPY of the same file"), and at least 20,000 rows per second (5 M rows in
about four minutes). Exit status 1 when a goal is missed. Run with ``make bench`` or
``.venv/bin/python bench/bench_import_status.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import csv
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

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from tandem.accounts.models import Organisation, OrganisationKind  # noqa: E402
from tandem.outcomes.importing import import_status  # noqa: E402
from tandem.outcomes.models import LabourStatus, StatusEvent  # noqa: E402
from tandem.registry import insz as insz_rules  # noqa: E402
from tandem.registry.models import Person  # noqa: E402

GOAL_ROWS_PER_SECOND = 20_000
GOAL_SHARE_OF_FLOOR = 0.5
FLOOR_TABLE = "bench_floor_statusevent"
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


def write_floor_csv(path: Path, floor_path: Path) -> None:
    """The import's file as the floor writes it: the same rows in the same order, the
    national number replaced by its person's id and the source the import would fill in."""
    ids = dict(Person.objects.values_list("insz", "id"))
    with path.open(encoding="utf-8") as source, floor_path.open("w", encoding="utf-8") as out:
        source.readline()
        out.write("person_id,date,status,source\n")
        for line in source:
            insz, rest = line.split(",", 1)
            out.write(f"{ids[insz]},{rest.rstrip()},bench\n")


def _create_floor_table(cursor: object) -> None:
    events, person = StatusEvent._meta.db_table, Person._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(  # type: ignore[attr-defined]
            f"CREATE TABLE {FLOOR_TABLE} (LIKE {events} INCLUDING DEFAULTS "
            "INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING IDENTITY)"
        )
        cursor.execute(  # type: ignore[attr-defined]
            f"ALTER TABLE {FLOOR_TABLE} ADD FOREIGN KEY (person_id) REFERENCES {person} (id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
    else:
        cursor.execute(  # type: ignore[attr-defined]
            f"CREATE TABLE {FLOOR_TABLE} (id integer PRIMARY KEY AUTOINCREMENT, "
            "date date NOT NULL, status varchar(24) NOT NULL, source varchar(60) NOT NULL, "
            f"person_id bigint NOT NULL REFERENCES {person} (id) DEFERRABLE INITIALLY DEFERRED)"
        )
        cursor.execute(  # type: ignore[attr-defined]
            f"CREATE UNIQUE INDEX {FLOOR_TABLE}_one_per_day ON {FLOOR_TABLE} (person_id, date)"
        )
        cursor.execute(  # type: ignore[attr-defined]
            f"CREATE INDEX {FLOOR_TABLE}_person ON {FLOOR_TABLE} (person_id)"
        )


def timed_floor(floor_path: Path) -> float:
    """Write the floor's file into a fresh same-shaped table, committed; return seconds."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _create_floor_table(cursor)
        columns = "(person_id, date, status, source)"
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL DateStyle = 'ISO, DMY'")
            sql = f"COPY {FLOOR_TABLE} {columns} FROM STDIN (FORMAT csv, HEADER true)"
            with floor_path.open("rb") as handle, cursor.cursor.copy(sql) as copy:
                while block := handle.read(1 << 20):
                    copy.write(block)
        else:
            with floor_path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                cursor.executemany(
                    f"INSERT INTO {FLOOR_TABLE} {columns} VALUES (%s, %s, %s, %s)",  # noqa: S608 - a constant table name
                    (
                        (person, f"{day[6:]}-{day[3:5]}-{day[:2]}", status, source)
                        for person, day, status, source in reader
                    ),
                )
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    return seconds


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
            floor_path = Path(folder) / "floor.csv"
            write_floor_csv(path, floor_path)
            kind = "COPY" if connection.vendor == "postgresql" else "executemany"
            floor = timed_floor(floor_path)
            print(f"  (f) floor, {kind} of the same rows: {floor:6.2f} s")
            first, report = timed_import(path)
            print(f"  (a) first import:             {first:7.2f} s  {report}")
            again, report = timed_import(path)
            print(f"  (b) same file again:          {again:7.2f} s  {report}")
            floor_again = timed_floor(floor_path)
            print(f"  (f) floor again:              {floor_again:7.2f} s")
            floor = min(floor, floor_again)
        assert StatusEvent.objects.count() == rows
        rate, floor_rate = rows / first, rows / floor
        share = rate / floor_rate
        print(f"      rows per second, floor:   {floor_rate:10,.0f}  ({kind}, the better run)")
        print(f"      rows per second, first:   {rate:10,.0f}  (goal ≥ {GOAL_ROWS_PER_SECOND:,})")
        print(f"      rows per second, again:   {rows / again:10,.0f}")
        print(f"      first import / floor:     {share:10.0%}  (goal ≥ {GOAL_SHARE_OF_FLOOR:.0%})")
    finally:
        teardown_databases(databases, verbosity=0)
    passed = rate >= GOAL_ROWS_PER_SECOND and share >= GOAL_SHARE_OF_FLOOR
    verdict = "PASS" if passed else "FAIL"
    print(
        f"  {verdict}: goals ≥ {GOAL_SHARE_OF_FLOOR:.0%} of the floor's rows per second and "
        f"≥ {GOAL_ROWS_PER_SECOND:,} rows per second on the first import"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
