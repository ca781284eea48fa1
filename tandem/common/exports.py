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

A download whose rows grow with the data (a list of persons, the access log) is *streamed*:
:func:`csv_streaming_download` writes the same bytes as :func:`csv_download`, a few hundred rows
at a time, while the rows are read (a queryset's ``.iterator(chunk_size=...)``), so memory does
not grow with the rows; an XLSX workbook made with ``xlsx_workbook(write_only=True)`` keeps its
rows in a temporary file and goes out through :meth:`SafeWorkbook.file_response`. Small tables
(published aggregates) keep :func:`csv_download` and :meth:`SafeWorkbook.to_bytes`.

This module is the only one in Tandem that writes CSV or XLSX (a test reads every module and
fails on ``csv.writer``, ``csv.DictWriter``, ``openpyxl`` or ``xlsxwriter`` anywhere else):
:func:`csv_writer` and :func:`write_csv` for CSV files, downloads and command output,
:func:`xlsx_workbook` for workbooks. Each cell they write has been through :func:`safe_cell`.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
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


def restore_cell(text: str) -> str:
    """Undo :func:`safe_cell` on text read back from a file Tandem wrote (the HSDS import
    reads Tandem's own export): an apostrophe before a formula start is taken off."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
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


class _TextFile(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """A ``csv.writer`` that puts every cell through :func:`safe_cell` (and writes decimals
    with its format's decimal mark). Make one with :func:`csv_writer`."""

    def __init__(self, file: _TextFile, *, format: CsvFormat, lineterminator: str) -> None:
        if format.bom:
            file.write(BOM)
        self._writer = csv.writer(file, delimiter=format.delimiter, lineterminator=lineterminator)
        # The csv module quotes a cell only for the characters of its own line ending: with
        # "\n" a bare carriage return in a cell goes out unquoted and splits the row for most
        # readers. A row with a line-break character the ending lacks is written all quoted.
        self._quoted = csv.writer(
            file,
            delimiter=format.delimiter,
            lineterminator=lineterminator,
            quoting=csv.QUOTE_ALL,
        )
        self._breaks = tuple(c for c in "\r\n" if c not in lineterminator)
        self._format = format

    def writerow(self, values: Iterable[Any]) -> None:
        cells = [self._format.number(safe_cell(value)) for value in values]
        writer = self._writer
        if self._breaks and any(
            isinstance(cell, str) and any(c in cell for c in self._breaks) for cell in cells
        ):
            writer = self._quoted
        writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(
    file: _TextFile, *, format: CsvFormat = MACHINE, lineterminator: str = "\r\n"
) -> SafeCsvWriter:
    """The one way Tandem writes CSV: like ``csv.writer(file)``, every cell spreadsheet-safe.

    ``file`` is a text file opened with ``newline=""``, a ``StringIO`` or a command's
    ``self.stdout``; ``format`` gives the separator, decimal mark and byte-order mark.
    """
    return SafeCsvWriter(file, format=format, lineterminator=lineterminator)


def write_csv(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    file: _TextFile,
    *,
    header: Sequence[str] | None = None,
    format: CsvFormat = MACHINE,
    lineterminator: str = "\r\n",
) -> int:
    """Write ``rows`` (dicts keyed by ``fieldnames``, or sequences in that order) to ``file``
    as CSV with a header line, every cell through :func:`safe_cell`; return the number of
    data rows. ``header`` gives the column titles when they differ from ``fieldnames``.

    Open ``file`` with ``newline=""`` (the csv module writes its own line endings). ``format``
    gives the separator, the decimal mark and the byte-order mark (see :func:`excel_format`).
    """
    writer = csv_writer(file, format=format, lineterminator=lineterminator)
    writer.writerow(header or fieldnames)
    count = 0
    for row in rows:
        writer.writerow(_values(row, fieldnames))
        count += 1
    return count


def _values(row: Mapping[str, Any] | Sequence[Any], fieldnames: Sequence[str]) -> Iterable[Any]:
    if isinstance(row, Mapping):
        return (row.get(name) for name in fieldnames)
    return row


# Rows written before a chunk of the file goes out: small enough to keep memory flat, large
# enough that a million rows are a few thousand writes to the socket.
ROWS_PER_CHUNK = 500


def csv_chunks(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    *,
    header: Sequence[str] | None = None,
    format: CsvFormat = MACHINE,
    lineterminator: str = "\r\n",
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[bytes]:
    """What :func:`write_csv` writes, as UTF-8 chunks of ``rows_per_chunk`` rows, each made
    only when the one before has been taken: the rows are read as the file goes out."""
    buffer = io.StringIO(newline="")
    writer = csv_writer(buffer, format=format, lineterminator=lineterminator)
    writer.writerow(header or fieldnames)
    pending = 0
    for row in rows:
        writer.writerow(_values(row, fieldnames))
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate(0)
            pending = 0
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


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


def csv_streaming_download(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fieldnames: Sequence[str],
    *,
    filename: str,
    header: Sequence[str] | None = None,
) -> StreamingHttpResponse:
    """:func:`csv_download` for rows that grow with the data: the same bytes, streamed.

    ``rows`` is consumed while the response is sent, after the view has returned: pass a
    generator over ``queryset.iterator(chunk_size=...)`` (and log the persons it reads as it
    reads them: ``tandem.access.log.stream_logged``). The format and the header are fixed now,
    in the reader's language; the rows are written under that language too.
    """
    language = get_language()
    format = excel_format(language)
    header = list(header or fieldnames)

    def chunks() -> Iterator[bytes]:
        with translation.override(language):
            yield from csv_chunks(rows, fieldnames, header=header, format=format)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SafeSheet:
    """One sheet of a :class:`SafeWorkbook`: rows go in through :meth:`append`, every cell
    through :func:`safe_cell`. In a write-only workbook a row is written out as it is
    appended (styles through ``WriteOnlyCell``), and widths must be set before the first row."""

    def __init__(self, worksheet: Any, *, write_only: bool = False) -> None:
        self._sheet = worksheet
        self._write_only = write_only
        self._rows = 0

    def append(
        self,
        values: Iterable[Any] = (),
        *,
        bold: bool = False,
        size: float | None = None,
        number_formats: Sequence[str | None] | None = None,
    ) -> None:
        """Add a row; ``bold``/``size`` style its cells, ``number_formats`` gives a cell's
        number format by position (``None`` or empty keeps the default)."""
        from openpyxl.styles import Font

        self._rows += 1
        if self._write_only:
            self._sheet.append(self._write_only_cells(values, bold, size, number_formats))
            return
        cells = [safe_cell(value) for value in values]
        self._sheet.append(cells)
        if not (bold or size or number_formats):
            return
        # The row just written, cell by cell: ``sheet[sheet.max_row]`` looks at every cell of
        # the sheet (max_row, max_column) and made a sheet of n rows cost n² (issue 20).
        number = self._sheet._current_row
        row = [self._sheet.cell(row=number, column=c) for c in range(1, len(cells) + 1)]
        if bold or size:
            font = Font(bold=bold, size=size) if size else Font(bold=bold)
            for cell in row:
                cell.font = font
        for cell, number_format in zip(row, number_formats or (), strict=False):
            if number_format:
                cell.number_format = number_format

    def _write_only_cells(
        self,
        values: Iterable[Any],
        bold: bool,
        size: float | None,
        number_formats: Sequence[str | None] | None,
    ) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        font = (Font(bold=bold, size=size) if size else Font(bold=bold)) if bold or size else None
        formats = list(number_formats or ())
        cells = []
        for position, value in enumerate(values):
            cell = WriteOnlyCell(self._sheet, value=safe_cell(value))
            if font is not None:
                cell.font = font
            if position < len(formats) and formats[position]:
                cell.number_format = formats[position]
            cells.append(cell)
        return cells

    def set_width(self, column: str, width: float) -> None:
        if self._write_only and self._rows:
            raise ValueError("A write-only sheet takes its column widths before its first row.")
        self._sheet.column_dimensions[column].width = width


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SafeWorkbook:
    """An XLSX workbook whose cells are all written through :func:`safe_cell`.

    ``write_only=True`` (openpyxl's write-only mode) keeps no row in memory: each appended row
    goes to a temporary file, so a sheet of a million rows costs what one row costs."""

    def __init__(self, *, write_only: bool = False) -> None:
        from openpyxl import Workbook

        self._write_only = write_only
        self._book = Workbook(write_only=write_only)
        if not write_only:
            self._book.remove(self._book.active)

    def sheet(self, title: str) -> SafeSheet:
        """A new sheet (Excel allows 31 characters in a title)."""
        return SafeSheet(self._book.create_sheet(title[:31]), write_only=self._write_only)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()

    def file_response(self, filename: str) -> FileResponse:
        """The workbook as a download, saved to an anonymous temporary file (gone when the
        response closes it) and streamed from there: never the whole file in memory."""
        file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        try:
            self._book.save(file)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        return FileResponse(
            file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )


def xlsx_workbook(*, write_only: bool = False) -> SafeWorkbook:
    """The one way Tandem writes XLSX: an empty workbook; add sheets with ``.sheet(title)``.
    ``write_only=True`` for sheets whose rows grow with the data (see :class:`SafeWorkbook`)."""
    return SafeWorkbook(write_only=write_only)
