"""Status events and imported trajectories in the subject-access export, and their deletion by
retention and by erasure on request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.privacy import erasure, retention
from tandem.privacy.export import export_outline, person_export
from tandem.registry.models import Person
from tests.factories import OrganisationFactory, make_person, make_user
from tests.privacy.conftest import TODAY, build_file

pytestmark = pytest.mark.django_db

IN_6_YEARS = dt.date(TODAY.year + 6, TODAY.month, min(TODAY.day, 28))


def _outcome_rows(person: Person, office=None) -> None:
    StatusEvent.objects.create(
        person=person, date=dt.date(2019, 3, 1), status="unemployed", source="vdab-2019.csv"
    )
    StatusEvent.objects.create(person=person, date=dt.date(2020, 6, 1), status="employed")
    ImportedTrajectory.objects.create(
        person=person,
        organisation=office,
        type="w2",
        province="limburg",
        start_date=dt.date(2018, 2, 1),
        end_date=dt.date(2019, 2, 28),
        closure_reason="work_regular",
    )


@pytest.fixture
def file(mediator):
    file = build_file(mediator, first_name="Yasmina", last_name="Amrani")
    office = OrganisationFactory(name="OCMW Hasselt", code="ocmw-hasselt-p")
    _outcome_rows(file.person, office)
    return file


@pytest.fixture
def bystander(mediator):
    """Someone else with an open trajectory: nothing of theirs goes."""
    person = make_person(mediator, first_name="Piotr", last_name="Nowak")
    _outcome_rows(person)
    return person


def test_the_export_holds_status_events_and_imported_trajectories(file, bystander):
    data = person_export(file.person)
    assert {"status_events", "imported_trajectories"} <= set(data["export"]["sections"])
    assert [(e["date"], e["status"], e["source"]) for e in data["status_events"]] == [
        (dt.date(2019, 3, 1), "unemployed", "vdab-2019.csv"),
        (dt.date(2020, 6, 1), "employed", ""),
    ]
    (row,) = data["imported_trajectories"]
    assert row["type"] == "w2" and row["province"] == "limburg"
    assert (row["start_date"], row["end_date"]) == (dt.date(2018, 2, 1), dt.date(2019, 2, 28))
    assert row["closure_reason"] == "work_regular" and row["office"] == "OCMW Hasselt"
    # The PDF outline has both sections.
    outline = dict(export_outline(data))
    titles = set(outline)
    assert {"Labour-market statuses", "Imported trajectories"} <= titles or {
        "Arbeidsmarktstatussen",
        "Geïmporteerde trajecten",
    } <= titles


def test_the_json_export_has_the_sections(mediator_client, file):
    url = reverse("privacy:person_export_json", kwargs={"public_id": file.person.public_id})
    response = mediator_client.get(url)
    assert response.status_code == 200
    assert b'"status_events"' in response.content
    assert b'"imported_trajectories"' in response.content
    assert b"vdab-2019.csv" in response.content


def test_erasure_on_request_deletes_them(file, bystander, organisation):
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=organisation, username="o_dpo")
    preview = erasure.erasure_preview(file.person)
    assert preview.counts["status_events"] == 2
    assert preview.counts["imported_trajectories"] == 1
    assert StatusEvent.objects.filter(person=file.person).count() == 2  # nothing written

    report = erasure.person_erase(acting_user=dpo, person=file.person, reason="Verzoek")
    assert report.counts == preview.counts
    assert not StatusEvent.objects.filter(person=file.person).exists()
    assert not ImportedTrajectory.objects.filter(person=file.person).exists()
    # The other person keeps theirs.
    assert StatusEvent.objects.filter(person=bystander).count() == 2
    assert ImportedTrajectory.objects.filter(person=bystander).count() == 1
    labels = {key: label for key, label, _n in report.lines()}
    assert labels["status_events"] and labels["imported_trajectories"]
    file.person.refresh_from_db()
    data = person_export(file.person)
    assert data["status_events"] == [] and data["imported_trajectories"] == []


def test_periodic_retention_deletes_them_with_the_case_content(file, bystander, mediator):
    from tandem.trajectories import services as ts

    # The bystander has an open trajectory: not due.
    ts.trajectory_start(
        acting_user=mediator, person=bystander, type="w2", reason="Aangemeld", status="active"
    )
    dry = retention.retention_apply(acting_user=None, today=IN_6_YEARS, dry_run=True)
    assert dry.counts["status_events"] == 2 and dry.counts["imported_trajectories"] == 1
    assert StatusEvent.objects.count() == 4

    real = retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    assert real.counts == dry.counts
    assert not StatusEvent.objects.filter(person=file.person).exists()
    assert not ImportedTrajectory.objects.filter(person=file.person).exists()
    assert StatusEvent.objects.filter(person=bystander).count() == 2
    assert ImportedTrajectory.objects.filter(person=bystander).count() == 1
