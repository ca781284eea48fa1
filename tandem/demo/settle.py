"""Demo (issue 18, "the demo data gives each role a realistic worklist"): the state of the
work today, after years of demo history. The plans and the group work were drawn from the
trajectories' start (2018 onwards), so an open trajectory kept every action it never did and
every POP input of a group that ended years ago: the demo mediator's home page listed about a
hundred overdue plan actions and some twenty-five POP inputs from 2020–2022. A worker does not
carry that: what is left of it is settled here, through the plan's and group work's own
services (``action_set_status``, ``action_create``, ``pop_input_adopt``), audited as the pages
would write it.

- An open action of an open trajectory due more than ``OVERDUE_AT_MOST_DAYS`` ago (and not
  carried by an open referral, which is followed up as a referral) was done: on a day after
  its due date, never after today.
- A POP input of an open trajectory written more than ``POP_INPUT_WAITS_DAYS`` ago was taken
  into the POP by the lead mediator.
- An experience-expert request still waiting after ``EXPERT_ANSWER_DAYS`` was answered by an
  expert of the trajectory's organisation, and an engagement older than
  ``EXPERT_ENGAGEMENT_DAYS`` was logged as done (the demo expert's list had requests waiting
  since 2019 and engagements running since 2020); dated to when it would have happened, with
  the notifications it sent.
- One active trajectory in ``FOLLOW_UP_EVERY`` of each mediator (by key) has a fresh
  follow-up action of the mediator, and one duo trajectory in ``PARTNER_FOLLOW_UP_EVERY`` of
  each welfare partner one of the partner (in a domain the person lets them see), due
  between ten days ago and ten days ahead: each of the duo has a handful of overdue
  actions, and a few coming up.

Draws no random numbers (days follow from the keys), so nothing else in the demo changes and
the result is the same per seed; a second run finds nothing left to settle.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tandem.access.scope import consented_domains
from tandem.accounts.models import Role, User
from tandem.groupwork.enrolment.follow_up import pop_input_adopt
from tandem.groupwork.models import PopInput
from tandem.network.models import Referral
from tandem.network.models.referral import OPEN_REFERRAL_STATUSES
from tandem.notifications.models import Notification
from tandem.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    ExpertSupportRequest,
    ExpertSupportStatus,
    Goal,
    PopReport,
    Status,
    Trajectory,
)
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.plan.services import action_create, action_set_status
from tandem.trajectories.services import expert_support_log, expert_support_respond

OVERDUE_AT_MOST_DAYS = 21
POP_INPUT_WAITS_DAYS = 56
FOLLOW_UP_EVERY = 7
PARTNER_FOLLOW_UP_EVERY = 3
EXPERT_ANSWER_DAYS = 60
EXPERT_ENGAGEMENT_DAYS = 180
EXPERT_DONE_TEXT = "Samen naar de afspraken geweest; de persoon gaat nu zelf. Afgerond."
FOLLOW_UPS = [
    "Cv bijwerken met de laatste werkervaring",
    "Afspraak maken bij de werkwinkel voor een opleiding",
    "Sollicitatiebrief voor de vacature nalezen",
    "Attest van de huisarts binnenbrengen",
    "Inschrijving bij het uitzendbureau opvolgen",
]
PARTNER_FOLLOW_UPS = [
    "Afbetalingsplan met de energieleverancier bevestigen",
    "Aanvraag huurpremie samen indienen",
    "Afspraak bij het CAW voor de woonvraag vastleggen",
]


def settle_worklists(today: dt.date) -> tuple[int, int, int, int]:
    """Settle the demo's old open work; return (actions done, POP inputs adopted, expert
    requests settled, follow-up actions planned)."""
    return (
        _old_actions_done(today),
        _old_pop_inputs_adopted(today),
        _old_expert_requests(today),
        _follow_ups(today),
    )


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))


def _dated(request: ExpertSupportRequest, day: dt.date, notified_after: int) -> None:
    """Date the answer (and what it notified) to the day it would have been given."""
    ExpertSupportRequest.objects.filter(pk=request.pk).update(updated_at=_moment(day))
    Notification.objects.filter(pk__gt=notified_after).update(created_at=_moment(day))


def _old_expert_requests(today: dt.date) -> int:
    experts: dict[int, User | None] = {}

    def expert_of(organisation_id: int) -> User | None:
        if organisation_id not in experts:
            experts[organisation_id] = (
                User.objects.filter(
                    organisation_id=organisation_id,
                    is_active=True,
                    role_assignments__role=Role.EXPERIENCE_EXPERT,
                )
                .order_by("pk")
                .first()
            )
        return experts[organisation_id]

    old = (
        ExpertSupportRequest.objects.filter(
            status__in=[ExpertSupportStatus.REQUESTED, ExpertSupportStatus.ACCEPTED],
            created_at__date__lt=today - dt.timedelta(days=EXPERT_ANSWER_DAYS),
        )
        .select_related("trajectory__person", "expert", "enrolment")
        .order_by("created_at", "pk")
    )
    settled = 0
    for request in old:
        asked = timezone.localdate(request.created_at)
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if request.status == ExpertSupportStatus.REQUESTED:
            expert = expert_of(request.trajectory.organisation_id)
            if expert is None:
                continue
            expert_support_respond(acting_user=expert, request=request, accept=True)
            request.refresh_from_db()
            answered = asked + dt.timedelta(days=3 + request.pk % 10)
        else:
            answered = timezone.localdate(request.updated_at)
        if asked < today - dt.timedelta(days=EXPERT_ENGAGEMENT_DAYS) and request.expert:
            done_on = min(today, max(answered, asked) + dt.timedelta(days=30 + request.pk % 60))
            expert_support_log(
                acting_user=request.expert,
                request=request,
                on=done_on,
                text=EXPERT_DONE_TEXT,
                done=True,
            )
            answered = done_on
        _dated(request, min(answered, today), last)
        settled += 1
    return settled


def _old_actions_done(today: dt.date) -> int:
    open_referral = Referral.objects.filter(
        action=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES
    )
    old = (
        Action.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lt=today - dt.timedelta(days=OVERDUE_AT_MOST_DAYS),
            goal__trajectory__status__in=OPEN_STATUSES,
            goal__trajectory__lead_mediator__isnull=False,
        )
        .exclude(Exists(open_referral))
        .select_related(
            "goal__trajectory__person",
            "goal__trajectory__lead_mediator",
            "goal__trajectory__welfare_partner",
        )
        .order_by("pk")
    )
    done = 0
    for action in old:
        trajectory = action.goal.trajectory
        by = (
            trajectory.welfare_partner
            if action.owner == ActionOwner.WELFARE_PARTNER and trajectory.welfare_partner
            else trajectory.lead_mediator
        )
        assert action.due_on is not None and by is not None
        on = min(today, action.due_on + dt.timedelta(days=1 + action.pk % 20))
        try:
            action_set_status(acting_user=by, action=action, status=ActionStatus.DONE, on=on)
        except (PermissionDenied, ValidationError):
            continue
        done += 1
    return done


def _old_pop_inputs_adopted(today: dt.date) -> int:
    waiting = (
        PopInput.objects.filter(
            adopted_into__isnull=True,
            written_on__lt=today - dt.timedelta(days=POP_INPUT_WAITS_DAYS),
            enrolment__trajectory__status__in=OPEN_STATUSES,
            enrolment__trajectory__lead_mediator__isnull=False,
        )
        .select_related("enrolment__trajectory__lead_mediator", "enrolment__trajectory__person")
        .order_by("written_on", "pk")
    )
    adopted = 0
    for pop_input in waiting:
        lead = pop_input.enrolment.trajectory.lead_mediator
        assert lead is not None
        try:
            pop = pop_input_adopt(acting_user=lead, pop_input=pop_input)
        except (PermissionDenied, ValidationError):
            continue
        if timezone.localdate(pop.created_at) == today:
            # A new draft: dated to the adoption, a week or two after the input came.
            day = min(
                today - dt.timedelta(days=1),
                pop_input.written_on + dt.timedelta(days=5 + pop_input.pk % 10),
            )
            PopReport.objects.filter(pk=pop.pk).update(
                created_at=_moment(day), updated_at=_moment(day)
            )
        adopted += 1
    return adopted


def _follow_ups(today: dt.date) -> int:
    active = (
        Trajectory.objects.filter(status=Status.ACTIVE, lead_mediator__isnull=False)
        .exclude(person__first_name="")
        .select_related("person", "lead_mediator", "welfare_partner__organisation")
        .order_by("pk")
    )
    made = 0
    # Counted per worker, so each mediator and partner gets their share (the first of theirs
    # included), however small the demo.
    turns: dict[tuple[str, int], int] = defaultdict(int)
    for trajectory in active:
        partner = trajectory.welfare_partner
        assert trajectory.lead_mediator_id is not None
        turns["lead", trajectory.lead_mediator_id] += 1
        if (turns["lead", trajectory.lead_mediator_id] - 1) % FOLLOW_UP_EVERY == 0:
            # The mediator's follow-up, in the work goal.
            made += _follow_up(
                trajectory,
                Goal.objects.filter(trajectory=trajectory, domain="work_education"),
                FOLLOW_UPS,
                ActionOwner.MEDIATOR,
                today,
            )
        if partner is not None:
            # The welfare partner's, in a welfare goal the person lets the partner see.
            turns["partner", partner.pk] += 1
            if (turns["partner", partner.pk] - 1) % PARTNER_FOLLOW_UP_EVERY == 0:
                seen = consented_domains(trajectory.person_id, partner.organisation)
                made += _follow_up(
                    trajectory,
                    Goal.objects.filter(trajectory=trajectory, domain__in=seen).exclude(
                        domain="work_education"
                    ),
                    PARTNER_FOLLOW_UPS,
                    ActionOwner.WELFARE_PARTNER,
                    today,
                )
    return made


def _follow_up(
    trajectory: Trajectory, goals: Any, texts: list[str], owner: str, today: dt.date
) -> int:
    goal = goals.order_by("pk").first()
    if goal is None:
        return 0
    text = texts[trajectory.pk % len(texts)]
    if Action.objects.filter(goal=goal, description=text).exists():
        return 0  # settled on an earlier run
    assert trajectory.lead_mediator is not None
    action_create(
        acting_user=trajectory.lead_mediator,
        goal=goal,
        description=text,
        owner=owner,
        due_on=today + dt.timedelta(days=trajectory.pk % 21 - 10),
    )
    return 1
