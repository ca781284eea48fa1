"""The persons family of the API: one person by id with limited fields and an ETag, and the
lookup by national number (POST, for roles that may register persons) — scoped by the access
layer as the client's service user (another organisation's person is a 404, or no result),
every person returned logged with the client's purpose."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tandem.audit.models import AccessLog
from tandem.registry import insz as insz_rules

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
PURPOSE = "matching the person in the office's case system"
FIELDS = {"id", "first_name", "last_name", "birth_year", "municipality"}


@pytest.fixture
def office(organisation):
    return api_client_for(organisation, role=Role.MEDIATOR, purpose=PURPOSE, name="VDAB system")


@pytest.fixture
def stranger(other_organisation):
    """A client of another office, every scope and a role that may register persons."""
    return api_client_for(other_organisation, role=Role.MEDIATOR, name="Hasselt system")


def test_a_person_has_only_the_limited_fields_and_is_logged(office, person):
    client, token = office
    response = http(token).get(f"/api/v1/persons/{person.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS  # no national number, contact, household or special category
    assert body == {
        "id": str(person.public_id),
        "first_name": "Yasmina",
        "last_name": "Amrani",
        "birth_year": 1985,
        "municipality": "Gent",
    }
    assert response["ETag"].startswith('"')
    log = AccessLog.objects.get()
    assert (log.person, log.user, log.purpose) == (person, client.service_user, PURPOSE)
    assert log.what.startswith("API person (VDAB system)")


def test_the_etag_changes_with_the_person(office, person):
    _client, token = office
    first = http(token).get(f"/api/v1/persons/{person.public_id}/")["ETag"]
    person.municipality = "Aalst"
    person.save()
    assert http(token).get(f"/api/v1/persons/{person.public_id}/")["ETag"] != first


def test_another_organisation_never_gets_the_person(stranger, person):
    _client, token = stranger
    api = http(token)
    assert api.get(f"/api/v1/persons/{person.public_id}/").status_code == 404
    # A guessed id is answered the same: no oracle.
    guessed = api.get(f"/api/v1/persons/{uuid.uuid4()}/")
    assert guessed.status_code == 404 and guessed["Content-Type"] == "application/problem+json"
    found = api.post("/api/v1/persons/search/", {"insz": person.insz}, format="json")
    assert found.status_code == 200 and found.json() == {"results": []}
    assert "Amrani" not in found.content.decode()
    assert not AccessLog.objects.exists()


def test_the_lookup_by_national_number_finds_and_logs(office, person):
    _client, token = office
    formatted = insz_rules.parse(person.insz).formatted  # separators are fine
    response = http(token).post("/api/v1/persons/search/", {"insz": formatted}, format="json")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [str(person.public_id)]
    log = AccessLog.objects.get()
    assert (log.person, log.purpose) == (person, PURPOSE)
    assert "national number" in log.what


def test_the_lookup_refuses_a_bad_number_naming_the_field(office):
    _client, token = office
    response = http(token).post("/api/v1/persons/search/", {"insz": "12345"}, format="json")
    assert response.status_code == 400 and problem_fields(response) == ["insz"]
    assert response.json()["errors"][0]["code"] == "length"
    bad_sum = insz_rules.make(dt.date(1985, 7, 30), 33)[:-2] + "00"
    response = http(token).post("/api/v1/persons/search/", {"insz": bad_sum}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "checksum"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        # tandem.access.capabilities: "person.register" (mediator, welfare partner, outreach
        # worker, service line); the others may not look a number up.
        (Role.MEDIATOR, True),
        (Role.WELFARE_PARTNER, True),
        (Role.SERVICE_LINE, True),
        (Role.OUTREACH_WORKER, True),
        (Role.EXPERIENCE_EXPERT, False),
        (Role.JOB_COACH, False),
        (Role.GROUP_COACH, False),
    ],
)
def test_the_lookup_is_for_roles_that_register_persons(organisation, person, role, allowed):
    _client, token = api_client_for(organisation, role=role, name=f"System {role}")
    response = http(token).post("/api/v1/persons/search/", {"insz": person.insz}, format="json")
    assert response.status_code == (200 if allowed else 403)


def test_the_national_number_is_never_taken_from_a_url(office, person):
    _client, token = office
    response = http(token).get(f"/api/v1/persons/search/?insz={person.insz}")
    assert response.status_code == 405
    assert not AccessLog.objects.exists()


def test_the_scopes_are_separate(organisation, person):
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.PERSONS_READ])
    api = http(token)
    assert api.get(f"/api/v1/persons/{person.public_id}/").status_code == 200
    response = api.post("/api/v1/persons/search/", {"insz": person.insz}, format="json")
    assert response.status_code == 403


def test_a_person_and_a_lookup_cost_a_fixed_number_of_queries(
    office, person, django_assert_max_num_queries
):
    _client, token = office
    api = http(token)
    # token, its last use (once a minute), roles, the person, the access log, the request log
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/persons/{person.public_id}/").status_code == 200
    with django_assert_max_num_queries(5):
        response = api.post("/api/v1/persons/search/", {"insz": person.insz}, format="json")
    assert response.status_code == 200
