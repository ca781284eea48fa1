"""The caseload as a list that scales (issue 18, "lists that scale"): filters (type, status,
no contact since), pages of CASELOAD_PAGE_SIZE, only the page's persons logged as read, the
office's scope kept, bad input handled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.trajectories import services, views
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = "/trajectories/caseload/"


def _start(mediator, name, *, type="w2", contact_days_ago=None):
    person = make_person(mediator, first_name=name, last_name=name)
    t = services.trajectory_start(
        acting_user=mediator,
        person=person,
        type=type,
        reason="x",
        status="active",
        start_date=TODAY - dt.timedelta(days=200),
    )
    if contact_days_ago is not None:
        plan_services.contact_record(
            acting_user=mediator,
            trajectory=t,
            kind="phone",
            on=TODAY - dt.timedelta(days=contact_days_ago),
        )
    return t


def _names(response):
    return [row["t"].person.first_name for row in response.context["rows"]]


def test_the_route_is_the_caseload():
    assert reverse("trajectories:caseload") == URL


def test_pages_and_only_the_page_is_logged(client, mediator, monkeypatch):
    monkeypatch.setattr(views, "CASELOAD_PAGE_SIZE", 2)
    for name in ("Anna", "Bert", "Cem", "Dirk", "Els"):
        _start(mediator, name)
    client.force_login(mediator)
    before = AccessLog.objects.filter(what="caseload").count()
    response = client.get(URL, {"mine": "on", "page": "2"})
    assert _names(response) == ["Cem", "Dirk"]
    logged = AccessLog.objects.filter(what="caseload").order_by("pk")[before:]
    assert sorted(r.person.first_name for r in logged) == ["Cem", "Dirk"]
    # Past the end: the last page; not a page number: the first.
    assert _names(client.get(URL, {"mine": "on", "page": "40000"})) == ["Els"]
    for bad in ("abc", "-2", "2\x00", "9" * 5000):
        response = client.get(URL, {"mine": "on", "page": bad})
        assert response.status_code == 200 and _names(response) == ["Anna", "Bert"]
    body = client.get(URL, {"mine": "on", "page": "2"}).content.decode()
    # The pager keeps the filters in its links.
    assert "?mine=on&amp;page=3" in body and 'aria-current="page"' in body


def test_the_next_page_of_the_first_visit_is_still_my_own(client, mediator, monkeypatch):
    colleague = make_user(Role.MEDIATOR, organisation=mediator.organisation, username="colleague")
    monkeypatch.setattr(views, "CASELOAD_PAGE_SIZE", 1)
    _start(mediator, "Mine1")
    _start(mediator, "Mine2")
    _start(colleague, "Colleague")
    client.force_login(mediator)
    first = client.get(URL)
    assert 'href="?page=2"' in first.content.decode()
    # The pager's link carries no filter: it is still the mediator's own caseload.
    assert client.get(URL, {"page": "2"}).context["page"].paginator.count == 2


def test_no_contact_since_type_and_status_filters(client, mediator):
    _start(mediator, "Recent", contact_days_ago=3)
    _start(mediator, "Month", contact_days_ago=45)
    _start(mediator, "Never", type="work_care")
    client.force_login(mediator)
    assert sorted(_names(client.get(URL, {"mine": "on", "no_contact": "30"}))) == [
        "Month",
        "Never",
    ]
    assert _names(client.get(URL, {"mine": "on", "no_contact": "60"})) == ["Never"]
    assert _names(client.get(URL, {"mine": "on", "type": "work_care"})) == ["Never"]
    assert _names(client.get(URL, {"mine": "on", "status": "paused"})) == []


def test_a_bad_filter_is_refused_on_its_field_and_the_rest_apply(client, mediator):
    _start(mediator, "Recent", contact_days_ago=3)
    _start(mediator, "Never", type="work_care")
    client.force_login(mediator)
    response = client.get(URL, {"mine": "on", "no_contact": "7\x00", "type": "work_care"})
    assert response.status_code == 200
    assert "no_contact" in response.context["form"].errors
    assert _names(response) == ["Never"]


def test_the_office_view_never_shows_another_organisation(client, mediator, other_mediator):
    _start(mediator, "Ours")
    _start(other_mediator, "Theirs")
    client.force_login(mediator)
    for params in ({}, {"no_contact": "30"}, {"type": "w2"}, {"sort": "last_contact"}):
        assert _names(client.get(URL, params)) == ["Ours"], params


@pytest.mark.parametrize("n", [3, 12])
def test_a_filtered_page_costs_a_constant_number_of_queries(
    client, mediator, monkeypatch, n, django_assert_max_num_queries
):
    monkeypatch.setattr(views, "CASELOAD_PAGE_SIZE", 5)
    for i in range(n):
        _start(mediator, f"P{i}")
    client.force_login(mediator)
    params = {"mine": "on", "no_contact": "30", "page": "2"}
    client.get(URL, params)
    with django_assert_max_num_queries(12):
        response = client.get(URL, params)
    assert len(response.context["rows"]) == min(5, n)
