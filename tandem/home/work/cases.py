"""The case work of the duo on the home page (issue 18, "what must I do today?"): a panel per
kind of work, each one scoped query of the app that owns the data, urgent first, each item
linking to where it is done. Every person a panel shows writes its access-log row.

Mediator and welfare partner: contacts due, overdue plan actions, referral answers and late
referrals, trajectories without contact; the lead mediator also group work (drop-out signals,
POP input), retention checks and the experience experts' answers; the welfare partner also
the new referrals in the organisation's inbox and the trajectories where they lead a domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.groupwork.worklist.selectors import group_work_for
from tandem.network.worklist.selectors import new_referrals_for, referral_work_for
from tandem.trajectories.worklist.selectors import (
    answers_days,
    contacts_due_for,
    domains_led_by,
    expert_answers_for,
    no_contact_days,
    overdue_actions_for,
    retention_checks_due_for,
    silent_trajectories_for,
)

Context = dict[str, Any]


def _shown(
    request: AuthenticatedRequest, rows: list[Any], persons: Iterable[Any], what: str
) -> Context:
    """Log the persons shown and say how many rows there are beyond those shown."""
    persons = list(persons)
    if persons:
        log_persons_shown(request, persons, what=f"home: {what}")
    total = rows[0].total if rows else 0
    return {"rows": rows, "more": total - len(rows)}


def _today() -> dt.date:
    return timezone.localdate()


def contacts_due(request: AuthenticatedRequest) -> Context:
    rows = contacts_due_for(request.user, _today())
    return {"work_contacts": _shown(request, rows, (t.person for t in rows), "contacts due")}


def overdue_actions(request: AuthenticatedRequest) -> Context:
    rows = overdue_actions_for(request.user, _today())
    persons = (a.goal.trajectory.person for a in rows)
    return {"work_actions": _shown(request, rows, persons, "plan actions due")}


def referral_work(request: AuthenticatedRequest) -> Context:
    today = _today()
    rows = referral_work_for(request.user, today, today - dt.timedelta(days=answers_days()))
    persons = (r.trajectory.person for r in rows if r.trajectory is not None)
    return {"work_referrals": _shown(request, rows, persons, "referral answers and late referrals")}


def new_referrals(request: AuthenticatedRequest) -> Context:
    rows = new_referrals_for(request.user, _today())
    persons = (r.person for r in rows if r.person_visible)  # type: ignore[attr-defined]
    return {"work_inbox": _shown(request, rows, persons, "new referrals")}


def group_work(request: AuthenticatedRequest) -> Context:
    rows = group_work_for(request.user)
    persons = (e.trajectory.person for e in rows)
    return {"work_group": _shown(request, rows, persons, "group work")}


def retention_checks(request: AuthenticatedRequest) -> Context:
    rows = retention_checks_due_for(request.user, _today())
    persons = (c.job_start.trajectory.person for c in rows)
    return {"work_retention": _shown(request, rows, persons, "retention checks due")}


def expert_answers(request: AuthenticatedRequest) -> Context:
    since = _today() - dt.timedelta(days=answers_days())
    rows = expert_answers_for(request.user, since)
    persons = (r.trajectory.person for r in rows)
    return {"work_expert": _shown(request, rows, persons, "experience-expert answers")}


def silent_trajectories(request: AuthenticatedRequest) -> Context:
    rows = silent_trajectories_for(request.user, _today())
    context = _shown(request, rows, (t.person for t in rows), "trajectories without contact")
    return {"work_silent": {**context, "days": no_contact_days()}}


def domains_led(request: AuthenticatedRequest) -> Context:
    rows = domains_led_by(request.user)
    # No window count here (the rows are grouped): the caseload has them all.
    persons = [t.person for t in rows]
    if persons:
        log_persons_shown(request, persons, what="home: domains you lead")
    return {"work_domains": {"rows": rows}}
