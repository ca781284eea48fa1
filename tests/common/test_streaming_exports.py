"""Streamed exports (issue 20): a CSV download whose rows grow with the data goes out a chunk
at a time with the same bytes as the in-memory download, an XLSX workbook in write-only mode
holds the same cells as the ordinary one, and every person a streamed export reads is logged,
in batches, with a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.access.log import stream_logged
from tandem.access.scope import person_queryset_for
from tandem.audit.models import AccessLog
from tandem.common.exports import (
    EXCEL_DUTCH,
    csv_chunks,
    csv_download,
    csv_streaming_download,
    write_csv,
    xlsx_workbook,
)
from tests.factories import make_person

FIELDS = ["name", "amount", "born", "note"]
ROWS = [
    {"name": "=HYPERLINK(\"http://evil.example\")", "amount": Decimal("-1043.20"),
     "born": dt.date(1985, 7, 30), "note": "two\nlines"},
    {"name": "Özdemir", "amount": 12.5, "born": None, "note": "carriage\rreturn"},
    {"name": "Peeters; Jan", "amount": 7, "born": dt.date(2001, 1, 2), "note": "@home"},
]  # fmt: skip


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_streamed_csv_is_byte_for_byte_the_in_memory_one(language):
    with translation.override(language):
        old = csv_download(ROWS, FIELDS, filename="x.csv", header=["Naam", "-Bedrag", "", ""])
        new = csv_streaming_download(
            ROWS, FIELDS, filename="x.csv", header=["Naam", "-Bedrag", "", ""]
        )
    assert _streamed(new) == old.content
    assert new["Content-Type"] == old["Content-Type"]
    assert new["Content-Disposition"] == old["Content-Disposition"]
    assert old.content.startswith("\ufeff".encode())


def test_the_format_is_the_language_of_the_request_not_of_the_moment_it_is_sent():
    with translation.override("nl"):
        response = csv_streaming_download(ROWS, FIELDS, filename="x.csv")
    with translation.override("en"):
        body = _streamed(response).decode("utf-8-sig")
    assert body.splitlines()[0] == "name;amount;born;note"
    assert "-1043,20" in body


cells = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), max_size=40), size=st.integers(1, 7))
def test_chunks_of_any_size_join_to_what_write_csv_writes(rows, size):
    out = io.StringIO(newline="")
    write_csv(rows, ["a", "b", "c"], out, format=EXCEL_DUTCH)
    streamed = b"".join(csv_chunks(rows, ["a", "b", "c"], format=EXCEL_DUTCH, rows_per_chunk=size))
    assert streamed == out.getvalue().encode("utf-8")


def test_the_chunks_are_made_as_they_are_taken():
    taken = []

    def rows():
        for n in range(10):
            taken.append(n)
            yield [n]

    chunks = csv_chunks(rows(), ["n"], rows_per_chunk=4)
    assert next(chunks) == b"n\r\n0\r\n1\r\n2\r\n3\r\n"
    assert taken == [0, 1, 2, 3]


def _sheet_rows(book):
    sheet = book.worksheets[0]
    return [
        [(c.value, c.font.b, c.number_format) for c in row if c.value is not None]
        for row in sheet.iter_rows()
    ]


def _fill(workbook):
    sheet = workbook.sheet("Lijst")
    sheet.set_width("A", 40)
    sheet.append(["Naam", "Bedrag"], bold=True)
    sheet.append(["=1+1", Decimal("-3.50")], number_formats=[None, "0.00"])
    sheet.append(["Özdemir", 7])


def test_a_write_only_workbook_holds_the_same_cells():
    ordinary = xlsx_workbook()
    _fill(ordinary)
    streamed = xlsx_workbook(write_only=True)
    _fill(streamed)
    response = streamed.file_response("lijst.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="lijst.xlsx"'
    body = b"".join(response.streaming_content)
    response.file_to_stream.close()  # (response.close() also signals the request finished)
    old = _sheet_rows(openpyxl.load_workbook(io.BytesIO(ordinary.to_bytes())))
    new = _sheet_rows(openpyxl.load_workbook(io.BytesIO(body)))
    assert new == old
    assert new[1][0][0] == "'=1+1"
    assert openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].column_dimensions["A"].width == 40


def test_a_write_only_sheet_refuses_a_width_after_its_rows():
    workbook = xlsx_workbook(write_only=True)
    sheet = workbook.sheet("x")
    sheet.append(["a"])
    with pytest.raises(ValueError, match="before its first row"):
        sheet.set_width("A", 10)
    workbook.to_bytes()  # (a write-only sheet's writer ends when the workbook is saved)


# ---- a streamed export of persons logs every person, in batches ----------------------------


def _export(user, *, batch):
    request = RequestFactory().get("/export/")
    request.user = user
    persons = person_queryset_for(user).order_by("pk").iterator(chunk_size=batch)
    rows = (
        [p.last_name, p.first_name, p.birth_date]
        for p in stream_logged(
            request, persons, person_of=lambda p: p, what="test export", batch=batch
        )
    )
    return csv_streaming_download(rows, ["last", "first", "born"], filename="persons.csv")


@pytest.mark.django_db
def test_a_streamed_export_logs_every_person_it_reads(mediator, other_mediator):
    mine = {make_person(mediator, first_name=f"P{n}").pk for n in range(7)}
    make_person(other_mediator, first_name="Other")
    body = _streamed(_export(mediator, batch=3)).decode("utf-8-sig")
    assert len(body.splitlines()) == 1 + 7 and "Other" not in body
    logged = AccessLog.objects.filter(what="test export")
    assert sorted(logged.values_list("person_id", flat=True)) == sorted(mine)
    assert {row.user_id for row in logged} == {mediator.pk}


@pytest.mark.django_db
def test_a_download_cut_short_has_logged_every_row_it_sent(mediator):
    for n in range(7):
        make_person(mediator, first_name=f"P{n}")
    request = RequestFactory().get("/export/")
    request.user = mediator
    items = stream_logged(
        request, person_queryset_for(mediator).order_by("pk"), person_of=lambda p: p.pk,
        what="test export", batch=3,
    )  # fmt: skip
    sent = [next(items) for _ in range(4)]
    logged = set(AccessLog.objects.filter(what="test export").values_list("person_id", flat=True))
    assert {p.pk for p in sent} <= logged and len(logged) == 6  # two batches of three


@pytest.mark.django_db
@pytest.mark.parametrize("persons", [3, 30])
def test_the_queries_of_a_streamed_export_do_not_grow_with_its_rows(
    mediator, persons, django_assert_num_queries
):
    for n in range(persons):
        make_person(mediator, first_name=f"P{n}")
    response = _export(mediator, batch=500)
    # The persons read once (a cursor), their access-log rows written with one INSERT.
    with django_assert_num_queries(2):
        body = _streamed(response)
    assert body.count(b"\r\n") == 1 + persons
