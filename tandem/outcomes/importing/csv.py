"""What both outcome imports share: reading the CSV, parsing dates, reporting errors.

Files are UTF-8 with or without a byte-order mark, separated by ``,`` or ``;`` (sniffed from
the header line); header names are case-insensitive and trimmed; dates are ISO (2018-03-01)
or dd/mm/yyyy. Every error names its line (the header is line 1) and field.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from django.utils.translation import gettext as _

from tandem.common.dates import DateKind, implausible_date
from tandem.common.untrusted import NUL, cell_problem, csv_error_message

# How many errors an import keeps in full (the rest are only counted), and how many a
# command prints.
KEEP_ERRORS = 1000
PRINT_ERRORS = 50
PROGRESS_EVERY = 100_000
# The longest value a column of these files may hold (names hold 100, a source 60): more is a
# wrong file, refused on its line rather than carried into the database.
VALUE_MAX = 1000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file has bad rows; nothing was written. ``total`` counts errors beyond those kept."""

    def __init__(self, errors: Sequence[RowError], total: int | None = None) -> None:
        self.errors = sorted(errors, key=lambda e: (e.line, e.field))
        self.total = max(total or 0, len(self.errors))
        super().__init__(self.report())

    def report(self, limit: int = PRINT_ERRORS) -> str:
        lines = [
            _("%(count)s errors; nothing was imported.") % {"count": self.total},
            *(str(error) for error in self.errors[:limit]),
        ]
        if self.total > limit:
            lines.append(_("and %(count)s more") % {"count": self.total - limit})
        return "\n".join(lines)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    persons_created: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "persons_created": self.persons_created,
        }

    def summary(self) -> str:
        return (
            _(
                "Rows read: %(rows)s; created: %(created)s; updated: %(updated)s; "
                "unchanged: %(unchanged)s; persons created: %(persons_created)s."
            )
            % self.counts()
        )


class ErrorList:
    """Collects row errors, keeping the first ``KEEP_ERRORS`` and counting the rest."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, line: int, field: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < KEEP_ERRORS:
            self.kept.append(RowError(line, field, message))

    def count(self, more: int) -> None:
        """Count ``more`` errors without keeping them."""
        self.total += more

    def __bool__(self) -> bool:
        return self.total > 0

    def reject(self) -> ImportRejected:
        return ImportRejected(self.kept, self.total)


class CsvRows:
    """The data rows of a CSV file as lists of trimmed values, padded to the header's width.

    ``index`` maps each lower-cased header name to its column; ``line`` is the line number of
    the row last yielded (the header is line 1). A row with a value that holds a NUL character
    or is longer than ``max_length`` is not yielded: it goes into ``errors`` on its line and
    column. A value beyond the csv module's own limit ends the reading with an error on its
    line (``common.untrusted``); the caller refuses the file when ``errors`` is not empty.
    """

    def __init__(
        self,
        source: TextIO,
        required: Sequence[str],
        errors: ErrorList,
        *,
        max_length: int = VALUE_MAX,
    ) -> None:
        header_line = source.readline().lstrip("\ufeff")
        if not header_line.strip():
            raise ImportRejected([RowError(1, "header", _("the file is empty"))])
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        try:
            header = next(csv.reader([header_line], delimiter=delimiter))
        except csv.Error as exc:
            raise ImportRejected([RowError(1, "header", csv_error_message(exc))]) from None
        problem = cell_problem(header_line, max_length=max_length)
        if problem:
            raise ImportRejected([RowError(1, "header", problem)])
        self.index = {name.strip().lower(): i for i, name in reversed(list(enumerate(header)))}
        missing = [name for name in required if name not in self.index]
        if missing:
            raise ImportRejected(
                [RowError(1, name, _("this column is missing in the header")) for name in missing]
            )
        self.names = [name.strip().lower() for name in header]
        self.width = len(header)
        self.line = 1
        self.errors = errors
        self.max_length = max_length
        self._reader = csv.reader(source, delimiter=delimiter)

    def __iter__(self) -> Iterator[list[str]]:
        width = self.width
        reader = self._reader
        limit = self.max_length
        while True:
            start = reader.line_num + 2  # the line the next row starts on
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.line = start
                self.errors.add(start, _("row"), csv_error_message(exc))
                return
            self.line = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if NUL in "".join(row) or max(map(len, row)) > limit:
                self._refuse(row)
                continue
            if len(row) < width:
                row += [""] * (width - len(row))
            yield [value.strip() for value in row]

    def _refuse(self, row: list[str]) -> None:
        for i, value in enumerate(row):
            problem = cell_problem(value, max_length=self.max_length)
            if problem:
                name = self.names[i] if i < len(self.names) else _("column %(n)s") % {"n": i + 1}
                self.errors.add(self.line, name, problem)


def parse_date(value: str) -> dt.date | None:
    """Return the date written as ISO (2018-03-01) or dd/mm/yyyy, or None if it is neither."""
    try:
        digits = value[:4] + value[5:7] + value[8:]
        if len(value) == 10 and value[4] == value[7] == "-" and digits.isdigit():
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        parts = value.split("/")
        if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdigit() for p in parts):
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
    return None


def date_error(value: str) -> str:
    return _("%(value)s is not a date (write 2018-03-01 or 01/03/2018)") % {"value": value}


def read_date(value: str, kind: DateKind = DateKind.EVENT) -> tuple[dt.date | None, str | None]:
    """The date written in ``value`` and None, or None and why it is not a plausible date of
    ``kind`` (the bounds of ``common.dates``: year 1 or 9999 is a typing slip, not a fact)."""
    parsed = parse_date(value)
    if parsed is None:
        return None, date_error(value)
    reason = implausible_date(parsed, kind)
    return (None, reason) if reason else (parsed, None)


def missing_value() -> str:
    return _("a value is required")
