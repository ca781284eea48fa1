"""Demo (issue 18): the referral work of the demo duo, so the home pages of the demo mediator
(VDAB Gent) and the demo welfare partner (OCMW Gent) show what a week brings: answers that came
back ("No capacity", "Completed"), a referral that waits too long for one, and new referrals in
the OCMW's inbox. The demo's other referrals (``tandem.demo.referrals``) fall where the
consents and services allow, mostly in other cities and long ago.

``seed_duo_referrals(now)`` runs at the end of the demo referrals; it draws no random numbers,
so nothing after it changes. Only on the demo mediator's open trajectories with the demo
welfare partner whose person consents to share finances with the OCMW; a trajectory without an
open finances action gets one (the plan's own services), as a mediator would add it.
"""

from __future__ import annotations

import datetime as dt

from tandem.access.scope import consented_domains
from tandem.accounts.models import Role, User
from tandem.common.models import LifeDomain
from tandem.network.models import Referral, ReferralStatus, Service, ServiceStatus
from tandem.network.models.referral import OPEN_REFERRAL_STATUSES
from tandem.network.referrals.services import referral_send, referral_transition
from tandem.trajectories.models import Action, ActionStatus, Trajectory
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.plan import services as plan_services

S = ReferralStatus
QUESTION = "Kan budgetbegeleiding starten? Er zijn aanmaningen van de energieleverancier."
# (the road after "sent", days since sending, days since the last step): two new ones in the
# OCMW's inbox, one late, one answered "no capacity", one completed.
ROADS: list[tuple[list[str], int, int]] = [
    ([], 2, 2),
    ([S.NO_CAPACITY], 9, 3),
    ([S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED], 60, 1),
    ([], 25, 25),
    ([], 5, 5),
]
TEXTS: dict[str, str] = {
    S.NO_CAPACITY: "Wachtlijst van drie maanden; nu geen plaats.",
    S.COMPLETED: "Begeleiding afgerond: afbetalingsplan loopt, huur is weer betaald.",
}


def seed_duo_referrals(now: dt.datetime) -> int:
    """The demo duo's referrals (once: none yet between them); how many."""
    mediator = User.objects.filter(username=f"demo_{Role.MEDIATOR}").first()
    partner = User.objects.filter(username=f"demo_{Role.WELFARE_PARTNER}").first()
    if mediator is None or partner is None or partner.organisation is None:
        return 0
    ocmw = partner.organisation
    service = (
        Service.objects.filter(organisation=ocmw, status=ServiceStatus.ACTIVE)
        .order_by("name", "pk")
        .first()
    )
    if service is None or (service.life_domains and LifeDomain.INCOME not in service.life_domains):
        return 0
    made = 0
    roads = iter(ROADS)
    trajectories = Trajectory.objects.filter(
        lead_mediator=mediator, welfare_partner=partner, status__in=OPEN_STATUSES
    ).order_by("pk")
    for trajectory in trajectories:
        if LifeDomain.INCOME not in consented_domains(trajectory.person_id, ocmw):
            continue
        if Referral.objects.filter(
            trajectory=trajectory, status__in=OPEN_REFERRAL_STATUSES
        ).exists():
            continue
        road = next(roads, None)
        if road is None:
            break
        steps, sent_days, last_days = road
        sent_at = max(
            now - dt.timedelta(days=sent_days),
            _moment(trajectory.start_date + dt.timedelta(days=1), now),
        )
        referral = referral_send(
            acting_user=mediator,
            action=_finances_action(trajectory, mediator),
            service=service,
            question=QUESTION,
            at=sent_at,
        )
        last_at = max(now - dt.timedelta(days=last_days), sent_at)
        for i, status in enumerate(steps, start=1):
            at = sent_at + (last_at - sent_at) * i / len(steps)
            text = TEXTS.get(status, "")
            referral = referral_transition(
                acting_user=partner,
                referral=referral,
                to_status=status,
                reason=text if status != S.COMPLETED else "",
                outcome=text if status == S.COMPLETED else "",
                at=at,
            )
        made += 1
    return made


def _moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    return now.replace(year=day.year, month=day.month, day=day.day)


def _finances_action(trajectory: Trajectory, mediator: User) -> Action:
    """An open finances action of the trajectory, or a new one (owner: a referral)."""
    action = (
        Action.objects.filter(
            goal__trajectory=trajectory, goal__domain=LifeDomain.INCOME, status=ActionStatus.OPEN
        )
        .exclude(referrals__status__in=OPEN_REFERRAL_STATUSES)
        .order_by("pk")
        .first()
    )
    if action is not None:
        return action
    goal = trajectory.goals.filter(domain=LifeDomain.INCOME).order_by("pk").first()
    if goal is None:
        goal = plan_services.goal_create(
            acting_user=mediator,
            trajectory=trajectory,
            domain=LifeDomain.INCOME,
            description="Zicht op de schulden",
        )
    return plan_services.action_create(
        acting_user=mediator, goal=goal, description="Budgetbegeleiding aanvragen", owner="referral"
    )
