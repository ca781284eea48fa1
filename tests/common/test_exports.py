"""Spreadsheet exports neutralise formulas (OWASP CSV injection, ASVS V1.2.10)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.common.exports import FORMULA_STARTS, safe_cell, write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","klik")', '\'=HYPERLINK("http://evil.example","klik")'),
        ("+32 9 123 45 67", "'+32 9 123 45 67"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Özdemir", "Özdemir"),
        ("Jan = Piet", "Jan = Piet"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    "value", [-12, 0, 7, -3.5, Decimal("-1043.20"), True, dt.date(2026, 1, 31)]
)
def test_numbers_and_dates_stay_what_they_are(value):
    assert safe_cell(value) is value


@given(st.text())
def test_no_text_cell_ever_starts_like_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


def test_write_csv_escapes_every_cell_and_keeps_numbers():
    out = io.StringIO(newline="")
    rows = [
        {"name": "=cmd|' /C calc'!A0", "amount": Decimal("-250.00"), "city": "Gent"},
        {"name": "Peeters", "amount": 1200, "city": "@Brugge"},
    ]
    count = write_csv(rows, ["name", "amount", "city"], out, header=["Naam", "Bedrag", "-Stad"])
    assert count == 2
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines == [
        ["Naam", "Bedrag", "'-Stad"],
        ["'=cmd|' /C calc'!A0", "-250.00", "Gent"],
        ["Peeters", "1200", "'@Brugge"],
    ]


def test_write_csv_takes_sequences_in_fieldname_order():
    out = io.StringIO(newline="")
    assert write_csv([("+1", 2)], ["a", "b"], out) == 1
    assert out.getvalue().splitlines() == ["a,b", "'+1,2"]


# ---- CSV downloads as Excel reads them (issue 14) ----------------------------------------


def test_dutch_csv_has_a_bom_semicolons_and_decimal_commas():
    from decimal import Decimal

    from django.utils import translation

    from tandem.common.exports import csv_download

    with translation.override("nl"):
        response = csv_download(
            [("Gent", 1801.9, Decimal("12.50"), 3, dt.date(2026, 12, 7), "-1")],
            ["a", "b", "c", "d", "e", "f"],
            filename="x.csv",
        )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    lines = text[1:].splitlines()
    assert lines[0] == "a;b;c;d;e;f"
    # Excel nl-BE reads 1801,9 and 12,50 as numbers; dates are ISO; text stays formula-safe.
    assert lines[1] == "Gent;1801,9;12,50;3;2026-12-07;'-1"


def test_english_csv_has_a_bom_commas_and_decimal_points():
    from django.utils import translation

    from tandem.common.exports import csv_download

    with translation.override("en"):
        text = csv_download([("Gent", 1801.9)], ["a", "b"], filename="x.csv").content.decode()
    assert text == "\ufeffa,b\r\nGent,1801.9\r\n"


def test_files_for_programs_stay_plain():
    out = io.StringIO(newline="")
    write_csv([(1.5, "x")], ["a", "b"], out)
    assert out.getvalue() == "a,b\r\n1.5,x\r\n"


def test_every_csv_download_goes_through_csv_download():
    """One mechanism: no view builds a text/csv response of its own (the HSDS export only
    names the media type in its datapackage.json)."""
    from pathlib import Path

    import tandem

    root = Path(tandem.__file__).parent
    own = []
    for path in root.rglob("*.py"):
        if path.name == "exports.py" and path.parent.name == "common":
            continue
        text = path.read_text(encoding="utf-8")
        if "text/csv" in text and '"mediatype": "text/csv"' not in text:
            own.append(str(path.relative_to(root)))
        if "csv.writer(" in text and "views" in path.name:
            own.append(str(path.relative_to(root)))
    assert not own, f"CSV downloads outside tandem.common.exports.csv_download: {own}"


# ---- one writer for every CSV and XLSX file (issue 16, "Bad input at every door") -----------

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

TANDEM = Path(__file__).resolve().parents[2] / "tandem"
THE_WRITER = TANDEM / "common" / "exports.py"
# Modules that build CSV only as the input of an importer in memory, never a file that anyone
# opens in a spreadsheet: neutralising formulas there would change the data imported (a
# free-text "source" of "-2024" would arrive as "'-2024").
IMPORT_INPUT_ONLY = {
    # The API's status upload hands its items to import_status as that command's CSV.
    TANDEM / "api" / "status" / "services.py",
}
SPREADSHEET_LIBRARIES = ("openpyxl", "xlsxwriter", "xlwt", "pyexcel", "odf")
CSV_WRITERS = ("writer", "DictWriter")


def spreadsheet_writers(source: str) -> list[str]:
    """Where a module writes CSV or XLSX by itself: ``csv.writer``/``csv.DictWriter`` (however
    imported) and any import of a spreadsheet library. Reading (``csv.reader``) is fine."""
    tree = ast.parse(source)
    csv_names = {"csv"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "csv":
                    csv_names.add(alias.asname or "csv")
                if alias.name.split(".")[0] in SPREADSHEET_LIBRARIES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in SPREADSHEET_LIBRARIES:
                found.append(f"line {node.lineno}: from {node.module} import")
            if node.module == "csv":
                for alias in node.names:
                    if alias.name in CSV_WRITERS:
                        found.append(f"line {node.lineno}: from csv import {alias.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in CSV_WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id in csv_names
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import csv\nw = csv.writer(f)", ["line 2: csv.writer"]),
        ("import csv as c\nw = c.DictWriter(f, [])", ["line 2: c.DictWriter"]),
        ("from csv import writer", ["line 1: from csv import writer"]),
        ("from openpyxl import Workbook", ["line 1: from openpyxl import"]),
        ("def f():\n    import xlsxwriter", ["line 2: import xlsxwriter"]),
        ("import csv\nr = csv.reader(f)", []),
        ("from tandem.common.exports import csv_writer\nw = csv_writer(f)", []),
    ],
)
def test_the_checker_finds_a_module_that_writes_spreadsheets_by_itself(source, expected):
    assert spreadsheet_writers(source) == expected


def test_every_csv_and_xlsx_producer_goes_through_the_one_safe_writer():
    """Only tandem/common/exports.py may write CSV or XLSX: every other module uses
    ``csv_writer``/``write_csv``/``csv_download`` or ``xlsx_workbook``, which neutralise
    formulas (the HSDS export and the outcomes report once wrote ``=HYPERLINK(...)``)."""
    offenders = {
        str(path.relative_to(TANDEM.parent)): found
        for path in sorted(TANDEM.rglob("*.py"))
        if path != THE_WRITER
        and path not in IMPORT_INPUT_ONLY
        and (found := spreadsheet_writers(path.read_text()))
    }
    assert offenders == {}
    # (each named exception still exists and still writes CSV: no stale entry)
    assert all(p.exists() and spreadsheet_writers(p.read_text()) for p in IMPORT_INPUT_ONLY)


def test_csv_writer_quotes_a_bare_carriage_return_with_newline_endings():
    """With ``\\n`` line endings the csv module left a ``\\r`` in a cell unquoted, which
    splits the row for most readers."""
    from tandem.common.exports import csv_writer

    out = io.StringIO(newline="")
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["a\rb", 1])
    writer.writerow(["c", 2])
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [["a\rb", "1"], ["c", "2"]]


@pytest.mark.parametrize("formula", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_xlsx_workbook_neutralises_formulas_and_keeps_numbers(formula):
    from openpyxl import load_workbook

    from tandem.common.exports import xlsx_workbook

    workbook = xlsx_workbook()
    sheet = workbook.sheet("a sheet title that is longer than thirty-one characters")
    sheet.append([formula, -3, Decimal("2.5")], bold=True, number_formats=[None, "0", "0.0"])
    read = load_workbook(io.BytesIO(workbook.to_bytes())).active
    cells = [cell.value for cell in read[1]]
    # XML keeps no bare carriage return: it comes back as a line feed.
    assert cells == ["'" + formula.replace("\r", "\n"), -3, 2.5]
    assert read["A1"].data_type == "s" and read["A1"].font.bold
    assert read["C1"].number_format == "0.0"
    assert read.title == "a sheet title that is longer th"
