"""The directory family: the services directory as HSDS 3 JSON — the export's documents,
valid against the HSDS schemas of ../shared/testdata (as tests/network/test_hsds.py checks the
export) — and a change of the organisation's own service with If-Match (another
organisation's service is 404 to a change); no person, so no access-log row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.network.directory.services import service_create, service_location_add
from tests.factories import OrganisationFactory

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "hsds" / "schema"


@pytest.fixture(scope="module")
def validators():
    if not SCHEMAS.is_dir():
        pytest.skip(f"{SCHEMAS} is absent (the HSDS test data of ../shared/testdata)")
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    contents = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(c, default_specification=DRAFT202012))
        for name, c in contents.items()
    )
    return {
        name: Draft202012Validator(
            contents[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for name in contents
    }


def _errors(validator, documents):
    return [
        f"[{i}] {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for i, doc in enumerate(documents)
        for e in validator.iter_errors(doc)
    ]


@pytest.fixture
def service(organisation):
    made = service_create(
        acting_user=None,
        organisation=organisation,
        name="Jobclub",
        description="Solliciteren in groep",
        life_domains=["work_education"],
    )
    service_location_add(
        acting_user=None, service=made, address_1="Markt 1", postal_code="9000", city="Gent"
    )
    return made


@pytest.fixture
def own(organisation):
    return api_client_for(
        organisation,
        role=Role.MEDIATOR,
        scopes=[Scope.DIRECTORY_READ, Scope.DIRECTORY_WRITE],
    )


def _url(service):
    return f"/api/v1/directory/services/{service.pk}/"


def test_the_directory_is_the_hsds_export_and_valid_hsds(own, service, validators):
    _client, token = own
    response = http(token).get("/api/v1/directory/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [s["name"] for s in body["services"]] == ["Jobclub"]
    for key, schema in (
        ("organizations", "organization.json"),
        ("services", "service.json"),
        ("locations", "location.json"),
        ("service_at_locations", "service_at_location.json"),
        ("taxonomies", "taxonomy.json"),
        ("taxonomy_terms", "taxonomy_term.json"),
    ):
        assert not _errors(validators[schema], body[key]), key
    assert not AccessLog.objects.exists()


def test_one_service_is_its_hsds_document_with_an_etag(own, service, validators):
    _client, token = own
    response = http(token).get(_url(service))
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == str(service.pk) and document["name"] == "Jobclub"
    assert document["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Gent"
    assert not _errors(validators["service.json"], [document])
    assert response["ETag"]


def test_a_change_needs_the_etag_and_goes_through_the_directory_service(own, service):
    _client, token = own
    api = http(token)
    etag = api.get(_url(service))["ETag"]
    change = {"description": "Elke dinsdag", "life_domains": ["work_education", "income"]}
    assert api.patch(_url(service), change, format="json").status_code == 428
    stale = api.patch(_url(service), change, format="json", HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    response = api.patch(_url(service), change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Elke dinsdag"
    assert response["ETag"] != etag
    service.refresh_from_db()
    assert sorted(service.life_domains) == ["income", "work_education"]
    assert AuditEvent.objects.filter(event_type=Event.DIRECTORY_SERVICE_UPDATED).count() == 1
    # The old ETag is stale now.
    again = api.patch(_url(service), {"name": "X"}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412


def test_a_bad_field_is_named(own, service):
    _client, token = own
    api = http(token)
    etag = api.get(_url(service))["ETag"]
    response = api.patch(
        _url(service),
        {"email": "geen-adres", "status": "open", "life_domains": ["moon"]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert set(problem_fields(response)) == {"email", "status", "life_domains.0"}
    # A service needs a name.
    response = api.patch(_url(service), {"name": ""}, format="json", HTTP_IF_MATCH=etag)
    assert problem_fields(response) == ["name"]


def test_another_organisations_service_is_404_to_a_change_and_unchanged(service):
    ocmw = OrganisationFactory(name="OCMW Elders", code="ocmw-elders-dir", kind="ocmw")
    _client, token = api_client_for(ocmw, scopes=[Scope.DIRECTORY_READ, Scope.DIRECTORY_WRITE])
    api = http(token)
    etag = api.get(_url(service))["ETag"]  # the directory is readable by all
    response = api.patch(_url(service), {"name": "Overgenomen"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 404
    service.refresh_from_db()
    assert service.name == "Jobclub"
    assert (
        api.get("/api/v1/directory/services/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_writing_needs_the_write_scope(organisation, service):
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.DIRECTORY_READ])
    api = http(token)
    etag = api.get(_url(service))["ETag"]
    assert (
        api.patch(_url(service), {"name": "X"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 403
    )


def test_the_directory_reads_in_constant_queries(own, organisation, django_assert_max_num_queries):
    _client, token = own
    api = http(token)
    service_create(acting_user=None, organisation=organisation, name="Eén", life_domains=["income"])
    with django_assert_max_num_queries(30) as one:
        api.get("/api/v1/directory/")
    for n in range(5):
        made = service_create(
            acting_user=None,
            organisation=organisation,
            name=f"Dienst {n}",
            life_domains=["housing"],
        )
        service_location_add(
            acting_user=None, service=made, address_1=f"Straat {n}", postal_code="9000", city="Gent"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/directory/").json()["services"]) == 6
