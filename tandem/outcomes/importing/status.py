"""Import labour-market status events (``insz, date, status[, source]``) at scale.

The file is streamed once: each row is checked in Python (dates and INSZ strings repeat, so
their parses are cached) and written into a temporary staging table — with ``COPY`` on
PostgreSQL, ``executemany`` on SQLite. Unknown persons and duplicate rows are then found in
SQL, and only when no row is bad are the events upserted with one ``INSERT ... SELECT ... ON
CONFLICT``. Everything runs in one transaction: a bad row means nothing is written.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.registry import insz as insz_rules
from tandem.registry.models import Person

from ..models import LabourStatus, StatusEvent
from ..services import refresh_outcomes
from .csv import (
    KEEP_ERRORS,
    PROGRESS_EVERY,
    CsvRows,
    ErrorList,
    ImportReport,
    Progress,
    missing_value,
    read_date,
)

STAGING = "outcomes_status_staging"
BATCH = 20_000
SOURCE_MAX = StatusEvent._meta.get_field("source").max_length or 60
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class _Stage:
    """Writes checked rows into the staging table in batches."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        self.rows: list[tuple[int, str, str, str, str]] = []
        # Inside an outer transaction ON COMMIT DROP has not fired yet: drop it here too.
        self.drop()
        if self.postgres:
            cursor.execute(
                f"CREATE TEMP TABLE {STAGING} (line bigint NOT NULL, insz text NOT NULL, "
                "date date NOT NULL, status text NOT NULL, source text NOT NULL) "
                "ON COMMIT DROP"
            )
        else:
            cursor.execute(
                f"CREATE TEMP TABLE {STAGING} (line integer NOT NULL, insz text NOT NULL, "
                "date text NOT NULL, status text NOT NULL, source text NOT NULL)"
            )

    def add(self, line: int, insz: str, date: str, status: str, source: str) -> None:
        self.rows.append((line, insz, date, status, source))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            data = "".join(
                f"{line}\t{insz}\t{date}\t{status}\t{source.translate(_COPY_ESCAPES)}\n"
                for line, insz, date, status, source in self.rows
            )
            sql = f"COPY {STAGING} (line, insz, date, status, source) FROM STDIN"
            with self.cursor.cursor.copy(sql) as copy:
                copy.write(data)
        else:
            self.cursor.executemany(
                f"INSERT INTO {STAGING} (line, insz, date, status, source) "  # noqa: S608 - table names from model meta, no values
                "VALUES (%s, %s, %s, %s, %s)",
                self.rows,
            )
        self.rows = []

    def drop(self) -> None:
        schema = "pg_temp" if self.postgres else "temp"
        self.cursor.execute(f"DROP TABLE IF EXISTS {schema}.{STAGING}")


def _unknown_person() -> str:
    """The answer for a national number nobody (or nobody the caller may reach) holds."""
    return _("no person with this national number in the registry")


def _check_in_sql(cursor: Any, errors: ErrorList) -> None:
    """Add an error for every staged row whose person is unknown or that repeats a row."""
    person = Person._meta.db_table
    cursor.execute(
        f"SELECT s.line FROM {STAGING} s LEFT JOIN {person} p ON p.insz = s.insz "  # noqa: S608 - table names from model meta, no values
        f"WHERE p.id IS NULL ORDER BY s.line LIMIT {KEEP_ERRORS + 1}"
    )
    unknown = cursor.fetchall()
    for (line,) in unknown[:KEEP_ERRORS]:
        errors.add(line, "insz", _unknown_person())
    if len(unknown) > KEEP_ERRORS:  # a wrong file: count the rest, keep no more
        cursor.execute(
            f"SELECT COUNT(*) FROM {STAGING} s LEFT JOIN {person} p ON p.insz = s.insz "  # noqa: S608 - table names from model meta, no values
            "WHERE p.id IS NULL"
        )
        errors.count(cursor.fetchone()[0] - KEEP_ERRORS)
    cursor.execute(
        f"SELECT s.line, f.first_line, s.date FROM {STAGING} s JOIN ("  # noqa: S608 - table names from model meta, no values
        f"  SELECT insz, date, MIN(line) AS first_line FROM {STAGING}"
        "   GROUP BY insz, date HAVING COUNT(*) > 1"
        ") f ON f.insz = s.insz AND f.date = s.date "
        "WHERE s.line > f.first_line ORDER BY s.line"
    )
    for line, first_line, date in cursor.fetchall():
        errors.add(
            line,
            "date",
            _("a status for this person on %(date)s is already on line %(first)s")
            % {"date": date, "first": first_line},
        )


def _write(cursor: Any, report: ImportReport) -> None:
    """Count what the import will do, then do it: an ``UPDATE`` of the changed events and a
    plain ``INSERT ... SELECT`` of the new ones (cheaper on PostgreSQL than one ``INSERT ...
    ON CONFLICT DO UPDATE``, whose speculative insertion probes the unique index before every
    row it inserts; docs/benchmarks.md, "Status import")."""
    person = Person._meta.db_table
    events = StatusEvent._meta.db_table
    if connection.vendor == "postgresql":
        # Status imports wait for one another from here to their commit (readers do not): the
        # events counted below are the events written, and no other import can add a
        # (person, date) between the count and the insert.
        cursor.execute(f"LOCK TABLE {events} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(
        "SELECT "  # noqa: S608 - table names from model meta, no values
        "SUM(CASE WHEN e.status = s.status AND e.source = s.source THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN e.status = s.status AND e.source = s.source THEN 0 ELSE 1 END) "
        f"FROM {STAGING} s JOIN {person} p ON p.insz = s.insz "
        f"JOIN {events} e ON e.person_id = p.id AND e.date = s.date"
    )
    unchanged, updated = cursor.fetchone()
    report.unchanged, report.updated = unchanged or 0, updated or 0
    report.created = report.rows - report.unchanged - report.updated
    if report.updated:
        cursor.execute(
            f"UPDATE {events} SET status = s.status, source = s.source "  # noqa: S608 - table names from model meta, no values
            f"FROM {STAGING} s JOIN {person} p ON p.insz = s.insz "
            f"WHERE {events}.person_id = p.id AND {events}.date = s.date "
            f"AND ({events}.status <> s.status OR {events}.source <> s.source)"
        )
    if report.created:
        # A first import (nothing there yet) needs no look-up per row; the order keeps the
        # index inserts of a shuffled file in key order.
        new = (
            ""
            if report.unchanged == report.updated == 0
            else f"AND NOT EXISTS (SELECT 1 FROM {events} e "  # noqa: S608 - table names from model meta, no values
            "WHERE e.person_id = p.id AND e.date = s.date) "
        )
        cursor.execute(
            f"INSERT INTO {events} (person_id, date, status, source) "  # noqa: S608 - table names from model meta, no values
            f"SELECT p.id, s.date, s.status, s.source FROM {STAGING} s "
            f"JOIN {person} p ON p.insz = s.insz WHERE true {new}ORDER BY p.id, s.date"
        )


def import_status(
    source: TextIO,
    *,
    source_name: str = "",
    file_name: str = "",
    progress: Progress | None = None,
    out_of_reach: frozenset[str] = frozenset(),
) -> ImportReport:
    """Import status events from a CSV; raise ``ImportRejected`` (writing nothing) on any bad
    row. ``source_name`` fills the ``source`` of rows without one; ``file_name`` goes into the
    audit event (it defaults to ``source_name``). ``out_of_reach`` holds national numbers
    (digits) the caller may not write for (the API's scope): their rows get the answer of an
    unknown national number, so the import is no oracle of who is registered."""
    errors = ErrorList()
    rows = CsvRows(source, ["insz", "date", "status"], errors)
    i_insz, i_date, i_status = rows.index["insz"], rows.index["date"], rows.index["status"]
    i_source = rows.index.get("source")
    default_source = source_name[:SOURCE_MAX]
    statuses = {value: value for value in LabourStatus.values}
    statuses.update({value.upper(): value for value in LabourStatus.values})
    dates: dict[str, tuple[str | None, str | None]] = {}
    inszs: dict[str, str | None] = {}
    report = ImportReport()
    with transaction.atomic(), connection.cursor() as cursor:
        stage = _Stage(cursor)
        for row in rows:
            report.rows += 1
            if progress is not None and report.rows % PROGRESS_EVERY == 0:
                progress(report.rows)
            line = rows.line
            ok = True
            raw = row[i_insz]
            insz = inszs.get(raw)
            if insz is None:
                insz = _check_insz(raw, line, errors)
                if insz is None:
                    ok = False
                else:
                    inszs[raw] = insz
            if insz is not None and insz in out_of_reach:
                errors.add(line, "insz", _unknown_person())
                ok = False
            raw = row[i_date]
            if raw not in dates:
                parsed, problem = read_date(raw) if raw else (None, missing_value())
                dates[raw] = (parsed.isoformat() if parsed else None, problem)
            date, problem = dates[raw]
            if problem is not None:
                errors.add(line, "date", problem)
                ok = False
            raw = row[i_status]
            status = statuses.get(raw) or statuses.get(raw.lower())
            if status is None:
                ok = False
                errors.add(
                    line,
                    "status",
                    _("%(value)s is not a labour-market status (one of: %(values)s)")
                    % {"value": raw, "values": ", ".join(LabourStatus.values)}
                    if raw
                    else missing_value(),
                )
            row_source = (row[i_source] if i_source is not None else "") or default_source
            if len(row_source) > SOURCE_MAX:
                ok = False
                errors.add(
                    line,
                    "source",
                    _("at most %(max)s characters") % {"max": SOURCE_MAX},
                )
            if ok:
                stage.add(line, insz, date, status, row_source)  # type: ignore[arg-type]
        stage.flush()
        if progress is not None and report.rows % PROGRESS_EVERY:
            progress(report.rows)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGING}")
        _check_in_sql(cursor, errors)
        if errors:
            raise errors.reject()  # the rollback drops the staging table
        _write(cursor, report)
        if report.created or report.updated:  # the outcome table follows the events
            cursor.execute(
                f"SELECT DISTINCT p.id FROM {STAGING} s JOIN {Person._meta.db_table} p "  # noqa: S608 - table names from model meta, no values
                "ON p.insz = s.insz"
            )
            refresh_outcomes(pk for (pk,) in cursor.fetchall())
        stage.drop()
        audit_event_record(
            actor=None,
            event_type=Event.OUTCOMES_STATUS_IMPORTED,
            data={"file": file_name or source_name, **report.counts()},
        )
    return report


def _check_insz(raw: str, line: int, errors: ErrorList) -> str | None:
    if not raw:
        errors.add(line, "insz", missing_value())
        return None
    try:
        return insz_rules.parse(raw).digits
    except insz_rules.InszError as exc:
        errors.add(line, "insz", str(exc))
        return None
