"""A group coach asks an experience expert for a participant of their group (issue 17, item B).

Source 003, answer to question 1: "Bovendien heeft VDAB ervaringsdeskundigen in armoede en
sociale uitsluiting in dienst die op vraag van bemiddelaars of instructeurs kunnen ondersteunen
in de zoektocht naar werk." Instructeurs are the group coaches (DOMAIN.md §1: groepsbegeleider).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tandem.access.capabilities import role_has
from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.expert.services import enrolment_expert_request
from tandem.trajectories.models import ExpertSupportRequest, ExpertSupportStatus
from tandem.trajectories.selectors import expert_requests_open_for
from tests.factories import make_user
from tests.groupwork.test_network_map import _trajectory, group  # noqa: F401 - the fixture

TODAY = timezone.localdate()
SOURCES = Path("/work/shared/sources")
QUESTION = "Kan iemand mee naar het eerste gesprek bij de werkgever?"
PASSAGE = (
    "ervaringsdeskundigen in armoede en sociale uitsluiting in dienst die op vraag van "
    "bemiddelaars of instructeurs kunnen ondersteunen in de zoektocht naar werk"
)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def expert(group):  # noqa: F811
    """An experience expert of the mediator's office (VDAB), like the existing requests'."""
    return make_user(
        Role.EXPERIENCE_EXPERT, organisation=group.mediator.organisation, username="ed_expert"
    )


def _url(enrolment) -> str:
    return reverse("groupwork:enrolment_expert", kwargs={"public_id": enrolment.public_id})


# --- the rule --------------------------------------------------------------------------------


def test_the_passage_is_in_source_003():
    (path,) = SOURCES.glob("003_*.txt")
    assert PASSAGE in " ".join(path.read_text(encoding="utf-8").split())


@pytest.mark.parametrize(
    ("role", "capability", "source"),
    [
        (Role.MEDIATOR, "trajectory.request_expert", "source 003, answer 1: bemiddelaars"),
        (Role.GROUP_COACH, "groupwork.request_expert", "source 003, answer 1: instructeurs"),
    ],
)
def test_mediators_and_group_coaches_may_ask_an_experience_expert(role, capability, source):
    assert role_has(role, capability), source


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r not in (Role.MEDIATOR, Role.GROUP_COACH)],
)
def test_no_other_role_asks(role):
    assert not role_has(role, "trajectory.request_expert")
    assert not role_has(role, "groupwork.request_expert")


# --- the service -----------------------------------------------------------------------------


def test_the_coach_asks_for_a_participant_of_their_group(group, expert):  # noqa: F811
    request = enrolment_expert_request(
        acting_user=group.coach, enrolment=group.enrolment, question=f"  {QUESTION} "
    )
    assert request.trajectory == group.enrolment.trajectory
    assert request.enrolment == group.enrolment
    assert request.requested_by == group.coach
    assert (request.question, request.status) == (QUESTION, ExpertSupportStatus.REQUESTED)
    (event,) = AuditEvent.objects.filter(event_type="expert.requested")
    assert event.actor == group.coach and event.person == group.enrolment.trajectory.person
    assert event.data["enrolment"] == str(group.enrolment.public_id)
    # The expert sees it like a mediator's request.
    assert expert_requests_open_for(expert) == [request]


def test_a_coach_of_another_programme_or_a_mediator_may_not_ask(group):  # noqa: F811
    for user in (group.other_coach, group.mediator):
        with pytest.raises(PermissionDenied):
            enrolment_expert_request(acting_user=user, enrolment=group.enrolment, question=QUESTION)
    assert not ExpertSupportRequest.objects.exists()


def test_only_for_a_participant_placed_in_the_group(group):  # noqa: F811
    requested = enrolment_services.enrolment_request(
        acting_user=group.mediator,
        trajectory=_trajectory(group.mediator, "Pieter", "Claes"),
        module=group.module,
    )
    with pytest.raises(ValidationError, match="placed in the group"):
        enrolment_expert_request(acting_user=group.coach, enrolment=requested, question=QUESTION)
    with pytest.raises(ValidationError) as exc:
        enrolment_expert_request(acting_user=group.coach, enrolment=group.enrolment, question=" ")
    assert "question" in exc.value.message_dict
    assert not ExpertSupportRequest.objects.exists()


# --- the pages: as the coach, as another programme's coach, as the expert --------------------


def test_as_the_coach_the_request_is_sent_and_the_answer_is_seen(client, group, expert):  # noqa: F811
    client.force_login(group.coach)
    detail = client.get(
        reverse("groupwork:enrolment_detail", kwargs={"public_id": group.enrolment.public_id})
    )
    assert f'href="{_url(group.enrolment)}"' in detail.content.decode()
    page = client.get(_url(group.enrolment))
    assert page.status_code == 200
    assert 'id="expert-request-form"' in page.content.decode()
    response = client.post(_url(group.enrolment), {"question": QUESTION})
    assert response.status_code == 302 and response["Location"] == _url(group.enrolment)
    request = ExpertSupportRequest.objects.get()
    assert (request.enrolment, request.requested_by) == (group.enrolment, group.coach)
    assert AccessLog.objects.filter(
        user=group.coach, what="group work: experience-expert request"
    ).exists()

    # The expert answers as for any request.
    client.force_login(expert)
    url = reverse("trajectories:expert_request_respond", kwargs={"request_id": request.pk})
    assert client.post(url, {"accept": "1"}).status_code == 302

    # The coach sees the answer.
    client.force_login(group.coach)
    body = client.get(_url(group.enrolment)).content.decode()
    assert 'data-status="accepted"' in body
    assert f"experience expert: {expert}" in body
    assert QUESTION in body


def test_as_the_expert_the_coachs_request_is_on_the_home_page_and_answered(
    client,
    group,  # noqa: F811
    expert,
):
    request = enrolment_expert_request(
        acting_user=group.coach, enrolment=group.enrolment, question=QUESTION
    )
    client.force_login(expert)
    url = reverse("trajectories:expert_request_respond", kwargs={"request_id": request.pk})
    assert f'href="{url}"' in client.get("/").content.decode()
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert QUESTION in body and 'id="asked-from-group-work"' in body
    assert group.module.name in body
    assert client.post(url, {"decline": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == ExpertSupportStatus.DECLINED
    # The coach sees that it was declined.
    client.force_login(group.coach)
    assert 'data-status="declined"' in client.get(_url(group.enrolment)).content.decode()


def test_as_a_coach_of_another_programme_the_page_is_not_found(client, group, other_mediator):  # noqa: F811
    for user in (group.other_coach,):
        client.force_login(user)
        assert client.get(_url(group.enrolment)).status_code == 404
        assert client.post(_url(group.enrolment), {"question": QUESTION}).status_code == 404
    # Roles that do not ask from group work may not use the page at all.
    for user in (group.mediator, other_mediator, make_user(Role.EXPERIENCE_EXPERT)):
        client.force_login(user)
        assert client.get(_url(group.enrolment)).status_code == 403
        assert client.post(_url(group.enrolment), {"question": QUESTION}).status_code == 403
    assert not ExpertSupportRequest.objects.exists()
    assert not AccessLog.objects.filter(what="group work: experience-expert request").exists()


def test_no_form_once_the_participant_left(client, group):  # noqa: F811
    enrolment_services.enrolment_leave(
        acting_user=group.coach, enrolment=group.enrolment, reason="work", on=TODAY
    )
    client.force_login(group.coach)
    body = client.get(_url(group.enrolment)).content.decode()
    assert 'id="expert-request-form"' not in body and 'id="expert-request-closed"' in body
    response = client.post(_url(group.enrolment), {"question": QUESTION})
    assert response.status_code == 400
    assert "placed in the group" in response.content.decode()
    assert not ExpertSupportRequest.objects.exists()


def test_the_mediator_sees_the_coachs_request_on_the_trajectory(client, group):  # noqa: F811
    enrolment_expert_request(acting_user=group.coach, enrolment=group.enrolment, question=QUESTION)
    client.force_login(group.mediator)
    trajectory = group.enrolment.trajectory
    body = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    ).content.decode()
    assert QUESTION in body
