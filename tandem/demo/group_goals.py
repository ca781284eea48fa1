"""Demo: the goals of group work beside the network map (issue 17). The coach's self-assessment
of self-image and draagkracht with the participant at the start and at the end of group work,
and group coaches who ask an experience expert for a participant of their group (source 003,
answer to question 1: "op vraag van bemiddelaars of instructeurs").

``seed_group_goals(rng)`` runs after ``seed_group_work`` and reads what it made, with its own
random stream, so the group work itself stays as it was. Only on a database without
self-assessments.

- Every network map drawn gets a self-assessment on the same day by the same coach.
- A quarter of the completed enrolments in the modules on self-insight and draagkracht
  (``Theme.SELF_INSIGHT``, ``Theme.RESILIENCE``) get one at their first session and one on the
  day they completed; half of the participants placed in a running group of those themes one
  at their first session.
- In the groups running today, some participants have a request for an experience expert from
  their coach; in the demo coach's group at least one that waits for an expert and one an
  expert accepted.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.groupwork.expert.services import enrolment_expert_request
from tandem.groupwork.models import (
    ITEM_FIELDS,
    Enrolment,
    EnrolmentStatus,
    NetworkMap,
    SelfAssessment,
    Theme,
)
from tandem.groupwork.selfassessment.services import self_assessment_save
from tandem.trajectories.models import ExpertSupportRequest
from tandem.trajectories.services import expert_support_log, expert_support_respond

S = EnrolmentStatus
GOAL_THEMES = (Theme.SELF_INSIGHT, Theme.RESILIENCE)
QUESTIONS = [
    "Kan iemand mee naar het eerste gesprek bij de werkgever?",
    "Samen oefenen hoe je over je leven in armoede vertelt bij een sollicitatie",
    "Steun bij de stap naar vrijwilligerswerk: ze durft niet alleen te gaan",
    "Meegaan naar het OCMW om de kinderopvang te regelen voor de opleiding",
]


def _levels_start(rng: random.Random) -> dict[str, int]:
    return {name: rng.choice([1, 2, 2, 3, 3, 4]) for name in ITEM_FIELDS}


def _levels_end(start: dict[str, int], rng: random.Random) -> dict[str, int]:
    return {
        name: max(1, min(5, level + rng.choice([-1, 0, 0, 1, 1, 1, 2])))
        for name, level in start.items()
    }


def _first_session(enrolment: Enrolment) -> tuple[dt.date | None, User | None]:
    """The day of the group's first session and the coach who leads it (a coach of the
    programme; else the programme's first coach)."""
    programme = enrolment.module.programme
    coaches = programme.coaches.order_by("pk")
    if enrolment.intake is None:
        return None, coaches.first()
    first = enrolment.intake.sessions.order_by("number").first()
    if first is None:
        return enrolment.intake.starts_on, coaches.first()
    if first.coach_id is not None and coaches.filter(pk=first.coach_id).exists():
        return first.on, first.coach
    return first.on, coaches.first()


def _assess(enrolment: Enrolment, coach: User, moment: str, on: dt.date, levels: dict) -> bool:
    if on > timezone.localdate() or on < enrolment.requested_on:
        return False
    self_assessment_save(
        acting_user=coach,
        enrolment=enrolment,
        moment=moment,
        levels=levels,
        with_participant=True,
        assessed_on=on,
    )
    return True


def _self_assessments(rng: random.Random) -> None:
    # Beside every network map.
    maps = (
        NetworkMap.objects.filter(enrolment__status__in=[S.PLACED, S.COMPLETED])
        .select_related("enrolment__module__programme", "drawn_by")
        .order_by("enrolment_id", "moment")
    )
    start_levels: dict[int, dict[str, int]] = {}
    for network_map in maps:
        enrolment = network_map.enrolment
        if network_map.moment == "start" or enrolment.pk not in start_levels:
            levels = _levels_start(rng)
            start_levels[enrolment.pk] = levels
        else:
            levels = _levels_end(start_levels[enrolment.pk], rng)
        _assess(enrolment, network_map.drawn_by, network_map.moment, network_map.drawn_on, levels)
    # The modules on self-insight and draagkracht.
    done = set(start_levels)
    enrolments = (
        Enrolment.objects.filter(module__theme__in=GOAL_THEMES, status__in=[S.PLACED, S.COMPLETED])
        .exclude(pk__in=done)
        .select_related("module__programme", "intake")
        .order_by("pk")
    )
    today = timezone.localdate()
    for enrolment in enrolments:
        roll = rng.random()
        first, coach = _first_session(enrolment)
        if first is None or coach is None or first > today:
            continue
        if enrolment.status == S.COMPLETED and roll < 0.25:
            start = _levels_start(rng)
            if _assess(enrolment, coach, "start", first, start) and enrolment.ended_on:
                _assess(enrolment, coach, "end", enrolment.ended_on, _levels_end(start, rng))
        elif enrolment.status == S.PLACED and roll < 0.5:
            _assess(enrolment, coach, "start", first, _levels_start(rng))


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(11, 0), tzinfo=timezone.get_current_timezone())


def _expert_requests(rng: random.Random) -> int:
    today = timezone.localdate()
    placed = (
        Enrolment.objects.filter(status=S.PLACED, intake__starts_on__lte=today)
        .select_related("module__programme", "intake", "trajectory")
        .order_by("pk")
    )
    made = 0
    demo_seen = 0
    for enrolment in placed:
        demo = enrolment.module.programme.coaches.filter(username="demo_group_coach").exists()
        # The demo coach asks for the first two of their group; other coaches now and then.
        if not (demo and demo_seen < 2) and rng.random() >= 0.15:
            continue
        coach = (
            User.objects.get(username="demo_group_coach") if demo else _first_session(enrolment)[1]
        )
        expert = User.objects.filter(
            role_assignments__role=Role.EXPERIENCE_EXPERT,
            organisation_id=enrolment.trajectory.organisation_id,
        ).first()
        if coach is None or expert is None:
            continue
        request = enrolment_expert_request(
            acting_user=coach, enrolment=enrolment, question=rng.choice(QUESTIONS)
        )
        started = enrolment.intake.starts_on if enrolment.intake else today
        asked = min(today, started + dt.timedelta(days=rng.randint(1, 10)))
        answered = (demo and demo_seen == 1) or (not demo and rng.random() < 0.5)
        if answered:
            expert_support_respond(acting_user=expert, request=request, accept=True)
            expert_support_log(
                acting_user=expert,
                request=request,
                on=min(today, asked + dt.timedelta(days=3)),
                text="Kennisgemaakt na de groepssessie; samen de volgende stap afgesproken.",
            )
        ExpertSupportRequest.objects.filter(pk=request.pk).update(
            created_at=_moment(asked), updated_at=_moment(asked)
        )
        demo_seen += demo
        made += 1
    return made


def seed_group_goals(rng: random.Random) -> tuple[int, int, int]:
    """Return how many enrolments have a self-assessment at the start, how many at the start and
    at the end, and how many expert requests group coaches made."""
    if SelfAssessment.objects.exists():
        return 0, 0, 0
    _self_assessments(rng)
    requests = _expert_requests(rng)
    starts = SelfAssessment.objects.filter(moment="start").values("enrolment").distinct()
    both = (
        SelfAssessment.objects.filter(moment="end", enrolment__in=starts)
        .values("enrolment")
        .distinct()
    )
    return starts.count(), both.count(), requests
