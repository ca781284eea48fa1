"""The duo's work on its trajectories, derived from the data where the state already lives (an
overdue action is an open action past its due date; nothing is stored twice): contacts due,
overdue plan actions, trajectories without a contact for a while, retention checks due, the
experience experts' answers and the welfare domains a partner leads.

Each function is one query over the user's own duo trajectories (``duo_q``) among those the
access layer lets them see (``trajectory_queryset_for``), in the life domains they may see
(``domain_visible_q``); each row carries ``total``, the number of rows before the limit (a
window count, in the same query). Urgent first: the longest overdue, then the oldest.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, When, Window

from tandem.access.scope import domain_visible_q, duo_q, trajectory_queryset_for
from tandem.accounts.models import User

from ..models import (
    Action,
    ActionOwner,
    ActionStatus,
    DomainResponsibility,
    ExpertSupportRequest,
    ExpertSupportStatus,
    RetentionCheck,
    Side,
    Status,
    Trajectory,
)
from ..plan.selectors import last_contact_on, next_contact

LIMIT = 10


def no_contact_days() -> int:
    """After how many days without a contact an open trajectory is flagged (setting
    ``TANDEM_NO_CONTACT_DAYS``, 30 unless set)."""
    return int(getattr(settings, "TANDEM_NO_CONTACT_DAYS", 30))


def answers_days() -> int:
    """How long an answer stays on the home page (setting ``TANDEM_HOME_ANSWER_DAYS``, 14)."""
    return int(getattr(settings, "TANDEM_HOME_ANSWER_DAYS", 14))


def _total() -> Window:
    return Window(Count("pk"))


def _open_duo(user: User) -> QuerySet[Trajectory]:
    return trajectory_queryset_for(user).filter(duo_q(user)).exclude(status=Status.CLOSED)


def contacts_due_for(user: User, day: dt.date, limit: int = LIMIT) -> list[Trajectory]:
    """Open duo trajectories whose next contact (the earliest planned one, ``next_contact_on``
    and ``next_contact_at``) is on ``day`` or before it, the longest overdue first."""
    return list(
        _open_duo(user)
        .annotate(next_contact_on=next_contact("on"), next_contact_at=next_contact("at"))
        .filter(next_contact_on__lte=day)
        .select_related("person")
        .annotate(total=_total())
        .order_by("next_contact_on", "next_contact_at", "pk")[:limit]
    )


def overdue_actions_for(user: User, day: dt.date, limit: int = LIMIT) -> list[Action]:
    """Open plan actions due on ``day`` or before it, on the user's side of the duo: the lead
    mediator's are every action but the welfare partner's (when the duo has one), the welfare
    partner's those the partner does. Only in the life domains the user may see."""
    partner_side = Q(owner=ActionOwner.WELFARE_PARTNER)
    side = Q(goal__trajectory__lead_mediator=user) & (
        ~partner_side | Q(goal__trajectory__welfare_partner__isnull=True)
    ) | (Q(goal__trajectory__welfare_partner=user) & partner_side)
    return list(
        Action.objects.filter(
            side,
            domain_visible_q(user, domain="goal__domain", person="goal__trajectory__person"),
            goal__trajectory__in=_open_duo(user),
            status=ActionStatus.OPEN,
            due_on__lte=day,
        )
        .select_related("goal__trajectory__person")
        .annotate(total=_total())
        .order_by("due_on", "pk")[:limit]
    )


def silent_trajectories_for(user: User, day: dt.date, limit: int = LIMIT) -> list[Trajectory]:
    """Open duo trajectories (paused ones aside) without a contact (a note is none) for
    ``no_contact_days()`` days, each with ``last_contact_on``: never contacted first, then the
    longest silent."""
    cutoff = day - dt.timedelta(days=no_contact_days())
    return list(
        _open_duo(user)
        .exclude(status=Status.PAUSED)
        .annotate(last_contact_on=last_contact_on())
        .filter(
            Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True, start_date__lt=cutoff)
        )
        .select_related("person")
        .annotate(total=_total())
        .order_by(F("last_contact_on").asc(nulls_first=True), "start_date", "pk")[:limit]
    )


def retention_checks_due_for(user: User, day: dt.date, limit: int = LIMIT) -> list[RetentionCheck]:
    """Unanswered retention checks (1, 3 and 6 months in the job) due on ``day`` or before it,
    on jobs of trajectories the user leads (open or closed: the checks follow the job), the
    longest overdue first."""
    return list(
        RetentionCheck.objects.filter(
            job_start__trajectory__in=trajectory_queryset_for(user),
            job_start__trajectory__lead_mediator=user,
            checked_on__isnull=True,
            due_on__lte=day,
        )
        .select_related("job_start__trajectory__person", "job_start__employer")
        .annotate(total=_total())
        .order_by("due_on", "pk")[:limit]
    )


def expert_answers_for(
    user: User, since: dt.date, limit: int = LIMIT
) -> list[ExpertSupportRequest]:
    """Requests for an experience expert that the user asked or that are on trajectories they
    lead, answered (accepted, declined or done) since ``since``: a decline first (ask someone
    else), then the oldest answer."""
    return list(
        ExpertSupportRequest.objects.filter(
            Q(requested_by=user) | Q(trajectory__lead_mediator=user),
            trajectory__in=trajectory_queryset_for(user),
            status__in=[
                ExpertSupportStatus.ACCEPTED,
                ExpertSupportStatus.DECLINED,
                ExpertSupportStatus.DONE,
            ],
            updated_at__date__gte=since,
        )
        .select_related("trajectory__person", "expert")
        .annotate(total=_total())
        .order_by(
            # Declined first: the mediator has to find other support.
            Case(When(status=ExpertSupportStatus.DECLINED, then=0), default=1),
            "updated_at",
            "pk",
        )[:limit]
    )


def domains_led_by(user: User, limit: int = LIMIT) -> list[Trajectory]:
    """The open trajectories where the user is the welfare partner and leads a life domain
    (alone or together), each with ``led``: its domain responsibilities on the partner's side
    the user may see (labels), the next contact first (none last). One query: the rows are the
    responsibilities, grouped here by trajectory."""
    rows = (
        DomainResponsibility.objects.filter(
            domain_visible_q(user, domain="domain", person="trajectory__person"),
            trajectory__in=_open_duo(user).filter(welfare_partner=user),
            side__in=[Side.WELFARE_PARTNER, Side.SHARED],
        )
        .select_related("trajectory__person")
        .annotate(next_contact_on=next_contact("on", trajectory="trajectory_id"))
        .order_by(
            F("next_contact_on").asc(nulls_last=True),
            "trajectory__person__last_name",
            "trajectory_id",
            "domain",
        )
    )
    out: dict[int, Trajectory] = {}
    for r in rows[: limit * 12]:
        t = out.get(r.trajectory_id)
        if t is None:
            if len(out) == limit:
                break
            t = out[r.trajectory_id] = r.trajectory
            t.led = []  # type: ignore[attr-defined]
            t.next_contact_on = r.next_contact_on  # type: ignore[attr-defined]
        t.led.append(r)  # type: ignore[attr-defined]
    return list(out.values())
