"""The status family: a bulk upload of labour-market status events through ``import_status``
(the same checks, all or nothing, errors by item and field), idempotent by ``Idempotency-Key``,
only for the employment service's client."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.accounts.models import OrganisationKind, Role
from tandem.api.scopes import Scope
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.outcomes.models import StatusEvent
from tandem.registry import insz as insz_rules
from tests.factories import make_person

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
URL = "/api/v1/status/events/"
A = insz_rules.make(dt.date(1985, 7, 30), 33)
B = insz_rules.make(dt.date(1990, 1, 2), 44)
UNKNOWN = insz_rules.make(dt.date(1970, 5, 5), 55)


@pytest.fixture
def persons(mediator):
    return {A: make_person(mediator, insz=A), B: make_person(mediator, insz=B)}


@pytest.fixture
def vdab_token(organisation):
    assert organisation.kind == OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.STATUS_WRITE])
    return token


def _body(*items, source=""):
    body = {
        "items": [dict(zip(("national_number", "date", "status"), i, strict=True)) for i in items]
    }
    if source:
        body["source"] = source
    return body


def _post(token, body, key="batch-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return http(token).post(URL, body, format="json", **headers)


def test_an_upload_imports_the_events_and_answers_the_counts(vdab_token, persons):
    body = _body((A, "2024-01-01", "unemployed"), (B, "01/03/2024", "EMPLOYED"), source="VDAB")
    response = _post(vdab_token, body)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "idempotency_key": "batch-1",
        "replayed": False,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    events = {(e.person.insz, e.date, e.status, e.source) for e in StatusEvent.objects.all()}
    assert events == {
        (A, dt.date(2024, 1, 1), "unemployed", "VDAB"),
        (B, dt.date(2024, 3, 1), "employed", "VDAB"),
    }
    # The import's own audit event and the upload's record; no person is returned: no access
    # log row (the import writes none either).
    assert AuditEvent.objects.filter(event_type=Event.OUTCOMES_STATUS_IMPORTED).count() == 1
    record = AuditEvent.objects.get(event_type=Event.API_STATUS_UPLOADED)
    assert record.data["key"] == "batch-1" and record.data["counts"]["created"] == 2
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ((UNKNOWN, "2024-01-01", "employed"), "national_number"),  # no such person
        (("12345678901", "2024-01-01", "employed"), "national_number"),  # bad checksum
        (("", "2024-01-01", "employed"), "national_number"),
        ((B, "2024-02-30", "employed"), "date"),
        ((B, "0001-01-01", "employed"), "date"),  # implausible (common.dates)
        ((B, "2024-01-01", "retired"), "status"),
        ((B, "2024-01-01", ""), "status"),
        ((A, "2024-01-01", "employed"), "date"),  # the same person and day as item 0
    ],
)
def test_one_bad_item_writes_nothing_and_its_error_names_the_item_and_field(
    vdab_token, persons, item, field
):
    """The rules of import_status (tests/outcomes/test_import_status.py), item by item."""
    body = _body((A, "2024-01-01", "unemployed"), item)
    response = _post(vdab_token, body)
    assert response.status_code == 400, response.content
    assert problem_fields(response) == [f"items.1.{field}"]
    assert not StatusEvent.objects.exists()
    assert not AuditEvent.objects.filter(
        event_type__in=[Event.API_STATUS_UPLOADED, Event.OUTCOMES_STATUS_IMPORTED]
    ).exists()
    # Nothing was recorded under the key: the corrected body may use it.
    fixed = _body((A, "2024-01-01", "unemployed"))
    assert _post(vdab_token, fixed).status_code == 201


def test_a_line_break_or_a_missing_field_is_named(vdab_token, persons):
    body = {"items": [{"national_number": A, "date": "2024-01-01\n", "status": "employed"}, {}]}
    response = _post(vdab_token, body)
    assert response.status_code == 400
    assert set(problem_fields(response)) == {
        "items.0.date",
        "items.1.national_number",
        "items.1.date",
        "items.1.status",
    }
    assert not StatusEvent.objects.exists()


def test_too_long_a_source_is_named_by_the_import(vdab_token, persons):
    body = _body((A, "2024-01-01", "employed"))
    body["items"][0]["source"] = "x" * 61
    response = _post(vdab_token, body)
    assert problem_fields(response) == ["items.0.source"]


def test_the_same_key_and_body_answer_the_same_without_importing_again(vdab_token, persons):
    body = _body((A, "2024-01-01", "unemployed"))
    first = _post(vdab_token, body)
    StatusEvent.objects.update(status="employed")  # changed since: a second import would count
    again = _post(vdab_token, body)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    assert StatusEvent.objects.get().status == "employed"  # not imported again
    assert AuditEvent.objects.filter(event_type=Event.OUTCOMES_STATUS_IMPORTED).count() == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(vdab_token, persons):
    _post(vdab_token, _body((A, "2024-01-01", "unemployed")))
    response = _post(vdab_token, _body((B, "2024-01-01", "unemployed")))
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not StatusEvent.objects.filter(person__insz=B).exists()
    # Another key is another upload.
    assert (
        _post(vdab_token, _body((B, "2024-01-01", "unemployed")), key="batch-2").status_code == 201
    )


def test_the_key_is_required_and_belongs_to_its_client(vdab_token, organisation, persons):
    body = _body((A, "2024-01-01", "unemployed"))
    response = _post(vdab_token, body, key=None)
    assert response.status_code == 400
    assert problem_fields(response) == ["Idempotency-Key"]
    assert _post(vdab_token, body, key="x" * 101).status_code == 400
    assert _post(vdab_token, body).status_code == 201
    # Another client of the same organisation with the same key: its own upload.
    _c, other = api_client_for(
        organisation, role=Role.MEDIATOR, scopes=[Scope.STATUS_WRITE], name="Second system"
    )
    assert _post(other, body).json()["replayed"] is False


def test_only_the_employment_service_uploads(ocmw, persons):
    _client, token = api_client_for(ocmw, scopes=[Scope.STATUS_WRITE])
    response = _post(token, _body((A, "2024-01-01", "unemployed")))
    assert response.status_code == 403
    assert not StatusEvent.objects.exists()


def test_the_scope_is_required(organisation, persons):
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.REFERRALS_READ])
    assert _post(token, _body((A, "2024-01-01", "unemployed"))).status_code == 403
    assert http().post(URL, {}, format="json").status_code == 401


def test_the_queries_do_not_grow_with_the_items(
    vdab_token, mediator, django_assert_max_num_queries
):
    inszs = [insz_rules.make(dt.date(1980, 1, 1) + dt.timedelta(days=i), 10 + i) for i in range(40)]
    for value in inszs:
        make_person(mediator, insz=value)
    small = _body(*[(v, "2024-01-01", "employed") for v in inszs[:2]])
    large = _body(*[(v, "2024-02-01", "employed") for v in inszs])
    with django_assert_max_num_queries(30) as few:
        assert _post(vdab_token, small, key="s").status_code == 201
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _post(vdab_token, large, key="l").status_code == 201
    assert StatusEvent.objects.count() == 42


def test_a_person_out_of_the_clients_scope_is_answered_as_unknown(other_organisation, persons):
    """Another office's client (an employment service too) cannot write the status of a person
    its user may not see (``person_queryset_for``), and learns no more than for an unknown
    national number: the same error, nothing written."""
    _client, token = api_client_for(
        other_organisation, role=Role.MEDIATOR, scopes=[Scope.STATUS_WRITE]
    )
    known = _post(token, _body((A, "2024-01-01", "employed")), key="k1").json()["errors"]
    unknown = _post(token, _body((UNKNOWN, "2024-01-01", "employed")), key="k2").json()["errors"]
    assert known == unknown
    assert [e["field"] for e in known] == ["items.0.national_number"]
    assert not StatusEvent.objects.exists()
    assert not AuditEvent.objects.filter(event_type=Event.OUTCOMES_STATUS_IMPORTED).exists()
    # The other items are still checked by the import (an item whose person is out of reach
    # is not looked at further), and nothing is written.
    both = _post(token, _body((A, "2024-01-01", "employed"), ("12345678901", "x", "y")), key="k3")
    assert problem_fields(both) == [
        "items.0.national_number",
        "items.1.date",
        "items.1.national_number",
        "items.1.status",
    ]
    assert not StatusEvent.objects.exists()
