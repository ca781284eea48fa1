"""Each event someone else must act on or know about notifies the right people, and no one else
(issue 18): a referral answered, an enrolment accepted or declined, a drop-out signal, an expert
request answered, a consent withdrawn that affects an open referral. (An intake taken or sent
back is notified by the intake queue: tests/registry.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.notifications import kinds
from tandem.notifications.models import Notification
from tests.authz_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds():
    return build_world("gent", "Zwartkopvandenberghe"), build_world("aalst", "Zilverbergdam")


def _got(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "url"))


def test_the_worlds_own_events_notified_who_asked(worlds):
    """Building the world answered an expert request (the expert accepted the lead's request)
    and accepted an enrolment (the coach accepted the lead's request)."""
    home, other = worlds
    for w in (home, other):
        lead = w.users["lead"]
        assert Notification.objects.filter(
            recipient=lead,
            kind=kinds.EXPERT_REQUEST_ANSWERED,
            url=reverse("trajectories:trajectory_detail", args=[w.trajectory.public_id]),
            person=w.person,
            actor=w.users["expert"],
        ).exists()
        assert Notification.objects.filter(
            recipient=lead,
            kind=kinds.ENROLMENT_ACCEPTED,
            url=reverse("groupwork:enrolment_detail", args=[w.objects["enrolment"].public_id]),
        ).exists()
    # only the askers
    assert {r for r, _ in _got(kinds.EXPERT_REQUEST_ANSWERED)} == {
        "matrix_gent_lead",
        "matrix_aalst_lead",
    }
    assert {r for r, _ in _got(kinds.ENROLMENT_ACCEPTED)} == {
        "matrix_gent_lead",
        "matrix_aalst_lead",
    }


def test_a_referral_answered_notifies_the_sender_and_the_duo_not_the_answerer(worlds):
    from tandem.network.referrals.services import referral_transition

    home, _other = worlds
    referral = home.objects["referral"]
    Notification.objects.all().delete()
    referral_transition(acting_user=home.users["partner"], referral=referral, to_status="accepted")
    url = reverse("network:referral_detail", args=[referral.public_id])
    # The sender is the lead mediator; the partner of the duo answered (the actor): one row.
    assert _got(kinds.REFERRAL_ANSWERED) == [("matrix_gent_lead", url)]


def test_a_move_by_the_sender_notifies_no_one(worlds):
    from tandem.network.referrals.services import referral_transition

    home, _other = worlds
    Notification.objects.all().delete()
    referral_transition(
        acting_user=home.users["lead"], referral=home.objects["referral"], to_status="withdrawn"
    )
    assert not Notification.objects.exists()


def test_an_enrolment_declined_notifies_the_requesting_mediator(worlds):
    from tandem.groupwork.enrolment import services as enrolment_services
    from tandem.groupwork.services import module_save

    home, _other = worlds
    module = module_save(
        acting_user=None,
        programme=home.objects["programme"],
        name="Sollicitatietraining",
        theme="self_insight",
        session_count=2,
    )
    enrolment = enrolment_services.enrolment_request(
        acting_user=home.users["lead"], trajectory=home.trajectory, module=module
    )
    Notification.objects.all().delete()
    enrolment_services.enrolment_decide(
        acting_user=home.users["group_coach"], enrolment=enrolment, accept=False, note="Vol"
    )
    url = reverse("groupwork:enrolment_detail", args=[enrolment.public_id])
    assert _got(kinds.ENROLMENT_DECLINED) == [("matrix_gent_lead", url)]
    assert Notification.objects.count() == 1


def test_a_dropout_signal_notifies_the_duo(worlds):
    from tandem.groupwork.enrolment import follow_up

    home, _other = worlds
    programme = home.objects["programme"]
    programme.dropout_after = 1
    programme.save()
    enrolment = home.objects["enrolment"]
    Notification.objects.all().delete()
    flagged = follow_up.attendance_record(
        acting_user=home.users["group_coach"],
        session=home.objects["session"],
        statuses={enrolment.pk: "absent"},
    )
    assert [e.pk for e in flagged] == [enrolment.pk]
    url = reverse("groupwork:enrolment_detail", args=[enrolment.public_id])
    assert _got(kinds.DROPOUT_SIGNAL) == [("matrix_gent_lead", url), ("matrix_gent_partner", url)]
    assert Notification.objects.count() == 2


def test_an_expert_request_from_a_group_coach_links_to_the_enrolment(worlds):
    from tandem.groupwork.expert.services import enrolment_expert_request
    from tandem.trajectories.services import expert_support_respond

    home, _other = worlds
    request = enrolment_expert_request(
        acting_user=home.users["group_coach"],
        enrolment=home.objects["enrolment"],
        question="Iemand die de weg kent?",
    )
    Notification.objects.all().delete()
    expert_support_respond(acting_user=home.users["expert"], request=request, accept=False)
    url = reverse("groupwork:enrolment_detail", args=[home.objects["enrolment"].public_id])
    assert _got(kinds.EXPERT_REQUEST_ANSWERED) == [("matrix_gent_coach", url)]


def test_a_consent_withdrawn_notifies_the_receiving_partner_of_an_open_referral(worlds, client):
    from tandem.network.consent.services import consent_withdraw

    home, _other = worlds
    Notification.objects.all().delete()
    consent_withdraw(acting_user=home.users["lead"], consent=home.objects["consent"])
    url = reverse("network:referral_detail", args=[home.objects["referral"].public_id])
    assert _got(kinds.CONSENT_WITHDRAWN) == [("matrix_gent_partner", url)]
    assert Notification.objects.count() == 1
    # The partner no longer sees the person: the notification names no one to them.
    client.force_login(home.users["partner"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert "notification-list" in page
    assert home.secrets["name"] not in page and "Verborgen" not in page


def test_a_consent_withdrawn_without_an_open_referral_notifies_no_one(worlds):
    from tandem.network.consent.services import consent_withdraw
    from tandem.network.referrals.services import referral_transition

    home, _other = worlds
    referral_transition(
        acting_user=home.users["lead"], referral=home.objects["referral"], to_status="withdrawn"
    )
    Notification.objects.all().delete()
    consent_withdraw(acting_user=home.users["lead"], consent=home.objects["consent"])
    assert not Notification.objects.exists()
