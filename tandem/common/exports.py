"""Spreadsheet-safe exports (OWASP "CSV injection", ASVS V1.2.10).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
tab or carriage return can hide such a start), so a name typed as ``=HYPERLINK(...)`` could
run on a programme manager's computer. Such text gets a leading apostrophe, which spreadsheet
programs take as "this is text" and do not show. Numbers stay numbers: a negative amount is
data, not a formula, and must still add up.

Every CSV *download* goes through :func:`csv_download`, which writes what Excel expects on the
reader's computer. Excel does not ask how a CSV file is laid out: it reads it with the list
separator and decimal symbol of Windows' regional settings, and as ANSI unless the file starts
with a UTF-8 byte-order mark. For Belgian (nl-BE) settings that is ``;`` between cells and a
decimal comma. So, in Dutch: a UTF-8 BOM, ``;`` and ``1801,9`` (no thousands separator, which
Excel would read as text or a date); in English: a UTF-8 BOM, ``,`` and ``1801.9`` (what Excel
with English settings expects). Dates are ISO (``2026-12-07``), which Excel reads as a date
under either setting. Files made for other programs (the HSDS export, the screening batch,
command output) keep plain ``,`` without a BOM; the import commands accept ``;`` and ``,``.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.http import HttpResponse
from django.utils.translation import get_language

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


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file separates cells and writes decimals, and whether it starts with a BOM."""

    delimiter: str = ","
    decimal_mark: str = "."
    bom: bool = False

    def number(self, value: Any) -> Any:
        """A number with decimals, written with this format's decimal mark; else unchanged."""
        if isinstance(value, float | decimal.Decimal) and self.decimal_mark != ".":
            text = format(value, "f") if isinstance(value, decimal.Decimal) else repr(value)
            return text.replace(".", self.decimal_mark)
        return value


# For programs (and the tests that read files back): the csv module's defaults.
MACHINE = CsvFormat()
# For Excel with Belgian Dutch (nl-BE) regional settings, and with English ones.
EXCEL_DUTCH = CsvFormat(delimiter=";", decimal_mark=",", bom=True)
EXCEL_ENGLISH = CsvFormat(delimiter=",", decimal_mark=".", bom=True)
BOM = "\ufeff"


def excel_format(language: str | None = None) -> CsvFormat:
    """The CSV format Excel expects from a reader of ``language`` (the active one by default)."""
    code = (language or get_language() or "nl").split("-")[0].lower()
    return EXCEL_DUTCH if code == "nl" else EXCEL_ENGLISH


def write_csv(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    file: IO[str],
    *,
    header: Sequence[str] | None = None,
    format: CsvFormat = MACHINE,
) -> int:
    """Write ``rows`` (dicts keyed by ``fieldnames``, or sequences in that order) to ``file``
    as CSV with a header line, every cell through :func:`safe_cell`; return the number of
    data rows. ``header`` gives the column titles when they differ from ``fieldnames``.

    Open ``file`` with ``newline=""`` (the csv module writes its own line endings). ``format``
    gives the separator, the decimal mark and the byte-order mark (see :func:`excel_format`).
    """
    if format.bom:
        file.write(BOM)
    writer = csv.writer(file, delimiter=format.delimiter)
    writer.writerow([safe_cell(title) for title in (header or fieldnames)])
    count = 0
    for row in rows:
        if isinstance(row, Mapping):
            values: Iterable[Any] = (row.get(name) for name in fieldnames)
        else:
            values = row
        writer.writerow([format.number(safe_cell(value)) for value in values])
        count += 1
    return count


def csv_download(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    *,
    filename: str,
    header: Sequence[str] | None = None,
) -> HttpResponse:
    """The one way a page offers a CSV download: as Excel reads it in the reader's language
    (:func:`excel_format`), every cell spreadsheet-safe, as an attachment named ``filename``."""
    buffer = io.StringIO(newline="")
    write_csv(rows, fieldnames, buffer, header=header, format=excel_format())
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
