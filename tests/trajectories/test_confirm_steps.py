"""Irreversible steps ask first (issue 14): closing a trajectory and signing off a POP answer
the first POST with a page that says what will happen, change nothing, and act only on the
POST that comes back confirmed. Closing names the job coaching and referrals still running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AuditEvent
from tandem.common.dates import add_months
from tandem.network.consent.services import consent_give
from tandem.network.models import Service
from tandem.network.referrals.services import referral_send
from tandem.trajectories.jobcoaching.services import job_coaching_start, job_start_record
from tandem.trajectories.models import Perspective, PopReport, Status, StatusChange
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.pop.services import pop_draft
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _close_url(trajectory):
    return reverse("trajectories:trajectory_transition", kwargs={"public_id": trajectory.public_id})


CLOSE = {"to_status": "closed", "on": TODAY.isoformat(), "closure_reason": "training"}


def test_the_first_close_post_asks_and_changes_nothing(mediator_client, trajectory):
    response = mediator_client.post(_close_url(trajectory), CLOSE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-step"' in html
    assert 'name="confirmed" value="yes"' in html
    # The same answers travel along, hidden, so the second step closes what was asked.
    assert 'name="closure_reason" value="training"' in html
    assert f'name="on" value="{TODAY.isoformat()}"' in html
    assert 'id="confirm-warnings"' not in html  # nothing still running
    trajectory.refresh_from_db()
    assert trajectory.status == Status.ACTIVE
    assert not StatusChange.objects.filter(trajectory=trajectory, to_status="closed").exists()
    assert not AuditEvent.objects.filter(event_type="trajectory.status_changed").exists()


def test_the_confirmed_close_post_closes(mediator_client, trajectory):
    response = mediator_client.post(_close_url(trajectory), {**CLOSE, "confirmed": "yes"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.closure_reason) == (Status.CLOSED, "training")


def test_a_close_without_reason_is_refused_before_asking(mediator_client, trajectory):
    response = mediator_client.post(_close_url(trajectory), {**CLOSE, "closure_reason": ""})
    assert response.status_code == 400
    assert "closure_reason" in response.context["transition_form"].errors
    assert b'id="confirm-step"' not in response.content


def test_other_status_changes_need_no_confirmation(mediator_client, trajectory):
    response = mediator_client.post(
        _close_url(trajectory), {"to_status": "paused", "on": TODAY.isoformat(), "reason": "Ziek"}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == Status.PAUSED


def test_the_question_lists_running_job_coaching_and_open_referrals(
    mediator, mediator_client, trajectory, ocmw
):
    employer = OrganisationFactory(
        name="Haven Logistiek", code="haven-log-cs", kind=OrganisationKind.EMPLOYER
    )
    coach = make_user(Role.JOB_COACH, organisation=OrganisationFactory(name="GOB Gent"))
    coach.first_name, coach.last_name = "Jonas", "Coach"
    coach.save()
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=add_months(TODAY, -1),
        contract_type="permanent",
    )
    job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=coach,
        employer_consent_on=TODAY,
        started_on=TODAY,
    )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Woning"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Inschrijven SVK", owner="client"
    )
    consent_give(
        acting_user=mediator,
        person=trajectory.person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY - dt.timedelta(days=5),
    )
    service = Service.objects.create(
        organisation=ocmw, name="Woonbegeleiding", life_domains=["housing"]
    )
    referral_send(acting_user=mediator, action=action, service=service, question="Kan het?")

    response = mediator_client.post(_close_url(trajectory), CLOSE)
    assert response.status_code == 200
    html = response.content.decode()
    warnings = html[html.index('id="confirm-warnings"') : html.index('id="confirm-form"')]
    assert "Jonas Coach" in warnings
    assert "Haven Logistiek" in warnings
    assert add_months(TODAY, 6).strftime("%d/%m/%Y") in warnings
    assert "Woonbegeleiding" in warnings
    assert "OCMW Gent" in warnings
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED


# --- POP sign-off ---------------------------------------------------------------------------


def _sign_url(trajectory, version=1):
    return reverse(
        "trajectories:pop_sign_off",
        kwargs={"public_id": trajectory.public_id, "version": version},
    )


def _pop(mediator, trajectory):
    return pop_draft(
        acting_user=mediator,
        trajectory=trajectory,
        job_target="Magazijnier",
        perspective=Perspective.NEC,
        work_plan="Heftruckattest halen.",
        welfare_plan="",
    )


def test_the_first_sign_off_post_asks_and_changes_nothing(mediator, mediator_client, trajectory):
    pop = _pop(mediator, trajectory)
    response = mediator_client.post(_sign_url(trajectory), {"on": TODAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-step"' in html
    assert "Magazijnier" in html
    assert f'name="on" value="{TODAY.isoformat()}"' in html
    assert PopReport.objects.get(pk=pop.pk).signed_off_on is None
    assert not AuditEvent.objects.filter(event_type="pop.signed_off").exists()


def test_the_confirmed_sign_off_post_signs_off(mediator, mediator_client, trajectory):
    pop = _pop(mediator, trajectory)
    response = mediator_client.post(
        _sign_url(trajectory), {"on": TODAY.isoformat(), "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert PopReport.objects.get(pk=pop.pk).signed_off_on == TODAY


def test_a_sign_off_in_the_future_is_refused_before_asking(mediator, mediator_client, trajectory):
    _pop(mediator, trajectory)
    future = (TODAY + dt.timedelta(days=2)).isoformat()
    response = mediator_client.post(_sign_url(trajectory), {"on": future})
    assert response.status_code == 400
    assert b'id="confirm-step"' not in response.content
