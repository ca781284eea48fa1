"""My work on the home page (issue 18) for the group coach, the job coach, the experience
expert, the outreach worker and the programme manager: each list scoped (another coach's,
expert's or team's items never appear), one query per list (pinned), every person shown
logged, and the job coach's caseload of their own (it was a 403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role, User
from tandem.audit.models import AccessLog
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import Enrolment
from tandem.home.work import roles
from tandem.outreach.models import ContactMoment, FindPlace, Prospect
from tandem.reporting.dashboard import StatedTarget, TargetActual, at_risk, pace_needed
from tandem.trajectories.jobcoaching.rules import add_months
from tandem.trajectories.jobcoaching.services import job_coaching_start, job_start_record
from tandem.trajectories.models import ContractType
from tandem.trajectories.services import (
    expert_support_request,
    expert_support_respond,
    trajectory_start,
)
from tests.factories import OrganisationFactory, make_person, make_user
from tests.groupwork.conftest import (  # noqa: F401 (fixtures)
    coach,
    enrol,
    groep_intro,
    module,
    plan,
    programme,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


def _build(builder, user):
    """Run a panel builder; return its context and the queries it sent (the access-log insert
    apart: it writes, it does not read). The user's roles are read once per request, by the
    login, not by the panel: read them before counting."""
    assert user.role_codes is not None
    with CaptureQueriesContext(connection) as queries:
        context = builder(_request(user))
    reads = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    return context, len(reads)


def _logged(user, what):
    return set(AccessLog.objects.filter(user=user, what=what).values_list("person", flat=True))


# --- the job coach --------------------------------------------------------------------------


@pytest.fixture
def employer(db):
    return OrganisationFactory(
        name="Haven Logistiek", code="haven-t", kind=OrganisationKind.EMPLOYER
    )


@pytest.fixture
def job_coach(db):
    return make_user(Role.JOB_COACH, organisation=OrganisationFactory(name="GOB Gent"))


def _coached(mediator, employer, job_coach, *, months_ago, first_name, title="Magazijnier"):
    """A job started ``months_ago`` months ago, coached by ``job_coach`` from a day later."""
    trajectory = trajectory_start(
        acting_user=mediator,
        person=make_person(mediator, first_name=first_name),
        type="w2",
        reason="test",
        status="active",
        start_date=TODAY - dt.timedelta(days=400),
    )
    started = add_months(TODAY, -months_ago)
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=started,
        contract_type=ContractType.PERMANENT,
        job_title=title,
    )
    return job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=job_coach,
        employer_consent_on=started,
        started_on=started + dt.timedelta(days=1),
    )


def test_the_job_coach_caseload_opens_with_their_people(client, mediator, employer, job_coach):
    """It was a 403 (trajectory.caseload is the duo's): now the people they coach."""
    mine = _coached(mediator, employer, job_coach, months_ago=2, first_name="Yasmina")
    colleague = make_user(Role.JOB_COACH, organisation=job_coach.organisation)
    _coached(mediator, employer, colleague, months_ago=2, first_name="Bavo")
    client.force_login(job_coach)
    response = client.get(reverse("trajectories:caseload"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Yasmina" in body and "Bavo" not in body
    assert "Haven Logistiek" in body and "Magazijnier" in body
    assert mine.ends_on.strftime("%d/%m/%Y") in body
    person = mine.job_start.trajectory.person
    assert _logged(job_coach, "job coaching caseload") == {person.pk}


def test_the_job_coach_home_lists_the_people_they_coach_most_urgent_check_first(
    client, mediator, employer, job_coach
):
    later = _coached(mediator, employer, job_coach, months_ago=2, first_name="Later")
    sooner = _coached(mediator, employer, job_coach, months_ago=5, first_name="Sooner")
    # A coaching that ended long ago and has no check left to answer is no work today.
    old = _coached(mediator, employer, job_coach, months_ago=11, first_name="Old")
    old.job_start.retention.update(checked_on=TODAY, still_employed=True)
    other = make_user(Role.JOB_COACH, organisation=job_coach.organisation)
    _coached(mediator, employer, other, months_ago=1, first_name="Other")

    context, reads = _build(roles.job_coach, job_coach)
    assert reads == 1
    assert [c.pk for c in context["coachings"]] == [sooner.pk, later.pk]
    # Sooner's next check: the 1-month check, due four months ago, unanswered.
    assert context["coachings"][0].next_check_month == 1
    assert _logged(job_coach, "home: job coaching") == {
        sooner.job_start.trajectory.person_id,
        later.job_start.trajectory.person_id,
    }

    client.force_login(job_coach)
    body = client.get("/").content.decode()
    check_url = reverse(
        "trajectories:retention_check_record",
        kwargs={
            "public_id": sooner.job_start.trajectory.public_id,
            "check_id": context["coachings"][0].next_check_id,
        },
    )
    assert check_url in body
    assert "Sooner" in body and "Later" in body and "Old" not in body and "Other" not in body


# --- the experience expert ------------------------------------------------------------------


def test_the_expert_sees_first_name_mediator_question_and_day_asked(
    client, organisation, mediator, other_mediator
):
    mediator.first_name, mediator.last_name = "Lotte", "Vermeulen"
    mediator.save()
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)

    def trajectory(by, first_name):
        return trajectory_start(
            acting_user=by,
            person=make_person(by, first_name=first_name, last_name="Achternaam"),
            type="w2",
            reason="test",
            status="active",
        )

    waiting = expert_support_request(
        acting_user=mediator,
        trajectory=trajectory(mediator, "Regina"),
        question="Samen de brieven van de deurwaarder bekijken",
    )
    engaged = expert_support_request(
        acting_user=mediator,
        trajectory=trajectory(mediator, "Urbain"),
        question="Mee naar het OCMW",
    )
    expert_support_respond(acting_user=expert, request=engaged, accept=True)
    # Another office's request: never on this expert's page.
    expert_support_request(
        acting_user=other_mediator,
        trajectory=trajectory(other_mediator, "Elders"),
        question="Elders gevraagd",
    )

    context, reads = _build(roles.experience_expert, expert)
    assert reads == 1
    assert [r.pk for r in context["expert_waiting"]] == [waiting.pk]
    assert [r.pk for r in context["expert_engagements"]] == [engaged.pk]

    client.force_login(expert)
    body = client.get("/").content.decode()
    assert "Regina" in body and "Urbain" in body and "Elders" not in body
    assert "Lotte Vermeulen" in body
    assert "Samen de brieven van de deurwaarder bekijken" in body
    assert waiting.created_at.strftime("%d/%m/%Y") in body
    assert "Achternaam" not in body  # the first name only
    assert body.index("Regina") < body.index("Urbain")  # waiting first, then engagements
    assert _logged(expert, "home: experience-expert requests") == {
        waiting.trajectory.person_id,
        engaged.trajectory.person_id,
    }


# --- the group coach ------------------------------------------------------------------------


def test_the_group_coach_sees_requests_attendance_to_take_and_dropout_signals(
    client,
    mediator,
    coach,  # noqa: F811
    module,  # noqa: F811
    groep_intro,  # noqa: F811
):
    requested = enrol(mediator, coach, module, accept=False)
    signalled = enrol(mediator, coach, module)
    Enrolment.objects.filter(pk=signalled.pk).update(dropout_flagged_on=TODAY)
    seen = enrol(mediator, coach, module)
    Enrolment.objects.filter(pk=seen.pk).update(
        dropout_flagged_on=TODAY, dropout_acknowledged_on=TODAY
    )
    # A group that started two weeks ago: two sessions past with no attendance, one today.
    intake = plan(module, TODAY - dt.timedelta(days=14), coach=coach)
    sessions = sorted(intake.sessions.all(), key=lambda s: s.on)
    # Another coach's programme: none of it appears.
    other_coach = make_user(Role.GROUP_COACH, organisation=groep_intro)
    other_request = enrolment_services.enrolment_request(
        acting_user=mediator,
        trajectory=trajectory_start(
            acting_user=mediator,
            person=make_person(mediator, first_name="Anderegroep"),
            type="w2",
            reason="test",
            status="active",
        ),
        module=module,
        on=TODAY,
    )

    context, reads = _build(roles.group_coach, coach)
    assert reads == 4  # requests, attendance to take, drop-out signals, next sessions
    assert requested.pk in [e.pk for e in context["group_requests"]]
    assert [e.pk for e in context["group_dropout_signals"]] == [signalled.pk]
    due = [s.pk for s in context["group_attendance_due"]]
    assert due == [s.pk for s in reversed(sessions[:3])]  # today's first, then the latest
    assert _logged(coach, "home: group-work requests and drop-out signals") >= {
        requested.trajectory.person_id,
        signalled.trajectory.person_id,
    }

    other_context, _reads = _build(roles.group_coach, other_coach)
    assert other_context["group_requests"] == [] and other_context["group_dropout_signals"] == []
    assert other_context["group_attendance_due"] == []
    assert other_request.pk in [e.pk for e in context["group_requests"]]  # the module's coach

    client.force_login(coach)
    body = client.get("/").content.decode()
    assert reverse("groupwork:attendance", kwargs={"pk": sessions[2].pk}) in body
    assert reverse("groupwork:enrolment_detail", kwargs={"public_id": signalled.public_id}) in body


# --- the outreach worker --------------------------------------------------------------------


def test_the_outreach_worker_sees_follow_ups_and_registrations_without_trajectory(client, mediator):
    team = OrganisationFactory(name="vzw Jes", kind=OrganisationKind.OUTREACH_PARTNER)
    worker = make_user(Role.OUTREACH_WORKER, organisation=team)
    other_team = OrganisationFactory(name="IN-Z", kind=OrganisationKind.OUTREACH_PARTNER)
    place = FindPlace.objects.create(organisation=team, name="Schoolpoort", municipality="Gent")
    other_place = FindPlace.objects.create(
        organisation=other_team, name="Markt", municipality="Genk"
    )

    def prospect(org, where, nickname, met_days_ago, person=None):
        p = Prospect.objects.create(
            organisation=org,
            nickname=nickname,
            person=person,
            converted_on=TODAY - dt.timedelta(days=met_days_ago) if person else None,
        )
        ContactMoment.objects.create(
            prospect=p, place=where, on=TODAY - dt.timedelta(days=met_days_ago)
        )
        return p

    due = prospect(team, place, "Fatma", 40)
    prospect(team, place, "Recent", 3)  # met three days ago: not due yet
    prospect(other_team, other_place, "Elders", 40)
    registered = make_person(worker, first_name="Aniela")
    waiting = prospect(team, place, "Papa Ali", 60, person=registered)
    started = make_person(worker, first_name="Gestart")
    prospect(team, place, "Kevin", 90, person=started)
    trajectory_start(acting_user=mediator, person=started, type="w2", reason="t", status="active")

    context, reads = _build(roles.outreach_worker, worker)
    assert reads == 2
    assert [p.pk for p in context["follow_ups"]] == [due.pk]
    assert [p.pk for p in context["registrations_waiting"]] == [waiting.pk]
    assert _logged(worker, "home: registered, no trajectory yet") == {registered.pk}

    client.force_login(worker)
    body = client.get("/").content.decode()
    assert "Fatma" in body and "Aniela" in body
    assert "Elders" not in body and "Gestart" not in body and "Recent" not in body


# --- the programme manager: targets at risk ----------------------------------------------------


def _target(value, start, due):
    return StatedTarget(
        "call", "c", "Call", "participants", "at_least", value, due, ((1, "P"),), start
    )


@pytest.mark.parametrize(
    ("actual", "today", "needed", "risk"),
    [
        # Half the period gone: an even pace needs half the target.
        (400, dt.date(2025, 1, 1), 500, True),
        (500, dt.date(2025, 1, 1), 500, False),
        (600, dt.date(2025, 1, 1), 500, False),
        # Before the period starts, and after the due date: nothing to pace.
        (0, dt.date(2023, 6, 1), None, False),
        (0, dt.date(2026, 2, 1), None, False),
        # The day before the due date: nearly all of it.
        (998, dt.date(2026, 1, 1), 999, True),
        # Not measurable from Tandem's data: never at risk.
        (None, dt.date(2025, 1, 1), 500, False),
    ],
)
def test_a_target_is_at_risk_when_its_actual_is_below_an_even_pace(actual, today, needed, risk):
    # 1 January 2024 to 2 January 2026: 732 days, half of them gone on 1 January 2025.
    target = _target(1000, dt.date(2024, 1, 1), dt.date(2026, 1, 2))
    assert pace_needed(target, today) == needed
    assert at_risk(TargetActual(target, today, actual), today) is risk


def test_the_programme_manager_sees_quality_findings_and_running_targets(client):
    manager = make_user(Role.PROGRAMME_MANAGER)
    call_command("seed_demo", "--persons", "0")
    context, reads = _build(roles.programme_manager, manager)
    # Three for the targets (the projects of calls, call and project targets; none running
    # is measurable, so no dashboard load) and seven for the four data-quality checks.
    assert reads == 10
    names = [r.target.name for r in context["running_targets"]]
    assert names and all(
        r.target.due_date is not None and r.target.due_date >= TODAY
        for r in context["running_targets"]
    )
    client.force_login(manager)
    body = client.get("/").content.decode()
    assert 'id="pm-targets"' in body


# --- the demo: every one of these logins gets a page of work, on two seeds ---------------------

ROLES = (
    "demo_group_coach",
    "demo_job_coach",
    "demo_experience_expert",
    "demo_outreach_worker",
    "demo_data_protection_officer",
    "demo_programme_manager",
)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_demo_gives_these_roles_their_work(client, seed):
    call_command("seed_demo", "--seed", str(seed), "--persons", "120")
    bodies = {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        response = client.get("/")
        assert response.status_code == 200, username
        bodies[username] = response.content.decode()
    assert 'id="coach-requests"' in bodies["demo_group_coach"]
    assert 'id="home-coachings"' in bodies["demo_job_coach"]
    # A small demo may hold no expert request (seed 2 with 120 persons has none); the full
    # demo (1,000 persons) holds waiting requests and engagements on both seeds.
    assert 'id="p-expert"' in bodies["demo_experience_expert"]
    assert 'id="pm-quality"' in bodies["demo_programme_manager"] or (
        'id="pm-targets"' in bodies["demo_programme_manager"]
    )
    client.force_login(User.objects.get(username="demo_job_coach"))
    assert client.get(reverse("trajectories:caseload")).status_code == 200
