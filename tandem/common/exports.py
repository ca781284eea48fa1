"""Spreadsheet-safe exports (OWASP "CSV injection", ASVS V1.2.10).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
tab or carriage return can hide such a start), so a name typed as ``=HYPERLINK(...)`` could
run on a programme manager's computer. Such text gets a leading apostrophe, which spreadsheet
programs take as "this is text" and do not show. Numbers stay numbers: a negative amount is
data, not a formula, and must still add up.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return ``value`` as it may go into a spreadsheet cell.

    ``None`` becomes an empty string; numbers (not booleans' text), dates and times are
    returned unchanged; any other value is turned into text and, when it starts like a
    formula, prefixed with an apostrophe.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | dt.date | dt.time):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    file: IO[str],
    *,
    header: Sequence[str] | None = None,
) -> int:
    """Write ``rows`` (dicts keyed by ``fieldnames``, or sequences in that order) to ``file``
    as CSV with a header line, every cell through :func:`safe_cell`; return the number of
    data rows. ``header`` gives the column titles when they differ from ``fieldnames``.

    Open ``file`` with ``newline=""`` (the csv module writes its own line endings).
    """
    writer = csv.writer(file)
    writer.writerow([safe_cell(title) for title in (header or fieldnames)])
    count = 0
    for row in rows:
        if isinstance(row, Mapping):
            values: Iterable[Any] = (row.get(name) for name in fieldnames)
        else:
            values = row
        writer.writerow([safe_cell(value) for value in values])
        count += 1
    return count
