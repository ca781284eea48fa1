"""The referral inbox as a list that scales (issue 18, "lists that scale"): status filters
(new, open, answered), pages read from the database (not the whole inbox), only the persons on
the page logged as read, bad input handled, a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.network.models import ReferralStatus
from tandem.network.referrals import views
from tandem.network.referrals.services import referral_transition
from tandem.trajectories import services as tservices
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person, make_user

from .test_referrals import consent, make_service, send

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = "/referrals/inbox/"


def _refer(mediator, ocmw, service, name):
    """A person with a trajectory and one referral to the OCMW's service."""
    person = make_person(mediator, first_name=name, last_name=name)
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="x",
        status="active",
        start_date=TODAY - dt.timedelta(days=100),
    )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Een woning"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Inschrijven", owner="client"
    )
    consent(mediator, person, ocmw, ["housing"])
    return send(mediator, (trajectory, {"housing": action}), service)


@pytest.fixture
def ocmw_worker(ocmw):
    return make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="ocmw_inbox")


@pytest.fixture
def service(ocmw):
    return make_service(ocmw)


def _names(response):
    return [v.referral.person.first_name for v in response.context["rows"]]


@pytest.fixture
def five(mediator, ocmw, service):
    return [_refer(mediator, ocmw, service, n) for n in ("Anna", "Bert", "Cem", "Dirk", "Els")]


def test_new_open_and_answered(client, five, ocmw_worker):
    referral_transition(
        acting_user=ocmw_worker, referral=five[0], to_status=ReferralStatus.ACCEPTED
    )
    client.force_login(ocmw_worker)
    assert sorted(_names(client.get(URL, {"status": "new"}))) == ["Bert", "Cem", "Dirk", "Els"]
    assert _names(client.get(URL, {"status": "answered"})) == ["Anna"]
    assert len(_names(client.get(URL, {"status": "open"}))) == 5
    assert len(_names(client.get(URL))) == 5  # open, by default


def test_pages_and_only_the_page_is_logged(client, five, ocmw_worker, monkeypatch):
    # Keyset pages (issue 20): newest first by (sent_at, id), no page numbers, no total.
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(ocmw_worker)
    response = client.get(URL)
    first, cursor = _names(response), response.context["page"].next_cursor
    assert first == ["Els", "Dirk"] and cursor
    before = AccessLog.objects.filter(what="referral inbox").count()
    response = client.get(URL, {"cursor": cursor})
    second = _names(response)
    assert second == ["Cem", "Bert"]
    logged = AccessLog.objects.filter(what="referral inbox").order_by("pk")[before:]
    assert sorted(r.person.first_name for r in logged) == sorted(second)
    last = client.get(URL, {"cursor": response.context["page"].next_cursor})
    assert _names(last) == ["Anna"] and not last.context["page"].has_next
    back = client.get(URL, {"cursor": last.context["page"].previous_cursor})
    assert _names(back) == ["Cem", "Bert"]
    # Without a status in the query string the pager's links keep the default (open).
    assert client.get(URL, {"cursor": cursor}).context["status"] == "open"
    # A cursor of the "open" list opens the "all" list at the same place (same keys).
    assert _names(client.get(URL, {"status": "", "cursor": cursor})) == ["Cem", "Bert"]


def test_all_is_newest_first_open_or_closed(client, five, ocmw_worker):
    # "All" used to put the open ones first; it grows with every referral received, so it is
    # read by its keys, newest first (the open ones keep their own filter, the default).
    referral_transition(
        acting_user=ocmw_worker,
        referral=five[4],
        to_status=ReferralStatus.NO_CAPACITY,
        reason="Geen plaats",
    )
    client.force_login(ocmw_worker)
    assert _names(client.get(URL, {"status": ""})) == ["Els", "Dirk", "Cem", "Bert", "Anna"]
    assert _names(client.get(URL, {"status": "closed"})) == ["Els"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "2"},
        {"cursor": "abc"},
        {"cursor": "9" * 5000},
        {"cursor": "\x00"},
        {"status": "bogus"},
        {"status": "a\x00"},
    ],
)
def test_bad_input_is_no_server_error(client, five, ocmw_worker, params):
    client.force_login(ocmw_worker)
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.is_keyset and not page.has_previous  # the first page


def test_another_organisation_sees_nothing_of_the_inbox(client, five, mediator):
    # The mediator's organisation sent the referrals; it receives none of them.
    other = make_user(Role.WELFARE_PARTNER, organisation=mediator.organisation, username="wp_x")
    client.force_login(other)
    for status in ("", "new", "open", "answered", "closed"):
        assert _names(client.get(URL, {"status": status})) == [], status


@pytest.mark.parametrize("n", [2, 6])
def test_a_page_costs_a_constant_number_of_queries(
    client, mediator, ocmw, service, ocmw_worker, monkeypatch, n, django_assert_num_queries
):
    # The second page, by its cursor: six queries whatever the inbox holds, none of them a
    # COUNT of the inbox (issue 20; was pinned at 12 at most, with the COUNT).
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(n):
        _refer(mediator, ocmw, service, f"P{i}")
    client.force_login(ocmw_worker)
    cursor = client.get(URL).context["page"].next_cursor
    with django_assert_num_queries(6):
        response = client.get(URL, {"cursor": cursor})
    assert len(response.context["rows"]) == 2


def test_the_sent_list_pages_by_its_keys(client, five, mediator, monkeypatch):
    # Sent (issue 20): "all" newest first by (sent_at, id); "open" the longest-silent first by
    # (last_update_at, id), which is overdue first; pages by cursor, a bad cursor the first.
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(mediator)
    url = "/referrals/sent/"

    def names(response):
        return [r.person.first_name for r in response.context["rows"]]

    def walk(params):
        seen, cursor = [], ""
        for _ in range(5):
            response = client.get(url, {**params, "cursor": cursor})
            seen += names(response)
            cursor = response.context["page"].next_cursor
            if not cursor:
                return seen
        raise AssertionError("more pages than rows")

    assert walk({"status": ""}) == ["Els", "Dirk", "Cem", "Bert", "Anna"]
    assert walk({"status": "open"}) == ["Anna", "Bert", "Cem", "Dirk", "Els"]
    first = client.get(url, {"status": "", "cursor": "garbage"})
    assert first.status_code == 200 and names(first) == ["Els", "Dirk"]
