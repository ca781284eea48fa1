"""The change feed: what happened to the client's referrals since a cursor, read from the
referral status history, scoped by the referral pages' selector (another organisation's
referral never appears), no person in it (no access-log row), constant queries."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.api.models import ApiRequest
from tandem.api.scopes import Scope
from tandem.audit.models import AccessLog
from tandem.network.consent.services import consent_give
from tandem.network.models import ReferralStatusChange, Service
from tandem.network.referrals.services import referral_send, referral_transition
from tandem.trajectories import services as tservices
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"
TODAY = timezone.localdate()


@pytest.fixture
def trajectory(mediator, person, ocmw):
    consent_give(
        acting_user=mediator,
        person=person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY - dt.timedelta(days=5),
    )
    return tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=10),
    )


def _send(mediator, trajectory, ocmw, n=0):
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description=f"Woning {n}"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description=f"SVK {n}", owner="client"
    )
    service = Service.objects.create(organisation=ocmw, name=f"Woonbegeleiding {n}")
    return referral_send(acting_user=mediator, action=action, service=service, question="Kan het?")


@pytest.fixture
def receiver(ocmw):
    return api_client_for(ocmw, scopes=[Scope.EVENTS_READ])


@pytest.fixture
def sender(organisation):
    return api_client_for(organisation, role=Role.MEDIATOR, scopes=[Scope.EVENTS_READ])


def _feed(token, since=None, **params):
    if since is not None:
        params["since"] = since
    response = http(token).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_receiver_hears_the_referral_and_its_answers_once(
    receiver, mediator, partner, trajectory, ocmw
):
    client, token = receiver
    referral = _send(mediator, trajectory, ocmw)
    first = _feed(token)
    assert [(e["event"], e["to_status"], e["direction"]) for e in first["events"]] == [
        ("referral_sent", "sent", "received")
    ]
    assert first["events"][0]["referral"] == str(referral.public_id)
    assert first["events"][0]["receiving_organisation"]["code"] == ocmw.code
    assert first["has_more"] is False
    # Nothing new: the same cursor comes back.
    assert _feed(token, first["next"]) == {"events": [], "next": first["next"], "has_more": False}
    referral_transition(acting_user=partner, referral=referral, to_status="accepted")
    second = _feed(token, first["next"])
    assert [(e["event"], e["from_status"], e["to_status"]) for e in second["events"]] == [
        ("referral_status_changed", "sent", "accepted")
    ]
    assert second["events"][0]["by_organisation"]["code"] == ocmw.code
    # No person in the feed: no access-log row; the request log has the reads.
    assert not AccessLog.objects.exists()
    assert ApiRequest.objects.filter(client=client, route="/api/v1/events/").count() == 3


def test_the_sender_hears_the_answers_of_its_referrals(sender, mediator, partner, trajectory, ocmw):
    _client, token = sender
    referral = _send(mediator, trajectory, ocmw)
    referral_transition(acting_user=partner, referral=referral, to_status="declined", reason="Vol")
    events = _feed(token)["events"]
    assert [(e["to_status"], e["direction"]) for e in events] == [
        ("sent", "sent"),
        ("declined", "sent"),
    ]
    assert "Vol" not in str(events)  # notes and reasons stay on the referral's page


def test_another_organisation_hears_nothing_even_from_an_early_cursor(mediator, trajectory, ocmw):
    _send(mediator, trajectory, ocmw)
    caw = OrganisationFactory(name="CAW Oost", code="caw-oost-events", kind="caw")
    _client, token = api_client_for(caw, scopes=[Scope.EVENTS_READ])
    before = ReferralStatusChange.objects.order_by("pk").first().pk - 1
    guessed = base64.urlsafe_b64encode(f"rsc1:{before}".encode()).decode().rstrip("=")
    assert _feed(token, guessed)["events"] == []
    assert _feed(token)["events"] == []
    # Another VDAB office too (a sender that may not see the trajectory).
    other_vdab = OrganisationFactory(name="VDAB Brugge", code="vdab-brugge-events")
    _client, token = api_client_for(other_vdab, role=Role.MEDIATOR, scopes=[Scope.EVENTS_READ])
    assert _feed(token)["events"] == []


def test_pages_follow_each_other_with_limit(receiver, mediator, trajectory, ocmw):
    _client, token = receiver
    sent = [_send(mediator, trajectory, ocmw, n) for n in range(3)]
    seen = []
    since = None
    for _ in range(3):
        page = _feed(token, since, limit=1)
        seen += [e["referral"] for e in page["events"]]
        since = page["next"]
    assert seen == [str(r.public_id) for r in sent]
    assert page["has_more"] is False


@pytest.mark.parametrize(
    "cursor", ["nonsense", "cnNjMTp4", "b3RoZXI6MTI", "%%%", "cnNjMTotMQ", "0"]
)
def test_a_cursor_not_of_this_feed_is_not_found(receiver, cursor):
    """As the lists' cursors (tandem.api.pagination): a position never given is a 404."""
    _client, token = receiver
    response = http(token).get(URL, {"since": cursor})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_an_empty_cursor_is_400_naming_since(receiver):
    _client, token = receiver
    assert problem_fields(http(token).get(URL, {"since": ""})) == ["since"]


@pytest.mark.parametrize("limit", ["0", "501", "x"])
def test_a_bad_limit_is_400_naming_limit(receiver, limit):
    _client, token = receiver
    assert problem_fields(http(token).get(URL, {"limit": limit})) == ["limit"]


def test_the_scope_is_required(ocmw):
    _client, token = api_client_for(ocmw, scopes=[Scope.REFERRALS_READ])
    assert http(token).get(URL).status_code == 403


def test_the_feed_reads_in_constant_queries(
    receiver, mediator, trajectory, ocmw, django_assert_max_num_queries
):
    _client, token = receiver
    _send(mediator, trajectory, ocmw)
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        assert len(api.get(URL).json()["events"]) == 1
    for n in range(1, 6):
        _send(mediator, trajectory, ocmw, n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(URL).json()["events"]) == 6
