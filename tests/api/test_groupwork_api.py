"""The group-work family of the API: a group-work partner's client, acting as a coach of the
programme, reads the requests waiting for a decision and answers them (``enrolment_decide``,
If-Match), reads its groups and records a session's attendance in bulk — all or nothing, the
bad item named (``items.<i>.<field>``) — through the services of the group-work pages. Another
organisation's enrolment, group or session is a 404; every person returned is logged with the
client's purpose."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tandem.audit.models import AccessLog, AuditEvent
from tandem.groupwork.models import Attendance, Enrolment
from tests.authz_world import build_world

from .helpers import api_client_for, http, problem_fields
from .matrix_groupwork import coached, requested

pytestmark = pytest.mark.django_db
PURPOSE = "group planning in the partner's system"


@pytest.fixture
def world(db):
    cache.clear()
    return build_world("gwapi", "Groepsgeheim")


@pytest.fixture
def partner(world):
    """The group-work partner's client, made a coach of the world's programme."""
    client, token = api_client_for(
        world.objects["coach"].organisation,
        role=Role.GROUP_COACH,
        purpose=PURPOSE,
        name="Partner planning",
    )
    coached(world)
    return client, token


@pytest.fixture
def stranger(db):
    """Another world's group-work partner, coach of its own programme, every scope."""
    other = build_world("gwother", "Anderszins")
    _client, token = api_client_for(
        other.objects["coach"].organisation, role=Role.GROUP_COACH, name="Other partner"
    )
    coached(other)
    return other, token


def _enrolment_url(enrolment, action=""):
    return f"/api/v1/groupwork/enrolments/{enrolment.public_id}/" + (f"{action}/" if action else "")


def _attendance_url(session):
    return f"/api/v1/groupwork/sessions/{session.pk}/attendance/"


def test_the_requests_list_and_the_log(world, partner):
    client, token = partner
    request = requested(world)
    response = http(token).get("/api/v1/groupwork/requests/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(request.public_id) and row["status"] == "requested"
    person = request.trajectory.person
    assert row["participant"] == {"first_name": person.first_name, "last_name": person.last_name}
    assert set(row) >= {"programme", "module", "requested_on", "requested_by_organisation"}
    log = AccessLog.objects.get(person=person)
    assert (log.user, log.purpose) == (client.service_user, PURPOSE)


def test_the_requests_list_reads_in_constant_queries(world, partner, django_assert_max_num_queries):
    from tandem.groupwork.enrolment import services as enrolment_services
    from tandem.trajectories import services as tservices
    from tests.factories import make_person

    _client, token = partner
    requested(world)
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        assert len(api.get("/api/v1/groupwork/requests/").json()["results"]) == 1
    mediator = world.users["lead"]
    for n in range(3):
        trajectory = tservices.trajectory_start(
            acting_user=mediator,
            person=make_person(mediator, first_name=f"Deelnemer{n}"),
            type="w2",
            reason="Groepswerk",
            status="active",
        )
        enrolment_services.enrolment_request(
            acting_user=mediator, trajectory=trajectory, module=world.objects["module"]
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/groupwork/requests/").json()["results"]) == 4


def test_accepting_needs_the_current_etag_and_goes_through_the_service(world, partner):
    _client, token = partner
    request = requested(world)
    api = http(token)
    url = _enrolment_url(request, "accept")
    assert api.post(url, {}, format="json").status_code == 428
    assert api.post(url, {}, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    etag = api.get(_enrolment_url(request))["ETag"]
    response = api.post(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["status"] in ("placed", "waiting")
    assert Enrolment.objects.get(pk=request.pk).status == response.json()["status"]
    assert AuditEvent.objects.filter(event_type="groupwork.accepted").exists()
    # Decided: a second answer conflicts with the state (409), even with the new ETag.
    again = api.post(
        _enrolment_url(request, "decline"),
        {"note": "Toch niet"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert again.status_code == 409


def test_declining_needs_a_reason(world, partner):
    _client, token = partner
    request = requested(world)
    api = http(token)
    etag = api.get(_enrolment_url(request))["ETag"]
    missing = api.post(_enrolment_url(request, "decline"), {}, format="json", HTTP_IF_MATCH=etag)
    assert missing.status_code == 400 and problem_fields(missing) == ["note"]
    ok = api.post(
        _enrolment_url(request, "decline"), {"note": "Volzet"}, format="json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200 and ok.json()["status"] == "declined"


def test_the_groups_and_one_group_with_its_participants(world, partner):
    _client, token = partner
    api = http(token)
    intake = world.objects["intake"]
    [row] = api.get("/api/v1/groupwork/intakes/").json()["results"]
    assert row["id"] == intake.pk and row["session_count"] == 4
    body = api.get(f"/api/v1/groupwork/intakes/{intake.pk}/").json()
    assert [p["last_name"] for p in body["participants"]] == ["Groepsgeheim"]
    assert body["sessions"][0]["starts_at"] == "09:30" and body["sessions"][0]["present"] == 1
    assert AccessLog.objects.filter(person=world.person, purpose=PURPOSE).count() == 1


def test_attendance_in_bulk(world, partner):
    _client, token = partner
    session, enrolment = world.objects["session"], world.objects["enrolment"]
    response = http(token).post(
        _attendance_url(session),
        {"items": [{"enrolment": str(enrolment.public_id), "status": "excused"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["items"] == [
        {
            "first_name": "Verborgen",
            "last_name": "Groepsgeheim",
            "enrolment": str(enrolment.public_id),
            "status": "excused",
        }
    ]
    assert Attendance.objects.get(session=session, enrolment=enrolment).status == "excused"
    assert AccessLog.objects.filter(person=world.person, purpose=PURPOSE).exists()


def test_attendance_is_all_or_nothing_naming_the_item(world, partner):
    _client, token = partner
    session, enrolment = world.objects["session"], world.objects["enrolment"]
    good = {"enrolment": str(enrolment.public_id), "status": "absent"}
    api = http(token)
    bad_status = api.post(
        _attendance_url(session),
        {"items": [good, {"enrolment": str(enrolment.public_id), "status": "asleep"}]},
        format="json",
    )
    assert bad_status.status_code == 400 and problem_fields(bad_status) == ["items.1.status"]
    stranger = api.post(
        _attendance_url(session),
        {"items": [good, good, {"enrolment": str(uuid.uuid4()), "status": "present"}]},
        format="json",
    )
    assert stranger.status_code == 409 and problem_fields(stranger) == ["items.2.enrolment"]
    twice = api.post(_attendance_url(session), {"items": [good, good]}, format="json")
    assert twice.status_code == 400 and problem_fields(twice) == ["items.1.enrolment"]
    # Nothing of any of them was written: the session still has its one "present".
    assert Attendance.objects.get(session=session, enrolment=enrolment).status == "present"


def test_attendance_of_a_session_still_to_come_conflicts(world, partner):
    _client, token = partner
    later = world.objects["intake"].sessions.order_by("-number").first()
    enrolment = world.objects["enrolment"]
    response = http(token).post(
        _attendance_url(later),
        {"items": [{"enrolment": str(enrolment.public_id), "status": "present"}]},
        format="json",
    )
    assert response.status_code == 409
    assert not Attendance.objects.filter(session=later).exists()


def test_another_organisation_never_gets_the_group(world, partner, stranger):
    _other, token = stranger
    api = http(token)
    request = requested(world)
    intake, session = world.objects["intake"], world.objects["session"]
    for url in (
        _enrolment_url(world.objects["enrolment"]),
        _enrolment_url(request),
        f"/api/v1/groupwork/intakes/{intake.pk}/",
        f"/api/v1/groupwork/enrolments/{uuid.uuid4()}/",
    ):
        assert api.get(url).status_code == 404, url
    body = {"items": [{"enrolment": str(world.objects["enrolment"].public_id), "status": "absent"}]}
    assert api.post(_attendance_url(session), body, format="json").status_code == 404
    requests = api.get("/api/v1/groupwork/requests/").content.decode()
    intakes = api.get("/api/v1/groupwork/intakes/").json()["results"]
    assert "Groep" + world.tag not in requests and intake.pk not in [i["id"] for i in intakes]
    assert not AccessLog.objects.filter(person__in=[world.person, request.trajectory.person])


def test_a_client_that_coaches_nothing_sees_nothing(world):
    _client, token = api_client_for(
        world.objects["coach"].organisation, role=Role.GROUP_COACH, name="Not a coach yet"
    )
    api = http(token)
    assert api.get("/api/v1/groupwork/requests/").json()["results"] == []
    assert api.get(f"/api/v1/groupwork/intakes/{world.objects['intake'].pk}/").status_code == 404


def test_group_work_is_for_coaches(world):
    _client, token = api_client_for(world.organisation, role=Role.MEDIATOR, name="Office")
    assert http(token).get("/api/v1/groupwork/requests/").status_code == 403
    _client, token = api_client_for(
        world.objects["coach"].organisation,
        role=Role.GROUP_COACH,
        scopes=[Scope.GROUPWORK_READ],
        name="Read only",
    )
    coached(world)
    session, enrolment = world.objects["session"], world.objects["enrolment"]
    body = {"items": [{"enrolment": str(enrolment.public_id), "status": "absent"}]}
    assert http(token).post(_attendance_url(session), body, format="json").status_code == 403


def test_the_groups_read_in_constant_queries(world, partner, django_assert_max_num_queries):
    import datetime as dt

    from tandem.groupwork.enrolment import services as enrolment_services

    _client, token = partner
    api = http(token)
    with django_assert_max_num_queries(30) as one:
        assert len(api.get("/api/v1/groupwork/intakes/").json()["results"]) == 1
    for n in range(1, 4):
        enrolment_services.intake_plan(
            acting_user=None,
            module=world.objects["module"],
            starts_on=world.objects["intake"].starts_on + dt.timedelta(days=40 * n),
            starts_at=dt.time(13),
            ends_at=dt.time(15),
            place="Buurthuis",
            coach=world.objects["coach"],
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/groupwork/intakes/").json()["results"]) == 4
