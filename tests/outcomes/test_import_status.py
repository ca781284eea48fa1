"""Importing labour-market status events: every bad row named by line, nothing written on any
error, idempotent re-import, the COPY path on PostgreSQL and the command itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tandem.audit.models import AuditEvent
from tandem.outcomes.importing import ImportRejected, RowError, import_status
from tandem.outcomes.importing import status as importing_status
from tandem.outcomes.models import StatusEvent
from tandem.registry import insz as insz_rules
from tandem.registry.models import Person

from ..factories import make_person

A = insz_rules.make(dt.date(1985, 7, 30), 33)
B = insz_rules.make(dt.date(1990, 1, 2), 44)
UNKNOWN = insz_rules.make(dt.date(1970, 5, 5), 55)
BAD_CHECKSUM = A[:9] + f"{(int(A[9:]) + 1) % 100:02d}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def persons(mediator):
    return {
        A: make_person(mediator, insz=A),
        B: make_person(mediator, insz=B, birth_date=dt.date(1990, 1, 2)),
    }


def counts() -> tuple[int, int]:
    return StatusEvent.objects.count(), Person.objects.count()


def run(text: str, **kwargs):
    return import_status(io.StringIO(text), **kwargs)


def rejected(text: str) -> list[str]:
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        run(text)
    assert counts() == before, "nothing may be written when a row is bad"
    return [str(error) for error in caught.value.errors]


GOOD = f"insz,date,status\n{A},2018-03-01,unemployed\n{B},2018-03-01,employed\n"


def test_imports_rows_and_reports_counts(persons):
    report = run(GOOD, source_name="vdab.csv")
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    event = StatusEvent.objects.get(person=persons[A])
    assert (event.date, event.status, event.source) == (
        dt.date(2018, 3, 1),
        "unemployed",
        "vdab.csv",
    )
    audit = AuditEvent.objects.get(event_type="outcomes.status_imported")
    assert audit.data["created"] == 2
    assert A not in str(audit.data)


def test_bom_semicolons_day_month_year_and_source_column(persons):
    text = (
        "\ufeff Insz ; DATE ;Status;Source\n"
        f"{A[:2]}.{A[2:4]}.{A[4:6]}-{A[6:9]}.{A[9:]};01/03/2018;Employed;dienst X\n"
        f"{B};2018-03-02;training;\n"
    )
    report = run(text, source_name="fallback")
    assert report.created == 2
    assert set(StatusEvent.objects.values_list("date", "status", "source")) == {
        (dt.date(2018, 3, 1), "employed", "dienst X"),
        (dt.date(2018, 3, 2), "training", "fallback"),
    }


def test_second_import_changes_nothing_and_a_change_is_an_update(persons):
    run(GOOD)
    again = run(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert StatusEvent.objects.count() == 2
    changed = GOOD.replace(f"{A},2018-03-01,unemployed", f"{A},2018-03-01,training")
    report = run(changed + f"{A},2019-01-01,employed\n")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert StatusEvent.objects.get(person=persons[A], date="2018-03-01").status == "training"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (f"{A},2018-03-01,retired", "line 3, status: retired is not a labour-market status"),
        (f"{BAD_CHECKSUM},2018-03-01,employed", "line 3, insz: The check digits do not match"),
        (f"{UNKNOWN},2018-03-01,employed", "line 3, insz: no person with this national number"),
        (f"{A},2018-02-30,employed", "line 3, date: 2018-02-30 is not a date"),
        (f"{A},1/3/18,employed", "line 3, date: 1/3/18 is not a date"),
        (f"{A},,employed", "line 3, date: a value is required"),
        (",2018-03-01,employed", "line 3, insz: a value is required"),
        (f"{A},2018-03-01,", "line 3, status: a value is required"),
        (f"{B},2018-03-01,employed", "line 3, date: a status for this person on 2018-03-01 is "),
    ],
)
def test_a_bad_row_among_good_ones_writes_nothing(persons, row, expected):
    text = f"insz,date,status\n{B},2018-03-01,employed\n{row}\n{A},2019-03-01,training\n"
    errors = rejected(text)
    assert any(error.startswith(expected) for error in errors), errors


def test_duplicate_names_the_first_line(persons):
    errors = rejected(f"{GOOD}{A},01/03/2018,employed\n")
    assert errors == ["line 4, date: a status for this person on 2018-03-01 is already on line 2"]


def test_missing_column(persons):
    errors = rejected(f"insz;datum;status\n{A};2018-03-01;employed\n")
    assert errors == ["line 1, date: this column is missing in the header"]


def test_every_bad_row_is_reported_and_the_report_is_capped(persons):
    text = "insz,date,status\n" + "".join(f"{A},2018-01-{d:02d},x\n" for d in range(1, 31))
    text += "".join(f"{B},2019-{m:02d}-01,x\n" for m in range(1, 13)) * 3
    with pytest.raises(ImportRejected) as caught:
        run(text)
    assert caught.value.total == 30 + 36
    report = caught.value.report()
    assert report.endswith("and 16 more")
    assert report.count("\n") == 51
    assert str(RowError(7, "end_date", "x")) == "line 7, end_date: x"
    assert counts()[0] == 0


def test_postgresql_copies_in_batches_and_escapes_the_source(persons, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL")
    monkeypatch.setattr(importing_status, "BATCH", 2)
    rows = "".join(f'{A},2018-03-{d:02d},employed,"tab\there \\ back"\n' for d in range(1, 6))
    report = run(f"insz,date,status,source\n{rows}")
    assert report.created == 5
    assert set(StatusEvent.objects.values_list("source", flat=True)) == {"tab\there \\ back"}


def test_command_imports_and_shows_progress(persons, tmp_path, capsys):
    path = tmp_path / "status.csv"
    path.write_text("\ufeff" + GOOD.replace(",", ";"), encoding="utf-8")
    call_command("import_status", str(path))
    out = capsys.readouterr()
    assert "2 rows read" in out.err
    assert "created: 2" in out.out
    assert StatusEvent.objects.filter(source="status.csv").count() == 2
    call_command("import_status", str(path), "--source", "other", verbosity=0)
    assert capsys.readouterr().err == ""
    assert StatusEvent.objects.filter(source="other").count() == 2


def test_command_fails_with_the_report(persons, tmp_path):
    path = tmp_path / "status.csv"
    path.write_text(GOOD + f"{UNKNOWN},2018-03-01,employed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 4, insz: no person with this national number"):
        call_command("import_status", str(path), verbosity=0)
    assert StatusEvent.objects.count() == 0


def test_many_unknown_persons_are_counted_not_all_kept(persons, monkeypatch):
    monkeypatch.setattr(importing_status, "KEEP_ERRORS", 2)
    text = "insz,date,status\n" + "".join(
        f"{UNKNOWN},2018-03-{d:02d},employed\n" for d in (1, 2, 3, 4)
    )
    with pytest.raises(ImportRejected) as caught:
        run(text)
    assert caught.value.total == 4
    assert [error.line for error in caught.value.errors] == [2, 3]
    assert counts()[0] == 0


# ---- bad input at every door (issue 16) ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            f"{A},0001-01-01,employed",
            "line 3, date: 01/01/0001 cannot be right",
            id="0001-01-01",
        ),
        pytest.param(
            f"{A},2018-03-02,employed," + "x" * 1_000_000,
            "line 3, row: a value is longer than 131,072 characters",
            id="a 1 MB field",
        ),
        pytest.param(
            f"{A},2018-03-02,employed," + "x" * 2000,
            "line 3, source: 2000 characters; at most 1000 fit",
            id="a field longer than any column holds",
        ),
        pytest.param(
            f"{A},2018-03-02,employed,VDAB\x00",
            "line 3, source: holds a NUL character (U+0000)",
            id="a NUL byte",
        ),
    ],
)
def test_bad_input_is_refused_on_its_line_and_writes_nothing(persons, line, expected):
    text = f"insz,date,status,source\n{B},2018-03-01,employed,\n{line}\n{B},2018-04-01,training,\n"
    errors = rejected(text)
    assert any(error.startswith(expected) for error in errors), errors


def test_a_person_out_of_the_callers_reach_is_answered_as_unknown(persons):
    """The API's scope (``out_of_reach``): a registered person the caller may not see gets the
    answer of an unknown national number, the other rows are still checked, nothing is
    written."""
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        run(GOOD + f"{B},not-a-date,employed\n", out_of_reach=frozenset({A}))
    assert counts() == before
    messages = [str(error) for error in caught.value.errors]
    assert messages[0] == "line 2, insz: no person with this national number in the registry"
    assert any(m.startswith("line 4, date:") for m in messages), messages
    assert not any(m.startswith("line 3") for m in messages), messages
