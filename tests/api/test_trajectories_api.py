"""The trajectories family of the API: the visible trajectories (cursor, filters), one with its
plan in the life domains the client may see (as the trajectory page: a welfare partner of
another organisation sees only what a consent in force shares, special categories only the
duo), a contact through ``contact_record`` and an action's status through
``action_set_status`` with If-Match — another organisation's trajectory is a 404, every person
returned is logged with the client's purpose."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.network.consent.services import consent_give
from tandem.network.models import Service
from tandem.network.referrals.services import referral_send
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Action, Contact
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person

from .helpers import api_client_for, http, problem_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PURPOSE = "trajectory follow-up in the office's case system"


def _trajectory(mediator, person):
    return tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=60),
    )


@pytest.fixture
def trajectory(mediator, person):
    return _trajectory(mediator, person)


@pytest.fixture
def plan(mediator, trajectory):
    """A goal with an action in housing, income and mental health (a special category)."""
    actions = {}
    for domain in ("housing", "income", "mental_health"):
        goal = plan_services.goal_create(
            acting_user=mediator, trajectory=trajectory, domain=domain, description=f"Doel {domain}"
        )
        actions[domain] = plan_services.action_create(
            acting_user=mediator, goal=goal, description=f"Actie {domain}", owner="client"
        )
    return actions


@pytest.fixture
def office(organisation):
    return api_client_for(organisation, role=Role.MEDIATOR, purpose=PURPOSE, name="VDAB system")


@pytest.fixture
def stranger(other_organisation):
    return api_client_for(other_organisation, role=Role.MEDIATOR, name="Hasselt system")


@pytest.fixture
def ocmw_client(mediator, person, ocmw, trajectory, plan):
    """The OCMW's client: it sees the person through an open referral and a consent that
    shares housing only."""
    consent_give(
        acting_user=mediator,
        person=person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY - dt.timedelta(days=10),
    )
    service = Service.objects.create(organisation=ocmw, name="Woonbegeleiding")
    referral_send(acting_user=mediator, action=plan["housing"], service=service, question="?")
    return api_client_for(ocmw, role=Role.WELFARE_PARTNER, name="OCMW system")


def _url(trajectory, rest=""):
    return f"/api/v1/trajectories/{trajectory.public_id}/{rest}"


def test_the_list_returns_the_visible_trajectories_and_logs(office, trajectory, person):
    client, token = office
    response = http(token).get("/api/v1/trajectories/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(trajectory.public_id) and row["status"] == "active"
    assert row["person"] == {
        "id": str(person.public_id),
        "first_name": "Yasmina",
        "last_name": "Amrani",
    }
    log = AccessLog.objects.get()
    assert (log.person, log.user, log.purpose) == (person, client.service_user, PURPOSE)
    assert log.what.startswith("API trajectories")


def test_the_list_filters_and_pages(office, mediator, trajectory, person):
    _client, token = office
    other = _trajectory(mediator, make_person(mediator, first_name="Tom", last_name="Claes"))
    tservices.trajectory_transition(
        acting_user=mediator, trajectory=other, to_status="paused", reason="Ziek"
    )
    api = http(token)
    page = api.get("/api/v1/trajectories/?page_size=1").json()
    assert [r["id"] for r in page["results"]] == [str(other.public_id)]
    assert [r["id"] for r in api.get(page["next"]).json()["results"]] == [str(trajectory.public_id)]
    by_person = api.get(f"/api/v1/trajectories/?person={person.public_id}").json()["results"]
    assert [r["id"] for r in by_person] == [str(trajectory.public_id)]
    paused = api.get("/api/v1/trajectories/?status=paused").json()["results"]
    assert [r["id"] for r in paused] == [str(other.public_id)]
    bad = api.get("/api/v1/trajectories/?status=nonsense")
    assert bad.status_code == 400 and problem_fields(bad) == ["status"]
    blank = api.get("/api/v1/trajectories/?person=")
    assert blank.status_code == 400 and problem_fields(blank) == ["person"]
    assert api.get("/api/v1/trajectories/?person=nope").status_code == 400


def test_the_list_reads_a_page_in_constant_queries(
    office, mediator, trajectory, django_assert_max_num_queries
):
    _client, token = office
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        assert len(api.get("/api/v1/trajectories/").json()["results"]) == 1
    for n in range(4):
        _trajectory(mediator, make_person(mediator, first_name=f"P{n}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/trajectories/").json()["results"]) == 5


def test_the_detail_has_the_plan_an_etag_and_is_logged(office, trajectory, plan, person):
    _client, token = office
    response = http(token).get(_url(trajectory))
    assert response.status_code == 200 and response["ETag"].startswith('"')
    body = response.json()
    # The office's mediator (not the duo's lead: another user of the office) sees every domain
    # but the special categories, as on the page.
    assert sorted(g["domain"] for g in body["goals"]) == ["housing", "income"]
    assert "mental_health" not in body["visible_domains"]
    assert body["goals"][0]["actions"][0]["status"] == "open"
    assert AccessLog.objects.filter(person=person, purpose=PURPOSE).count() == 1


def test_the_detail_reads_in_constant_queries(
    office, mediator, trajectory, plan, django_assert_max_num_queries
):
    _client, token = office
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        api.get(_url(trajectory))
    goal = plan["housing"].goal
    for n in range(4):
        plan_services.action_create(
            acting_user=mediator, goal=goal, description=f"Extra {n}", owner="client"
        )
        plan_services.goal_create(
            acting_user=mediator, trajectory=trajectory, domain="work_education", description="W"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = api.get(_url(trajectory))
    assert sum(len(g["actions"]) for g in response.json()["goals"]) == 6


def test_a_welfare_partner_sees_only_the_shared_domains(ocmw_client, trajectory, plan):
    _client, token = ocmw_client
    api = http(token)
    body = api.get(_url(trajectory)).json()
    assert body["visible_domains"] == ["housing"]
    assert [g["domain"] for g in body["goals"]] == ["housing"]
    # An action of a domain the page hides is as missing as another trajectory's.
    income = plan["income"]
    assert api.get(_url(trajectory, f"actions/{income.pk}/")).status_code == 404
    housing = plan["housing"]
    assert api.get(_url(trajectory, f"actions/{housing.pk}/")).status_code == 200


def test_another_organisation_never_gets_the_trajectory(stranger, trajectory, plan, person):
    _client, token = stranger
    api = http(token)
    assert api.get("/api/v1/trajectories/").json()["results"] == []
    action = plan["housing"]
    for url in (
        _url(trajectory),
        _url(trajectory, f"actions/{action.pk}/"),
        f"/api/v1/trajectories/{uuid.uuid4()}/",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
    posted = api.post(
        _url(trajectory, "contacts/"), {"kind": "phone", "on": str(TODAY)}, format="json"
    )
    assert posted.status_code == 404
    done = api.post(_url(trajectory, f"actions/{action.pk}/done/"), {}, format="json")
    assert done.status_code == 404
    assert not AccessLog.objects.filter(person=person).exists()
    assert not Contact.objects.filter(kind="phone").exists()


def _etag(token, trajectory, action):
    response = http(token).get(_url(trajectory, f"actions/{action.pk}/"))
    assert response.status_code == 200
    return response["ETag"]


def test_an_action_status_needs_the_current_etag(office, trajectory, plan):
    _client, token = office
    action = plan["housing"]
    url = _url(trajectory, f"actions/{action.pk}/done/")
    api = http(token)
    assert api.post(url, {}, format="json").status_code == 428
    assert api.post(url, {}, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    etag = _etag(token, trajectory, action)
    done = api.post(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["done_on"] == str(TODAY)
    assert done["ETag"] != etag
    action.refresh_from_db()
    assert action.status == "done"
    # The old ETag is stale now.
    reopen = _url(trajectory, f"actions/{action.pk}/reopen/")
    assert api.post(reopen, {}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    event = AuditEvent.objects.filter(event_type="plan.action_status").latest("pk")
    assert event.data["status"] == "done"


def test_dropping_needs_a_reason(office, trajectory, plan):
    _client, token = office
    action = plan["income"]
    url = _url(trajectory, f"actions/{action.pk}/drop/")
    etag = _etag(token, trajectory, action)
    missing = http(token).post(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert missing.status_code == 400 and problem_fields(missing) == ["reason"]
    ok = http(token).post(url, {"reason": "Niet nodig"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert Action.objects.get(pk=action.pk).dropped_reason == "Niet nodig"


def test_a_contact_is_recorded_through_the_service(office, trajectory, person):
    client, token = office
    response = http(token).post(
        _url(trajectory, "contacts/"),
        {"kind": "phone", "on": str(TODAY), "text": "Gebeld over de huur", "domain": "housing"},
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.author, contact.domain, contact.text) == (
        client.service_user,
        "housing",
        "Gebeld over de huur",
    )
    assert AuditEvent.objects.filter(event_type="contact.recorded").exists()
    assert AccessLog.objects.filter(person=person, purpose=PURPOSE).count() == 1


def test_a_contact_in_the_future_is_refused_naming_the_field(office, trajectory):
    _client, token = office
    response = http(token).post(
        _url(trajectory, "contacts/"),
        {"kind": "phone", "on": str(TODAY + dt.timedelta(days=1))},
        format="json",
    )
    assert response.status_code == 400 and problem_fields(response) == ["on"]
    assert not Contact.objects.exists()


def test_who_may_not_change_the_trajectory_gets_403(ocmw_client, trajectory, plan):
    """The OCMW's client sees the trajectory (referral + consent) but is not its duo."""
    _client, token = ocmw_client
    response = http(token).post(
        _url(trajectory, "contacts/"), {"kind": "phone", "on": str(TODAY)}, format="json"
    )
    assert response.status_code == 403
    action = plan["housing"]
    etag = _etag(token, trajectory, action)
    done = http(token).post(
        _url(trajectory, f"actions/{action.pk}/done/"), {}, format="json", HTTP_IF_MATCH=etag
    )
    assert done.status_code == 403
    assert Action.objects.get(pk=action.pk).status == "open"


# --- planned contacts (contact_plan, the page's "Contact plannen") ----------------------------
def _plan_body(**extra):
    return {
        "kind": "home_visit",
        "on": str(TODAY + dt.timedelta(days=3)),
        "at": "10:30",
        "minutes": 45,
        "place": "Thuis",
        "purpose": "Huurachterstand bespreken",
        **extra,
    }


def test_a_contact_is_planned_through_the_service_and_read_on_the_trajectory(
    office, trajectory, person
):
    client, token = office
    api = http(token)
    before = api.get(_url(trajectory))
    assert before.json()["planned_contacts"] == []
    response = api.post(_url(trajectory, "contacts/planned/"), _plan_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["at"], body["minutes"]) == ("planned", "10:30", 45)
    contact = Contact.objects.get(pk=body["id"])
    assert (contact.author, contact.status, contact.at, contact.on) == (
        client.service_user,
        "planned",
        dt.time(10, 30),
        TODAY + dt.timedelta(days=3),
    )
    assert AuditEvent.objects.filter(event_type="contact.planned").count() == 1
    log = AccessLog.objects.filter(person=person, purpose=PURPOSE).order_by("pk").last()
    assert log.what == "API contact planned (VDAB system)"
    after = api.get(_url(trajectory))
    assert [c["id"] for c in after.json()["planned_contacts"]] == [contact.pk]
    assert after.json()["planned_contacts"][0]["purpose"] == "Huurachterstand bespreken"
    # The trajectory's ETag moves with its planned contacts.
    assert after["ETag"] != before["ETag"]
    assert AccessLog.objects.filter(person=person, purpose=PURPOSE).count() == 3


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "note"),  # a note is written, never planned (the page's choices)
        ("at", "25:00"),
        ("at", "10.30"),
        ("on", str(TODAY + dt.timedelta(days=400))),  # more than a year ahead
        ("on", "1999-12-31"),  # before 2000
        ("minutes", 4),  # the page's form: 5 to 480
        ("minutes", 481),
        ("place", "x" * 201),
    ],
)
def test_planning_refuses_what_the_page_refuses_naming_the_field(office, trajectory, field, value):
    _client, token = office
    response = http(token).post(
        _url(trajectory, "contacts/planned/"), _plan_body(**{field: value}), format="json"
    )
    assert response.status_code == 400 and problem_fields(response) == [field], response.content
    assert not Contact.objects.exists()


def test_another_organisation_cannot_plan_or_see_planned_contacts(
    office, stranger, trajectory, person
):
    _client, token = office
    http(token).post(_url(trajectory, "contacts/planned/"), _plan_body(), format="json")
    _stranger, stranger_token = stranger
    api = http(stranger_token)
    for url in (
        _url(trajectory, "contacts/planned/"),
        f"/api/v1/trajectories/{uuid.uuid4()}/contacts/planned/",
    ):
        response = api.post(url, _plan_body(), format="json")
        assert response.status_code == 404, url
    assert Contact.objects.count() == 1
    assert not AccessLog.objects.filter(person=person, user=_stranger.service_user).exists()


def test_who_may_not_change_the_trajectory_cannot_plan(ocmw_client, trajectory, plan):
    _client, token = ocmw_client
    response = http(token).post(_url(trajectory, "contacts/planned/"), _plan_body(), format="json")
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_the_detail_reads_planned_contacts_in_constant_queries(
    office, mediator, trajectory, django_assert_max_num_queries
):
    _client, token = office
    api = http(token)
    api.post(_url(trajectory, "contacts/planned/"), _plan_body(), format="json")
    with django_assert_max_num_queries(30) as one:
        api.get(_url(trajectory))
    for n in range(4):
        plan_services.contact_plan(
            acting_user=mediator,
            trajectory=trajectory,
            kind="phone",
            on=TODAY + dt.timedelta(days=n + 1),
            at=dt.time(9, n),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = api.get(_url(trajectory))
    assert len(response.json()["planned_contacts"]) == 5
