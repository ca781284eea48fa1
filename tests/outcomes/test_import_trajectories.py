"""Importing legacy trajectories: persons matched or created by INSZ, every bad row named by
line, nothing written on any error, idempotent re-import and the command itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tandem.audit.models import AuditEvent
from tandem.outcomes.importing import ImportRejected, import_trajectories
from tandem.outcomes.models import ImportedTrajectory
from tandem.programmes.models import Project
from tandem.registry import insz as insz_rules
from tandem.registry.models import Person

from ..factories import make_person

KNOWN = insz_rules.make(dt.date(1985, 7, 30), 34)  # an even sequence: a woman
NEW = insz_rules.make(dt.date(1990, 1, 2), 43)  # an odd sequence: a man
BAD_CHECKSUM = KNOWN[:9] + f"{(int(KNOWN[9:]) + 1) % 100:02d}"
HEADER = (
    "insz,first_name,last_name,birth_date,gender,province,organisation,type,start_date,"
    "end_date,closure_reason,group_work,project\n"
)


# The birth date and sex each number encodes (the import checks a row against them).
PERSON_OF = {KNOWN: ("1985-07-30", "F"), NEW: ("1990-01-02", "M")}


def row(**values: str) -> str:
    birth_date, gender = PERSON_OF.get(values.get("insz", KNOWN), ("1985-07-30", "F"))
    data = {
        "insz": KNOWN,
        "first_name": "Sara",
        "last_name": "Peeters",
        "birth_date": birth_date,
        "gender": gender,
        "province": "Oost-Vlaanderen",
        "organisation": "",
        "type": "w2",
        "start_date": "2018-03-01",
        "end_date": "2019-06-30",
        "closure_reason": "work_regular",
        "group_work": "0",
        "project": "",
        **values,
    }
    return ",".join(data.values()) + "\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def known(mediator):
    return make_person(mediator, insz=KNOWN, first_name="Sara", last_name="Peeters")


@pytest.fixture
def project(organisation):
    return Project.objects.create(
        code="w2-gent",
        name="W² Gent",
        promoter=organisation,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2020, 12, 31),
        budget=1000,
    )


def counts() -> tuple[int, int]:
    return ImportedTrajectory.objects.count(), Person.objects.count()


def run(text: str, **kwargs):
    return import_trajectories(io.StringIO(text), **kwargs)


def rejected(text: str, **kwargs) -> list[str]:
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        run(text, **kwargs)
    assert counts() == before, "nothing may be written when a row is bad"
    return [str(error) for error in caught.value.errors]


def test_matches_known_and_creates_new_persons(known, organisation, project):
    text = HEADER + row(first_name="Other name", last_name="Other")
    text += row(
        insz=NEW,
        first_name="Jan",
        last_name="Maes",
        birth_date="02/01/1990",
        gender="m",
        province="oost_vlaanderen",
        organisation="VDAB GENT",
        type="youth",
        end_date="",
        closure_reason="",
        group_work="1",
        project="W2-GENT",
    )
    text += row(insz=NEW, type="w2", start_date="2016-01-01", end_date="2016-12-31")
    text += row(insz=NEW, type="regular", province="BRUSSEL", closure_reason="")
    report = run(text, file_name="legacy.csv")
    assert (report.rows, report.created, report.persons_created) == (4, 4, 1)
    known.refresh_from_db()
    assert known.first_name == "Sara", "a matched person is not overwritten"
    jan = Person.objects.get(insz=NEW)
    assert (jan.first_name, jan.birth_date, jan.gender, jan.organisation) == (
        "Jan",
        dt.date(1990, 1, 2),
        "M",
        organisation,
    )
    assert (jan.benefit, jan.nationality_group, jan.registration, jan.municipality) == (
        "unknown",
        "unknown",
        "registered",
        "",
    )
    assert jan.search_key == "jan maes"
    youth = ImportedTrajectory.objects.get(person=jan, type="youth")
    assert (youth.end_date, youth.closure_reason, youth.group_work, youth.project) == (
        None,
        "",
        True,
        project,
    )
    assert youth.province == "oost_vlaanderen"
    regular = ImportedTrajectory.objects.get(person=jan, type="regular")
    assert (regular.closure_reason, regular.province) == ("other", "brussel")
    audit = AuditEvent.objects.get(event_type="outcomes.trajectories_imported")
    assert audit.data["persons_created"] == 1
    assert NEW not in str(audit.data) and "Maes" not in str(audit.data)


def test_a_new_person_gets_a_household_of_their_own_whose_page_opens(
    organisation, mediator, client
):
    """As registering does: the person file's 'edit household' led to a 404 for imported
    persons (found by the crawl)."""
    run(HEADER + row(insz=NEW, first_name="Jan", organisation=organisation.code))
    jan = Person.objects.get(insz=NEW)
    assert jan.household is not None and jan.household.organisation == organisation
    assert [(m.person, m.relation, m.first_name) for m in jan.household.members.all()] == [
        (jan, "self", "Jan")
    ]
    client.force_login(mediator)
    url = reverse("registry:household_edit", kwargs={"public_id": jan.public_id})
    assert client.get(url).status_code == 200


def test_bom_semicolons_and_the_default_organisation(other_organisation):
    text = "\ufeff" + (HEADER + row(insz=NEW)).replace(",", ";").replace("Insz", "INSZ ")
    text = text.replace("2018-03-01", "01/03/2018")
    report = run(text, default_organisation=other_organisation)
    assert report.persons_created == 1
    assert Person.objects.get(insz=NEW).organisation == other_organisation
    assert ImportedTrajectory.objects.get().start_date == dt.date(2018, 3, 1)


def test_second_import_changes_nothing_and_a_change_is_an_update(known):
    text = HEADER + row() + row(type="youth", end_date="")
    run(text)
    again = run(text)
    assert (again.created, again.updated, again.unchanged, again.persons_created) == (0, 0, 2, 0)
    assert counts() == (2, 1)
    report = run(HEADER + row() + row(type="youth", end_date="2019-01-01"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    youth = ImportedTrajectory.objects.get(type="youth")
    assert (youth.end_date, youth.closure_reason) == (dt.date(2019, 1, 1), "work_regular")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"end_date": "2018-01-01"},
            "line 3, end_date: 2018-01-01 is before start_date 2018-03-01",
        ),
        ({"insz": BAD_CHECKSUM}, "line 3, insz: The check digits do not match"),
        ({"insz": ""}, "line 3, insz: a value is required"),
        ({"start_date": "31/02/2018"}, "line 3, start_date: 31/02/2018 is not a date"),
        ({"start_date": ""}, "line 3, start_date: a value is required"),
        ({"birth_date": "1985-13-01"}, "line 3, birth_date: 1985-13-01 is not a date"),
        ({"gender": "V"}, "line 3, gender: V is not one of: F, M, X"),
        ({"type": "coaching"}, "line 3, type: coaching is not one of: w2"),
        ({"province": "Henegouwen"}, "line 3, province: Henegouwen is not one of"),
        ({"province": ""}, "line 3, province: a value is required"),
        ({"group_work": "ja"}, "line 3, group_work: ja is not 0 or 1"),
        ({"closure_reason": "luck"}, "line 3, closure_reason: luck is not one of"),
        ({"organisation": "nope"}, "line 3, organisation: no organisation with code or name nope"),
        ({"project": "nope"}, "line 3, project: no project with code or name nope"),
        ({"insz": NEW}, "line 3, organisation: this row creates a new person"),
        ({"insz": NEW, "organisation": "vdab-gent-test", "first_name": ""}, "line 3, first_name"),
        ({"type": "youth", "start_date": "2018-01-05"}, "line 3, start_date: a youth trajectory"),
    ],
)
def test_a_bad_row_among_good_ones_writes_nothing(known, organisation, values, expected):
    text = HEADER + row(type="youth", start_date="2018-01-05") + row(**values)
    text += row(insz=NEW, organisation=organisation.code, type="regular")
    errors = rejected(text)
    assert any(error.startswith(expected) for error in errors), errors


def test_duplicate_names_the_first_line(known):
    errors = rejected(HEADER + row() + row(start_date="01/03/2018", end_date=""))
    assert errors == [
        "line 3, start_date: a w2 trajectory starting on 2018-03-01 for this person is "
        "already on line 2"
    ]


def test_missing_column(known):
    errors = rejected(HEADER.replace(",project", "") + row())
    assert errors == ["line 1, project: this column is missing in the header"]


def test_command_imports_and_shows_progress(tmp_path, organisation, capsys):
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + row(insz=NEW), encoding="utf-8")
    call_command("import_trajectories", str(path), "--organisation", organisation.code)
    out = capsys.readouterr()
    assert "1 rows read" in out.err
    assert "created: 1" in out.out and "persons created: 1" in out.out
    call_command("import_trajectories", str(path), verbosity=0)
    assert capsys.readouterr().err == ""
    assert counts() == (1, 1)


def test_command_fails_with_the_report(tmp_path, organisation):
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + row(insz=NEW), encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, organisation: this row creates a new person"):
        call_command("import_trajectories", str(path), verbosity=0)
    with pytest.raises(CommandError, match="--organisation: no organisation"):
        call_command("import_trajectories", str(path), "--organisation", "nope", verbosity=0)
    assert counts() == (0, 0)


# ---- importers check what the forms check (issue 16, "Bad input at every door") ------------

MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            {"birth_date": "2090-01-01"},
            "line 2, birth_date: 01/01/2090 lies in the future",
            id="birth date in 2090",
        ),
        pytest.param(
            {"birth_date": "1800-01-01"},
            "line 2, birth_date: 01/01/1800 is too long ago",
            id="birth date in 1800",
        ),
        pytest.param(
            {"birth_date": "1985-07-31"},
            "line 2, insz: National number (INSZ): the number belongs to someone born on "
            "30/07/1985, not on the birth date entered.",
            id="an INSZ that does not match the birth date",
        ),
        pytest.param(
            {"start_date": "0001-01-01", "end_date": ""},
            "line 2, start_date: 01/01/0001 cannot be right",
            id="start date 0001-01-01",
        ),
        pytest.param(
            {"start_date": "9999-01-01", "end_date": ""},
            "line 2, start_date: 01/01/9999 cannot be right",
            id="start date 9999-01-01",
        ),
        pytest.param(
            {"first_name": "Sa\x00ra"},
            "line 2, first_name: holds a NUL character (U+0000)",
            id="a NUL byte in a name",
        ),
        pytest.param(
            {"last_name": "Peeters\u202e"},
            "line 2, last_name: Last name: holds an invisible or control character (U+202E)",
            id="the right-to-left override in a name",
        ),
        pytest.param(
            {"province": "x" * 5000},
            "line 2, province: 5000 characters; at most 1000 fit",
            id="a field longer than any column holds",
        ),
        pytest.param(
            {"last_name": MEGABYTE},
            "line 2, row: a value is longer than 131,072 characters",
            id="a 1 MB field",
        ),
    ],
)
def test_bad_input_is_refused_on_its_line_and_writes_nothing(known, organisation, values, expected):
    text = HEADER + row(**values) + row(insz=NEW, organisation=organisation.code)
    errors = rejected(text)
    assert any(error.startswith(expected) for error in errors), errors
