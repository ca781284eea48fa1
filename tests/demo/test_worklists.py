"""The demo gives each role a realistic worklist (issue 18, "Done when"): years of demo history
leave no months-old overdue actions, POP input from 2020 or expert requests waiting since 2019
on today's pages (``tandem.demo.settle``); the group coach has today's session with the
attendance still to take; every demo login's home page has work on it, and none a flood.
Before: the demo mediator had about a hundred overdue plan actions (seed 1, 1,000 persons: 101)
and 27 POP inputs from 2020–2022; the group coach no session today. The contacts
(``tandem.demo.contact_rhythm``): the demo mediator had 54 contacts "due today or overdue" and 34
trajectories "without contact for 30 days", the demo welfare partner 25 and 14 (seed 1, 1,000
persons; seed 2: 50 and 31, 25 and 14)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.test import RequestFactory
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo.contact_rhythm import KEEP_WORKING_DAYS, settle_contacts
from tandem.demo.settle import (
    EXPERT_ANSWER_DAYS,
    EXPERT_ENGAGEMENT_DAYS,
    OVERDUE_AT_MOST_DAYS,
    POP_INPUT_WAITS_DAYS,
    settle_worklists,
)
from tandem.groupwork.models import GroupSession, PopInput
from tandem.home.panels import panels_for
from tandem.network.models import Referral
from tandem.network.models.referral import OPEN_REFERRAL_STATUSES
from tandem.registry.intake.models import Intake, IntakeSource
from tandem.registry.intake.selectors import queue_for
from tandem.trajectories.models import Action, ActionStatus, Contact, ExpertSupportRequest
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.worklist.selectors import (
    contacts_due_for,
    overdue_actions_for,
    silent_trajectories_for,
)

pytestmark = pytest.mark.django_db

LOGINS = (
    "demo_mediator",
    "demo_welfare_partner",
    "demo_group_coach",
    "demo_job_coach",
    "demo_experience_expert",
    "demo_outreach_worker",
    "demo_service_line",
    "demo_programme_manager",
)


def _panel_sizes(user: User) -> dict[str, int]:
    """How many items each panel of the user's home page holds (what a window counts beyond
    the rows shown included)."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    sizes: dict[str, int] = {}
    for panel in panels_for(user):
        if panel.build is None:
            continue
        for key, value in panel.build(request).items():
            if key in ("case_stats", "province_counts", "projects", "admin_stats"):
                continue  # figures, not work
            if isinstance(value, list):
                sizes[key] = len(value)
            elif isinstance(value, dict) and "rows" in value:
                sizes[key] = len(value["rows"]) + value.get("more", 0)
    return sizes


@pytest.mark.parametrize("seed", [1, 2])
def test_the_demo_worklists(seed):
    """One demo per seed (seeding is the slow part), every check on it."""
    call_command("seed_demo", "--seed", str(seed), "--persons", "300", stdout=io.StringIO())
    no_stale_work_is_left_on_open_trajectories()
    overdue_actions_are_a_recent_handful()
    contacts_are_today_and_a_recent_handful()
    the_group_coach_takes_attendance_today()
    every_demo_login_has_work_and_no_flood()
    a_referral_waits_in_the_ghent_queue()


def a_referral_waits_in_the_ghent_queue():
    """A network referral addressed to VDAB Gent's service waits in its intake queue, with
    the sender's question and urgency, and the demo mediator's queue shows it."""
    item = Intake.objects.get(source=IntakeSource.REFERRAL)
    referral = Referral.objects.get(public_id=item.source_ref)
    assert (item.office.code, item.status, item.urgency) == ("vdab-gent", "waiting", "urgent")
    assert (referral.status, referral.question) == ("sent", item.note)
    assert referral.sent_by.username == "demo_welfare_antwerpen"
    mediator = User.objects.get(username="demo_mediator")
    assert item in list(queue_for(mediator))


def no_stale_work_is_left_on_open_trajectories():
    today = timezone.localdate()
    open_referral = Referral.objects.filter(
        action=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES
    )
    stale_actions = Action.objects.filter(
        status=ActionStatus.OPEN,
        due_on__lt=today - dt.timedelta(days=OVERDUE_AT_MOST_DAYS),
        goal__trajectory__status__in=OPEN_STATUSES,
    ).exclude(Exists(open_referral))
    assert not stale_actions.exists()
    assert not PopInput.objects.filter(
        adopted_into__isnull=True,
        written_on__lt=today - dt.timedelta(days=POP_INPUT_WAITS_DAYS),
        enrolment__trajectory__status__in=OPEN_STATUSES,
    ).exists()
    waiting = ExpertSupportRequest.objects.filter(
        status="requested", created_at__date__lt=today - dt.timedelta(days=EXPERT_ANSWER_DAYS)
    )
    # (an organisation without an experience expert has nobody to answer)
    assert not waiting.filter(
        trajectory__organisation__users__role_assignments__role="experience_expert"
    ).exists()
    assert not ExpertSupportRequest.objects.filter(
        status="accepted",
        created_at__date__lt=today - dt.timedelta(days=EXPERT_ENGAGEMENT_DAYS),
    ).exists()
    # Settled once: a second pass finds nothing (the demo can run again).
    assert settle_worklists(today) == (0, 0, 0, 0)


def overdue_actions_are_a_recent_handful():
    today = timezone.localdate()
    for username in ("demo_mediator", "demo_welfare_partner"):
        rows = overdue_actions_for(User.objects.get(username=username), today, limit=100)
        assert len(rows) <= 10, username
        assert all(
            a.due_on >= today - dt.timedelta(days=OVERDUE_AT_MOST_DAYS) or a.referrals.exists()
            for a in rows
        ), username


def contacts_are_today_and_a_recent_handful():
    """Today's appointments and a few of the last working days not yet recorded; everything
    older was recorded (held, or the person did not come); a handful of people not seen for
    30 days, not a third of the caseload."""
    today = timezone.localdate()
    recent = today - dt.timedelta(days=KEEP_WORKING_DAYS + 2)  # (a weekend in between)
    assert not Contact.objects.filter(
        status="planned", on__lt=recent, trajectory__status__in=OPEN_STATUSES
    ).exists()
    for username in ("demo_mediator", "demo_welfare_partner"):
        user = User.objects.get(username=username)
        due = contacts_due_for(user, today, limit=100)
        overdue = [t for t in due if t.next_contact_on < today]
        assert 1 <= len(overdue) <= 3, (username, [t.next_contact_on for t in due])
        assert all(t.next_contact_on >= recent for t in overdue), username
        assert len(due) <= 10, (username, [t.next_contact_on for t in due])
        assert len(silent_trajectories_for(user, today, limit=100)) <= 5, username
    # A mediator plans appointments on working days: none on a Saturday or Sunday (the
    # trajectories' demo planned its next contacts at 10:00 on any day of the week).
    planned_days = Contact.objects.filter(
        status="planned", trajectory__status__in=OPEN_STATUSES
    ).values_list("on", flat=True)
    assert not [day for day in planned_days if day.weekday() >= 5]
    # Settled once: a second pass finds nothing (the demo can run again).
    assert settle_contacts(today) == (0, 0, 0)


def the_group_coach_takes_attendance_today():
    today = timezone.localdate()
    coach = User.objects.get(username="demo_group_coach")
    today_sessions = GroupSession.objects.filter(on=today, intake__module__programme__coaches=coach)
    if today.weekday() >= 5:
        return  # no group meets at the weekend
    assert today_sessions.exists()
    assert not today_sessions.filter(attendance__isnull=False).exists()
    sizes = _panel_sizes(coach)
    assert sizes["group_attendance_due"] >= 1


def every_demo_login_has_work_and_no_flood():
    for username in LOGINS:
        sizes = _panel_sizes(User.objects.get(username=username))
        assert sum(sizes.values()) > 0, (username, sizes)
    mediator = _panel_sizes(User.objects.get(username="demo_mediator"))
    # The panels this issue settled: a handful, not years of it.
    assert mediator["work_actions"] <= 10
    assert mediator["work_group"] <= 10
    expert = _panel_sizes(User.objects.get(username="demo_experience_expert"))
    assert expert["expert_waiting"] + expert["expert_engagements"] <= 10
