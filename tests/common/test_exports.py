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
