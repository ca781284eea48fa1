"""The referrals family of the API: the inbox and the sent list, one referral with its ETag,
and the receiver's answers through ``referral_transition`` with If-Match — scoped as the pages
are (another organisation's referral is a 404, never a 403), every person returned logged with
the client's purpose."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.api.models import ApiRequest
from tandem.api.scopes import Scope
from tandem.audit.models import AccessLog, AuditEvent
from tandem.network.consent.services import consent_give, consent_withdraw
from tandem.network.models import Referral, Service
from tandem.network.referrals.services import referral_send
from tandem.trajectories import services as tservices
from tandem.trajectories.models import ActionStatus
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PURPOSE = "referral follow-up in the OCMW's social file"


def _referral(mediator, person, ocmw, *, description="Inschrijven bij het SVK", trajectory=None):
    if trajectory is None:
        trajectory = tservices.trajectory_start(
            acting_user=mediator,
            person=person,
            type="w2",
            reason="Aangemeld",
            status="active",
            start_date=TODAY - dt.timedelta(days=100),
        )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Een woning"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description=description, owner="client"
    )
    service = Service.objects.create(organisation=ocmw, name="Woonbegeleiding")
    return referral_send(
        acting_user=mediator, action=action, service=service, question="Kan zij starten?"
    )


@pytest.fixture
def consent(mediator, person, ocmw):
    return consent_give(
        acting_user=mediator,
        person=person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY - dt.timedelta(days=50),
    )


@pytest.fixture
def referral(mediator, person, ocmw, consent):
    return _referral(mediator, person, ocmw)


@pytest.fixture
def receiver(ocmw):
    """The OCMW's case system: a client acting as a welfare partner of the OCMW."""
    return api_client_for(ocmw, purpose=PURPOSE)


@pytest.fixture
def stranger(db):
    """Another organisation's client, with every scope."""
    caw = OrganisationFactory(name="CAW Oost", code="caw-oost-api", kind="caw")
    return api_client_for(caw, name="CAW system")


def _url(referral, action=""):
    return f"/api/v1/referrals/{referral.public_id}/" + (f"{action}/" if action else "")


def _detail(token, referral):
    response = http(token).get(_url(referral))
    assert response.status_code == 200, response.content
    return response


def test_the_inbox_returns_the_referral_and_logs_the_person(receiver, referral, person):
    client, token = receiver
    response = http(token).get("/api/v1/referrals/inbox/")
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [str(referral.public_id)]
    row = body["results"][0]
    assert row["person"]["last_name"] == person.last_name
    assert row["direction"] == "received" and row["status"] == "sent"
    assert row["allowed_actions"] == ["accept", "decline", "no-capacity"]
    assert row["question"] == "Kan zij starten?"
    assert body["next"] is None
    log = AccessLog.objects.get()
    assert (log.person, log.user, log.purpose) == (person, client.service_user, PURPOSE)
    assert log.what.startswith("API referral inbox")
    assert ApiRequest.objects.get().client == client


def test_the_inbox_reads_a_page_in_constant_queries(
    receiver, mediator, person, ocmw, consent, django_assert_max_num_queries
):
    _client, token = receiver
    first = _referral(mediator, person, ocmw)
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        api.get("/api/v1/referrals/inbox/")
    for n in range(3):
        _referral(mediator, person, ocmw, description=f"Actie {n}", trajectory=first.trajectory)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = api.get("/api/v1/referrals/inbox/")
    assert len(response.json()["results"]) == 4


def test_the_sent_list_reads_a_page_in_constant_queries(
    organisation, mediator, person, ocmw, consent, django_assert_max_num_queries
):
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, name="VDAB system")
    first = _referral(mediator, person, ocmw)
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        api.get("/api/v1/referrals/sent/")
    for n in range(3):
        _referral(mediator, person, ocmw, description=f"Actie {n}", trajectory=first.trajectory)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = api.get("/api/v1/referrals/sent/")
    assert len(response.json()["results"]) == 4


def test_cursor_pagination_and_filters(receiver, mediator, person, ocmw, consent):
    _client, token = receiver
    first = _referral(mediator, person, ocmw)
    second = _referral(mediator, person, ocmw, description="Tweede", trajectory=first.trajectory)
    api = http(token)
    page = api.get("/api/v1/referrals/inbox/?page_size=1").json()
    assert [r["id"] for r in page["results"]] == [str(second.public_id)]
    assert "cursor=" in page["next"]
    page2 = api.get(page["next"]).json()
    assert [r["id"] for r in page2["results"]] == [str(first.public_id)]
    _accept(token, first)
    accepted = api.get("/api/v1/referrals/inbox/?status=accepted").json()["results"]
    assert [r["id"] for r in accepted] == [str(first.public_id)]
    assert api.get("/api/v1/referrals/inbox/?open=false").json()["results"] == []
    bad = api.get("/api/v1/referrals/inbox/?status=nonsense")
    assert bad.status_code == 400 and problem_fields(bad) == ["status"]


def test_the_detail_has_an_etag_and_the_history(receiver, referral, person):
    _client, token = receiver
    response = _detail(token, referral)
    body = response.json()
    assert response["ETag"].startswith('"') and response["Cache-Control"] == "no-store"
    assert body["shared"]["plan"][0]["domain"] == "housing"
    assert [h["to_status"] for h in body["history"]] == ["sent"]
    assert AccessLog.objects.filter(person=person, purpose=PURPOSE).count() == 1


def _accept(token, referral, **body):
    etag = _detail(token, referral)["ETag"]
    return http(token).post(_url(referral, "accept"), body, format="json", HTTP_IF_MATCH=etag)


def test_if_match_is_required_and_checked(receiver, referral):
    _client, token = receiver
    api = http(token)
    missing = api.post(_url(referral, "accept"), {}, format="json")
    assert missing.status_code == 428
    assert missing["Content-Type"] == "application/problem+json"
    stale = api.post(_url(referral, "accept"), {}, format="json", HTTP_IF_MATCH='"0000"')
    assert stale.status_code == 412
    star = api.post(_url(referral, "accept"), {}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 428
    referral.refresh_from_db()
    assert referral.status == "sent"
    etag = _detail(token, referral)["ETag"]
    ok = api.post(_url(referral, "accept"), {"note": "Welkom"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "accepted" and ok["ETag"] != etag
    again = api.post(_url(referral, "start"), {}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412  # the old ETag is stale now


def test_the_answer_goes_through_the_service(receiver, referral):
    client, token = receiver
    assert _accept(token, referral).status_code == 200
    event = AuditEvent.objects.filter(event_type="referral.status_changed").latest("pk")
    assert event.actor == client.service_user
    assert event.data["side"] == "receiver"


def test_decline_needs_a_reason_named_in_the_problem(receiver, referral):
    _client, token = receiver
    etag = _detail(token, referral)["ETag"]
    response = http(token).post(_url(referral, "decline"), {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert problem_fields(response) == ["reason"]
    ok = http(token).post(
        _url(referral, "decline"),
        {"reason": "Geen woonbegeleiding"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert ok.status_code == 200 and ok.json()["reason"] == "Geen woonbegeleiding"


def test_the_whole_loop_marks_the_plan_action_done(receiver, referral):
    _client, token = receiver
    api = http(token)
    for action, body in (("accept", {}), ("start", {}), ("complete", {"outcome": "Gestart"})):
        etag = _detail(token, referral)["ETag"]
        response = api.post(_url(referral, action), body, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, (action, response.content)
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "Gestart"
    assert referral.action.status == ActionStatus.DONE


def test_a_move_the_state_machine_refuses_is_409(receiver, referral):
    _client, token = receiver
    etag = _detail(token, referral)["ETag"]
    response = http(token).post(
        _url(referral, "complete"), {"outcome": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_the_sender_sees_it_in_the_sent_list_not_in_the_inbox(organisation, referral, person):
    _client, token = api_client_for(organisation, role=Role.MEDIATOR, name="VDAB system")
    sent = http(token).get("/api/v1/referrals/sent/").json()["results"]
    assert [(r["id"], r["direction"]) for r in sent] == [(str(referral.public_id), "sent")]
    assert http(token).get("/api/v1/referrals/inbox/").json()["results"] == []
    # The sender may not answer for the receiver: 403 from the service.
    etag = _detail(token, referral)["ETag"]
    response = http(token).post(_url(referral, "accept"), {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403


def test_another_organisation_never_gets_the_referral(stranger, referral, person):
    _client, token = stranger
    api = http(token)
    assert api.get("/api/v1/referrals/inbox/").json()["results"] == []
    assert api.get("/api/v1/referrals/sent/").json()["results"] == []
    guessed = api.get(_url(referral))
    unknown = api.get(f"/api/v1/referrals/{uuid.uuid4()}/")
    assert guessed.status_code == unknown.status_code == 404
    assert guessed.json()["detail"] == unknown.json()["detail"]
    for action in ("accept", "decline", "no-capacity", "start", "complete", "not-reached"):
        response = api.post(_url(referral, action), {}, format="json", HTTP_IF_MATCH='"x"')
        assert response.status_code == 404, action
    assert person.last_name not in str(api.get("/api/v1/referrals/inbox/").content)
    assert not AccessLog.objects.exists()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_withdrawn_consent_hides_the_person(receiver, referral, consent, mediator, person):
    _client, token = receiver
    consent_withdraw(acting_user=mediator, consent=consent, withdrawn_on=TODAY)
    row = http(token).get("/api/v1/referrals/inbox/").json()["results"][0]
    assert row["person"] is None and row["question"] is None and row["consent_withdrawn"]
    body = _detail(token, referral).json()
    assert body["shared"] is None and all(h["note"] is None for h in body["history"])
    assert person.last_name not in str(body)
    assert not AccessLog.objects.exists()


def test_scopes_decide_the_calls(ocmw, referral):
    _client, token = api_client_for(ocmw, scopes=[Scope.REFERRALS_READ])
    assert http(token).get("/api/v1/referrals/inbox/").status_code == 200
    etag = _detail(token, referral)["ETag"]
    response = http(token).post(_url(referral, "accept"), {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    _c, write_only = api_client_for(ocmw, name="Writer", scopes=[Scope.REFERRALS_WRITE])
    assert http(write_only).get("/api/v1/referrals/inbox/").status_code == 403
    assert Referral.objects.get().status == "sent"
