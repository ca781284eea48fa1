"""Rows straight into tables: ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy``), batched
``executemany`` on SQLite. The generator gives the ids itself (from the table's highest id
on), so foreign keys need no round trip; the sequences are moved past them at the end.

On PostgreSQL a table's secondary indexes and its foreign keys are set aside while its rows
are copied, inside the run's one transaction, and put back right after: each index is built
once over the loaded table (a sort, instead of an insert into every index per row) and each
foreign key is added back as it was, which makes PostgreSQL check every row of the table
against the referenced table in one join (instead of one look-up per row and key). The
constraints end as they were, validated by the database (``convalidated``), and a row that
breaks one fails the whole run; only the primary key and the unique constraints stay in
place throughout (other tables' keys point at them)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Model

BATCH = 5000


@dataclass
class Written:
    table: str
    rows: int
    seconds: float
    # Of ``seconds`` (PostgreSQL): building the indexes and checking the foreign keys after.
    indexes: float = 0.0
    keys: float = 0.0


@dataclass
class SetAside:
    """A table's secondary indexes and foreign keys, as statements that put them back."""

    indexes: list[str]
    keys: list[str]


@dataclass
class TableWriter:
    """Writes rows of plain values; ``uuid``/``ts``/``time`` give each backend its format."""

    write_line: Callable[[str], object]
    pg: bool = field(default_factory=lambda: connection.vendor == "postgresql")
    written: list[Written] = field(default_factory=list)
    _tables: set[str] = field(default_factory=set)

    def first_id(self, model: type[Model]) -> int:
        return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def uuid(self, value: uuid.UUID) -> Any:
        # Django keeps a UUID as 32 hex digits on SQLite, as the native type on PostgreSQL
        # (where psycopg's own C dumper writes the object, faster than ``str``).
        return value if self.pg else value.hex

    def ts(self, value: dt.datetime) -> Any:
        """A UTC time (naive in, as stored with USE_TZ): on PostgreSQL the aware datetime,
        which psycopg's C dumper writes with its offset (faster than ``strftime``)."""
        if self.pg:
            return value.replace(tzinfo=dt.UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")

    def time(self, value: dt.time) -> str:
        return value.strftime("%H:%M:%S")

    def bool(self, value: bool) -> Any:
        return value if self.pg else int(value)

    def write(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        table = model._meta.db_table
        started = time.monotonic()
        done = Written(table, 0, 0.0)
        if self.pg:
            done.rows = self._copy(table, columns, rows, done)
        else:
            done.rows = self._insert(table, columns, rows)
        done.seconds = time.monotonic() - started
        self._tables.add(table)
        self.written.append(done)
        count, seconds = done.rows, done.seconds
        rate = count / seconds if seconds > 0 else 0.0
        after = f"  (indexes {done.indexes:.1f} s, keys {done.keys:.1f} s)" if self.pg else ""
        self.write_line(
            f"  {table:<34} {count:>10,} rows {seconds:7.1f} s {rate:>10,.0f} rows/s{after}"
        )
        return count

    def _copy(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], done: Written
    ) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            aside = set_aside(raw, table)
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            started = time.monotonic()
            for statement in aside.indexes:
                raw.execute(statement)
            done.indexes = time.monotonic() - started
            started = time.monotonic()
            for statement in aside.keys:
                raw.execute(statement)  # checks every row of the table, in one join per key
            done.keys = time.monotonic() - started
        return count

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("%s" for _ in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - names from the models
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def reset_sequences(self) -> None:
        """Move each PostgreSQL sequence past the ids given here (SQLite needs nothing)."""
        if not self.pg:
            return
        with connection.cursor() as cursor:
            for table in sorted(self._tables):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 - table names from the models
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )


def set_aside(cursor: Any, table: str) -> SetAside:
    """Drop the table's secondary indexes (those that back no constraint) and its foreign
    keys; return the statements that make them again exactly as they were."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [f'"{table}"'],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [f'"{table}"'],
    )
    keys = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _definition in keys:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    return SetAside(
        indexes=[definition for _name, definition in indexes],
        keys=[
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            for name, definition in keys
        ],
    )
