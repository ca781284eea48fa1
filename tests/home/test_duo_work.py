"""My work on the home page of the mediator and the welfare partner (issue 18): each panel is
one scoped query of the app that owns the data, derived (an overdue action is an open action
past its due date), urgent first; every person shown writes its access-log row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.audit.models import AccessLog
from tandem.home.work import cases
from tandem.network.consent.services import consent_give
from tandem.network.models import Referral, ReferralStatus, Service
from tandem.network.referrals.services import referral_send, referral_transition
from tandem.trajectories import services as tservices
from tandem.trajectories.models import ExpertSupportRequest, Trajectory
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
S = ReferralStatus


def start(mediator, person):
    return tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=200),
    )


def action(mediator, trajectory, description, *, domain="work_education", owner="mediator", due):
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain=domain, description="Doel"
    )
    return plan_services.action_create(
        acting_user=mediator, goal=goal, description=description, owner=owner, due_on=due
    )


def consent(mediator, person, organisation, domains):
    return consent_give(
        acting_user=mediator,
        person=person,
        domains=domains,
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=organisation,
        given_on=TODAY - dt.timedelta(days=150),
    )


def request_for(user):
    request = RequestFactory().get("/")
    request.user = User.objects.select_related("organisation").get(pk=user.pk)
    request.user.role_codes  # noqa: B018 - loaded once, as on every page
    return request


def selects(ctx):
    return [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


# --- plan actions ------------------------------------------------------------------------------


def test_an_overdue_action_appears_and_a_done_one_does_not(
    client, mediator, other_mediator, person
):
    trajectory = start(mediator, person)
    late = action(mediator, trajectory, "Cv opmaken", due=TODAY - dt.timedelta(days=3))
    due_today = action(mediator, trajectory, "Vacatures bespreken", due=TODAY)
    done = action(mediator, trajectory, "Digipunt bezoeken", due=TODAY - dt.timedelta(days=9))
    plan_services.action_set_status(acting_user=mediator, action=done, status="done")
    later = action(mediator, trajectory, "Sollicitatietraining", due=TODAY + dt.timedelta(days=5))
    # Another office's overdue action never shows.
    other = start(other_mediator, make_person(other_mediator, first_name="Ander"))
    action(other_mediator, other, "Andermans actie", due=TODAY - dt.timedelta(days=30))

    rows = cases.overdue_actions(request_for(mediator))["work_actions"]["rows"]
    assert [a.pk for a in rows] == [late.pk, due_today.pk]  # the longest overdue first
    assert later.pk not in [a.pk for a in rows]

    client.force_login(mediator)
    body = client.get("/").content.decode()
    assert "Cv opmaken" in body and "Digipunt bezoeken" not in body
    assert "Andermans actie" not in body


def test_the_welfare_partner_sees_their_own_actions_in_the_consented_domains_only(
    mediator, partner, person
):
    trajectory = start(mediator, person)
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    consent(mediator, person, partner.organisation, ["income"])
    overdue = TODAY - dt.timedelta(days=2)
    shared = action(
        mediator, trajectory, "Budget", domain="income", owner="welfare_partner", due=overdue
    )
    not_shared = action(
        mediator, trajectory, "Woning", domain="housing", owner="welfare_partner", due=overdue
    )
    mediators = action(mediator, trajectory, "Cv", owner="mediator", due=overdue)

    partner_rows = cases.overdue_actions(request_for(partner))["work_actions"]["rows"]
    assert [a.pk for a in partner_rows] == [shared.pk]
    # The lead mediator's are every action but the partner's.
    lead_rows = cases.overdue_actions(request_for(mediator))["work_actions"]["rows"]
    assert [a.pk for a in lead_rows] == [mediators.pk]
    assert not_shared.pk not in [a.pk for a in partner_rows + lead_rows]


# --- referrals ---------------------------------------------------------------------------------


@pytest.fixture
def referral_world(mediator, partner, person, other_mediator):
    """A referral of the mediator's trajectory to the OCMW answered "No capacity", one still
    waiting, and one of another office."""
    ocmw = partner.organisation
    service = Service.objects.create(
        organisation=ocmw, name="Budgetbegeleiding", life_domains=["income", "housing"]
    )
    trajectory = start(mediator, person)
    consent(mediator, person, ocmw, ["income", "housing"])
    answered = referral_send(
        acting_user=mediator,
        action=action(mediator, trajectory, "Budget", domain="income", owner="referral", due=None),
        service=service,
        question="Kan budgetbegeleiding starten?",
    )
    answered = referral_transition(
        acting_user=partner, referral=answered, to_status=S.NO_CAPACITY, reason="Wachtlijst"
    )
    waiting_person = make_person(mediator, first_name="Wachtend")
    waiting_trajectory = start(mediator, waiting_person)
    consent(mediator, waiting_person, ocmw, ["housing"])
    waiting = referral_send(
        acting_user=mediator,
        action=action(
            mediator, waiting_trajectory, "Woning", domain="housing", owner="referral", due=None
        ),
        service=service,
        question="Woonbegeleiding?",
    )
    stranger = make_person(other_mediator, first_name="Vreemde")
    other = start(other_mediator, stranger)
    consent(other_mediator, stranger, ocmw, ["income"])
    foreign = referral_send(
        acting_user=other_mediator,
        action=action(other_mediator, other, "Budget", domain="income", owner="referral", due=None),
        service=service,
        question="?",
    )
    return answered, waiting, foreign


def test_a_referral_answer_appears_for_the_sender_and_another_offices_never(
    client, mediator, referral_world
):
    answered, _waiting, _foreign = referral_world
    rows = cases.referral_work(request_for(mediator))["work_referrals"]["rows"]
    assert [r.pk for r in rows] == [answered.pk]  # the waiting one is not late yet
    client.force_login(mediator)
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geen plaats" in body and "Vreemde" not in body


def test_a_late_referral_comes_first(mediator, referral_world):
    answered, waiting, _foreign = referral_world
    Referral.objects.filter(pk=waiting.pk).update(
        last_update_at=timezone.now() - dt.timedelta(days=30)
    )
    rows = cases.referral_work(request_for(mediator))["work_referrals"]["rows"]
    assert [(r.pk, r.is_late) for r in rows] == [(waiting.pk, True), (answered.pk, False)]


def test_new_referrals_arrive_in_the_welfare_partners_inbox_panel(client, partner, referral_world):
    _answered, waiting, foreign = referral_world
    rows = cases.new_referrals(request_for(partner))["work_inbox"]["rows"]
    # Both unanswered referrals to the OCMW, the oldest first; the answered one is not new.
    assert [r.pk for r in rows] == [waiting.pk, foreign.pk]
    assert all(r.person_visible for r in rows)
    client.force_login(partner)
    body = client.get("/").content.decode()
    assert "Wachtend" in body and "Vreemde" in body


# --- experts, contacts, silence, domains led ----------------------------------------------------


def test_expert_answers_show_a_decline_first(mediator, person, organisation):
    trajectory = start(mediator, person)
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)

    def ask():
        return tservices.expert_support_request(
            acting_user=mediator, trajectory=trajectory, question="?"
        )

    accepted, declined, _waiting = ask(), ask(), ask()
    tservices.expert_support_respond(acting_user=expert, request=accepted, accept=True)
    tservices.expert_support_respond(acting_user=expert, request=declined, accept=False)
    rows = cases.expert_answers(request_for(mediator))["work_expert"]["rows"]
    assert [r.pk for r in rows] == [declined.pk, accepted.pk]
    ExpertSupportRequest.objects.filter(pk=accepted.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=30)
    )
    rows = cases.expert_answers(request_for(mediator))["work_expert"]["rows"]
    assert [r.pk for r in rows] == [declined.pk]


def test_contacts_due_and_trajectories_without_contact(mediator, person):
    due = start(mediator, person)
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=due,
        kind="phone",
        on=TODAY - dt.timedelta(days=40),
        text="Gebeld",
        next_on=TODAY - dt.timedelta(days=10),
        next_at=dt.time(10, 0),
        next_kind="phone",
    )
    recent = start(mediator, make_person(mediator, first_name="Recent"))
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=recent,
        kind="office",
        on=TODAY - dt.timedelta(days=2),
        text="Gesprek",
        next_on=TODAY + dt.timedelta(days=7),
        next_at=dt.time(9, 30),
        next_kind="office",
    )
    never = start(mediator, make_person(mediator, first_name="Nooit"))
    request = request_for(mediator)
    assert [t.pk for t in cases.contacts_due(request)["work_contacts"]["rows"]] == [due.pk]
    # Never contacted first, then the longest silent; a recent contact is not silent.
    silent = cases.silent_trajectories(request)["work_silent"]["rows"]
    assert [t.pk for t in silent] == [never.pk, due.pk]


def test_domains_led_by_the_welfare_partner(mediator, partner, person):
    trajectory = start(mediator, person)
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    consent(mediator, person, partner.organisation, ["income", "housing"])
    for domain, side in (
        ("income", "welfare_partner"),
        ("housing", "shared"),
        ("family", "welfare_partner"),
        ("work_education", "mediator"),
    ):
        trajectory.responsibilities.update_or_create(domain=domain, defaults={"side": side})
    rows = cases.domains_led(request_for(partner))["work_domains"]["rows"]
    assert [t.pk for t in rows] == [trajectory.pk]
    # Family is not shared with the OCMW; work is the mediator's.
    assert sorted(r.domain for r in rows[0].led) == ["housing", "income"]


# --- one query per panel, and the access log ---------------------------------------------------

BUILDERS = {
    "work_contacts": cases.contacts_due,
    "work_actions": cases.overdue_actions,
    "work_referrals": cases.referral_work,
    "work_inbox": cases.new_referrals,
    "work_group": cases.group_work,
    "work_retention": cases.retention_checks,
    "work_expert": cases.expert_answers,
    "work_silent": cases.silent_trajectories,
    "work_domains": cases.domains_led,
}


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("who", ["mediator", "partner"])
def test_each_panel_is_one_query_and_logs_each_person_it_shows(
    name, who, mediator, partner, person, referral_world
):
    trajectory = Trajectory.objects.get(person=person)
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    trajectory.responsibilities.update_or_create(
        domain="income", defaults={"side": "welfare_partner"}
    )
    plan_services.contact_plan(
        acting_user=mediator,
        trajectory=trajectory,
        kind="home_visit",
        on=TODAY - dt.timedelta(days=1),
        at=dt.time(10, 0),
    )
    for owner in ("mediator", "welfare_partner"):
        action(mediator, trajectory, owner, domain="income", owner=owner, due=TODAY)
    user = {"mediator": mediator, "partner": partner}[who]
    request = request_for(user)
    AccessLog.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        rows = BUILDERS[name](request)[name]["rows"]
    # One query (none for work the user cannot do: a partner adopts no POP input).
    expected = 0 if (who, name) == ("partner", "work_group") else 1
    assert len(selects(ctx)) == expected, [q["sql"] for q in selects(ctx)]
    logged = AccessLog.objects.filter(what__startswith="home: ")
    if name == "work_inbox":
        expected = sorted(r.person_id for r in rows if r.person_visible)
        assert sorted(logged.values_list("person", flat=True)) == expected
    else:
        assert logged.count() == len(rows)
    assert set(logged.values_list("user", flat=True)) <= {user.pk}


def test_the_panels_have_rows_in_this_world(mediator, partner, person, referral_world):
    """The query pin above is not vacuous: the panels it measures show rows."""
    trajectory = Trajectory.objects.get(person=person)
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    plan_services.contact_plan(
        acting_user=mediator, trajectory=trajectory, kind="office", on=TODAY, at=dt.time(9, 0)
    )
    assert cases.contacts_due(request_for(partner))["work_contacts"]["rows"]
    assert cases.referral_work(request_for(mediator))["work_referrals"]["rows"]
    assert cases.new_referrals(request_for(partner))["work_inbox"]["rows"]


# --- the page on the demo data -----------------------------------------------------------------

MEDIATOR_PANELS = [
    "p-work-contacts",
    "p-work-actions",
    "p-work-referrals",
    "p-work-group",
    "p-work-retention",
    "p-work-expert",
    "p-work-silent",
]
PARTNER_PANELS = [
    "p-work-contacts",
    "p-work-actions",
    "p-work-inbox",
    "p-work-referrals",
    "p-work-silent",
    "p-work-domains",
]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_home_page_of_the_demo_mediator_and_welfare_partner(client, seed):
    call_command("seed_demo", "--seed", str(seed), "--persons", "150", stdout=io.StringIO())
    for username, panels in (
        ("demo_mediator", MEDIATOR_PANELS),
        ("demo_welfare_partner", PARTNER_PANELS),
    ):
        client.force_login(User.objects.get(username=username))
        response = client.get("/")
        assert response.status_code == 200
        body = response.content.decode()
        for panel in panels:
            assert f'id="{panel}"' in body, (username, panel)
        assert 'class="worklist"' in body, username
