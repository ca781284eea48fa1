"""Rows straight into tables: ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy``), batched
``executemany`` on SQLite. The generator gives the ids itself (from the table's highest id
on), so foreign keys need no round trip; the sequences are moved past them at the end."""

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


@dataclass
class TableWriter:
    """Writes rows of plain values; ``uuid``/``ts``/``time`` give each backend its format."""

    write_line: Callable[[str], object]
    pg: bool = field(default_factory=lambda: connection.vendor == "postgresql")
    written: list[Written] = field(default_factory=list)
    _tables: set[str] = field(default_factory=set)

    def first_id(self, model: type[Model]) -> int:
        return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def uuid(self, value: uuid.UUID) -> str:
        # Django keeps a UUID as 32 hex digits on SQLite, as the native type on PostgreSQL.
        return str(value) if self.pg else value.hex

    def ts(self, value: dt.datetime) -> str:
        """A UTC time (naive in, as stored with USE_TZ): '+00' on PostgreSQL."""
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text + "+00" if self.pg else text

    def time(self, value: dt.time) -> str:
        return value.strftime("%H:%M:%S")

    def bool(self, value: bool) -> Any:
        return value if self.pg else int(value)

    def write(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        table = model._meta.db_table
        started = time.monotonic()
        count = self._copy(table, columns, rows) if self.pg else self._insert(table, columns, rows)
        seconds = time.monotonic() - started
        self._tables.add(table)
        self.written.append(Written(table, count, seconds))
        rate = count / seconds if seconds > 0 else 0.0
        self.write_line(f"  {table:<34} {count:>10,} rows {seconds:7.1f} s {rate:>10,.0f} rows/s")
        return count

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
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
