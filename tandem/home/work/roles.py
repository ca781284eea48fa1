"""My work on the home page (issue 18: "what must I do today?") for the group coach, the job
coach, the experience expert, the outreach worker and the programme manager.

Each list is one scoped query of the selector of the app that owns the data, sorted by
urgency there, and links to where the work is done. Every person shown writes its access-log
row (``log_persons_shown``); the programme manager's figures are published through
``tandem.common.disclosure`` (``reporting.dashboard.running_targets``). Nothing here is
stored: every item is derived from the data that holds the state.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.groupwork.enrolment.selectors import (
    coach_dropout_signals,
    coach_sessions_attendance_due,
    coach_upcoming_sessions,
    requests_for,
)
from tandem.outcomes.quality.checks import run_checks
from tandem.outreach.selectors import prospect_list_for, registered_without_trajectory
from tandem.reporting.dashboard import running_targets
from tandem.trajectories.jobcoaching.selectors import coachings_of
from tandem.trajectories.models import ExpertSupportStatus
from tandem.trajectories.selectors import expert_requests_open_for

Context = dict[str, Any]

# Items per list on the home page; the page the panel links to has the rest.
LIMIT = 10


def group_coach(request: AuthenticatedRequest) -> Context:
    """Requests waiting for the coach's decision (the oldest first), the sessions whose
    attendance is to be taken (today's, and those of the last 30 days with none recorded),
    the open drop-out signals in their groups and their next sessions. Four queries."""
    user = request.user
    today = timezone.localdate()
    group_requests = list(requests_for(user)[:LIMIT])
    signals = coach_dropout_signals(user, limit=LIMIT)
    shown = [e.trajectory.person for e in [*group_requests, *signals]]
    if shown:
        log_persons_shown(request, shown, what="home: group-work requests and drop-out signals")
    return {
        "group_requests": group_requests,
        "group_attendance_due": coach_sessions_attendance_due(user, today, limit=LIMIT),
        "group_dropout_signals": signals,
        "group_sessions": [
            s for s in coach_upcoming_sessions(user, today, limit=LIMIT + 1) if s.on > today
        ][:5],
    }


def job_coach(request: AuthenticatedRequest) -> Context:
    """The people the job coach coaches: job, employer, coaching end and the next retention
    check, the most urgent check first. One query."""
    today = timezone.localdate()
    coachings = list(coachings_of(request.user, today)[:LIMIT])
    if coachings:
        log_persons_shown(
            request,
            [c.job_start.trajectory.person for c in coachings],
            what="home: job coaching",
        )
    return {"coachings": coachings}


def experience_expert(request: AuthenticatedRequest) -> Context:
    """Requests waiting for an expert (person's first name, who asked, the question and the
    day asked, the oldest first) and the expert's own open engagements. One query."""
    requests = expert_requests_open_for(request.user, limit=2 * LIMIT)
    if requests:
        log_persons_shown(
            request,
            [r.trajectory.person for r in requests],
            what="home: experience-expert requests",
        )
    return {
        "expert_waiting": [r for r in requests if r.status == ExpertSupportStatus.REQUESTED],
        "expert_engagements": [r for r in requests if r.status == ExpertSupportStatus.ACCEPTED],
    }


def outreach_worker(request: AuthenticatedRequest) -> Context:
    """Prospects due a follow-up (``outreach.rules.follow_up_due``: not registered, not met for
    two weeks; the most recently met first, the likeliest to be found again) and the team's
    registered persons with no trajectory yet, the longest waiting first (what an office did
    with the user's own referrals is on "My referrals", ``work.intake``). Two queries."""
    user = request.user
    today = timezone.localdate()
    waiting = registered_without_trajectory(user, limit=LIMIT)
    if waiting:
        log_persons_shown(
            request,
            [p.person for p in waiting if p.person is not None],
            what="home: registered, no trajectory yet",
        )
    return {
        "follow_ups": list(prospect_list_for(user, follow_up=True, today=today)[:LIMIT]),
        "registrations_waiting": waiting,
    }


def programme_manager(request: AuthenticatedRequest) -> Context:
    """Data-quality findings per check (counts of records, never persons) and the targets still
    running, those at risk first (``reporting.dashboard.at_risk``), each actual as the
    programme dashboard publishes it."""
    today = timezone.localdate()
    report = run_checks(today)
    return {
        "quality_findings": [c for c in report.checks if c.total],
        "running_targets": running_targets(today),
    }
