"""The aggregates family: outflow, ESF+ indicators and group-work figures from the figures' one
definition, under the pages' disclosure control — a small count is null and named in
``suppressed``, and no hidden count follows from the visible ones and the totals (audited
exactly with ``disclosure.audit``); no person, so no access-log row; the page's capability."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.api.models import ApiRequest
from tandem.api.scopes import Scope
from tandem.audit.models import AccessLog
from tandem.common.disclosure import audit, recording
from tandem.outcomes.cohort import CohortRow
from tandem.outcomes.outflow import Measurement, as_records, outflow_table, publish
from tandem.programmes.models import Project
from tests.factories import OrganisationFactory

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
D = dt.date


def _m(type_: str, status: str, province: str = "limburg") -> Measurement:
    row = CohortRow(
        "x", 1, type_, D(2018, 1, 1), D(2019, 1, 1), False, province, "", "F",
        D(1980, 1, 1), "isced_3_4", "unemployment", None,
    )  # fmt: skip
    return Measurement(row, {6: status, 12: status, 24: status}, 12)


MEASUREMENTS = (
    [_m("w2", "employed")] * 12
    + [_m("w2", "unemployed")] * 9
    + [_m("individual", "employed")] * 2  # small: 2 out of unemployment, 1 not
    + [_m("individual", "unemployed")] * 1
    + [_m("group", "employed")] * 6
    + [_m("group", "unemployed")] * 7
)


@pytest.fixture
def manager(organisation):
    return api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.AGGREGATES_READ])


@pytest.fixture
def measured(monkeypatch):
    monkeypatch.setattr(
        "tandem.api.aggregates.selectors.outflow_counts",
        lambda *, months, by, **k: outflow_table(MEASUREMENTS, months, by),
    )


def test_outflow_hides_the_small_cell_so_that_it_cannot_be_worked_out(manager, measured):
    _client, token = manager
    with recording() as calls:
        response = http(token).get("/api/v1/aggregates/outflow/", {"months": 24, "by": "type"})
    assert response.status_code == 200, response.content
    rows = {row["group"]: row for row in response.json()["rows"]}
    small = rows["individual"]
    assert small["ended"] is None and "ended" in small["suppressed"]
    assert small["out_of_unemployment_share"] is None
    # A second cell is hidden with it (the total or a neighbour), and the exact audit of every
    # table published finds no hidden count that follows from the published ones.
    assert sum(len(row["suppressed"]) for row in rows.values()) > len(small["suppressed"])
    assert calls and all(not audit(call) for call in calls)
    assert {c.publisher for c in calls} == {"tandem.api.aggregates.views.Outflow.get"}
    # The same figures as the page's and the command's definition.
    table = outflow_table(MEASUREMENTS, 24, by=("type",))
    expected = as_records(table, publish(table))
    assert [r["ended"] for r in response.json()["rows"]] == [r["ended"] for r in expected]
    assert not AccessLog.objects.exists()
    assert ApiRequest.objects.filter(status=200).count() == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": 7}, "months"),
        ({"by": "gender_identity"}, "by"),
        ({"province": "atlantis"}, "province"),
        ({"province": ""}, "province"),
        ({"ended_from": "gisteren"}, "ended_from"),
    ],
)
def test_outflow_names_a_bad_parameter(manager, params, field):
    _client, token = manager
    response = http(token).get("/api/v1/aggregates/outflow/", params)
    assert response.status_code == 400
    assert problem_fields(response) == [field]


def test_the_scope_decides(organisation):
    """Without ``aggregates:read`` no figures, whatever the role."""
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.EVENTS_READ])
    for url in ("/api/v1/aggregates/outflow/", "/api/v1/aggregates/group-work/"):
        assert http(token).get(url).status_code == 403
    assert http().get("/api/v1/aggregates/outflow/").status_code == 401


def test_esf_indicators_of_a_project_and_404_for_none(manager):
    _client, token = manager
    promoter = OrganisationFactory(name="Promotor", code="promotor-api")
    project = Project.objects.create(
        code="api-esf",
        name="ESF+ project",
        promoter=promoter,
        start_date=D(2024, 1, 1),
        end_date=D(2025, 12, 31),
        budget=Decimal("1000"),
        esf_amount=Decimal("400"),
        cofinancing_amount=Decimal("600"),
    )
    with recording() as calls:
        response = http(token).get(f"/api/v1/aggregates/projects/{project.pk}/esf-indicators/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["project"] == "api-esf" and body["date_from"] == "2024-01-01"
    assert any(row["code"] == "EECO01" for row in body["rows"])
    assert all(not audit(call) for call in calls)
    assert http(token).get("/api/v1/aggregates/projects/999999/esf-indicators/").status_code == 404
    bad = http(token).get(
        f"/api/v1/aggregates/projects/{project.pk}/esf-indicators/", {"date_from": "x"}
    )
    assert problem_fields(bad) == ["date_from"]


def test_group_work_figures_answer_without_persons(manager):
    _client, token = manager
    response = http(token).get("/api/v1/aggregates/group-work/")
    assert response.status_code == 200, response.content
    rows = response.json()["rows"]
    assert rows[0]["level"] == "all"
    assert not AccessLog.objects.exists()


def test_outflow_reads_in_constant_queries(manager, measured, django_assert_max_num_queries):
    _client, token = manager
    with django_assert_max_num_queries(12):
        http(token).get("/api/v1/aggregates/outflow/", {"by": "province"})
    assert timezone.localdate()
