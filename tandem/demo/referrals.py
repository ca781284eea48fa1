"""Demo referrals, so the inboxes, the referrals sent, the caseload and the figures look
lived-in: every status, some overdue, a few sent without consent. Written through the
services, back-dated in the order they would have happened.

``seed_referrals(rng)`` runs after the demo trajectories (and after the directory's demo
services, ``tandem.demo.directory.seed_directory``): it refers open welfare actions of open
trajectories with a duo partner whose organisation has the person's consent, to a service of
that organisation. An organisation without a service in the directory gets a minimal one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.utils import timezone

from tandem.access.scope import consented_domains
from tandem.accounts.models import Organisation
from tandem.common.models import LifeDomain
from tandem.network.models import Referral, ReferralStatus, Service, ServiceStatus
from tandem.network.referrals.services import referral_send, referral_transition
from tandem.trajectories.models import Action, ActionStatus, Trajectory
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.services import WELFARE_DOMAINS

from .worklist import seed_duo_referrals

S = ReferralStatus
# The road to each final status (after "sent"), and whether the last step is overdue.
PLANS: list[tuple[list[str], bool]] = [
    ([], True),
    ([S.ACCEPTED], False),
    ([S.ACCEPTED, S.IN_PROGRESS], True),
    ([S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED], False),
    ([S.DECLINED], False),
    ([S.NO_CAPACITY], False),
    ([S.ACCEPTED, S.NOT_REACHED], False),
    ([S.WITHDRAWN], False),
    ([], False),
    ([S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED], False),
    ([S.ACCEPTED], True),
    ([S.ACCEPTED, S.IN_PROGRESS], False),
    ([S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED], False),
]
QUESTIONS = {
    "income": "Kan budgetbegeleiding starten? Er zijn aanmaningen van de energieleverancier.",
    "housing": "Zoekt een betaalbare woning; huurachterstand van twee maanden.",
    "family": "Kinderopvang nodig voor de jongste (2 jaar) om een opleiding te kunnen volgen.",
    "mental_health": "Graag een eerste gesprek: slaapt slecht sinds het verlies van de job.",
    "physical_health": "Rugklachten: graag een afspraak voor een medisch advies.",
    "addiction": "Vraagt zelf ondersteuning bij het minderen met alcohol.",
    "justice": "Opvolging van de voorwaarden; graag afstemming met de justitieassistent.",
}
TEXTS: dict[str, str] = {
    S.DECLINED: "Valt buiten ons werkgebied; doorverwijzen naar het OCMW van de woonplaats.",
    S.NO_CAPACITY: "Wachtlijst van drie maanden; nu geen plaats.",
    S.NOT_REACHED: "Drie keer gebeld en een brief gestuurd, geen antwoord.",
    S.WITHDRAWN: "De persoon heeft intussen zelf hulp gevonden.",
    S.COMPLETED: "Begeleiding afgerond: afbetalingsplan loopt, huur is weer betaald.",
}
OVERRIDE_REASON = (
    "Dreigende uithuiszetting deze week; de persoon kon niet naar kantoor komen om te "
    "tekenen. Mondeling akkoord, formulier volgt."
)


def seed_referrals(rng: random.Random) -> int:
    """Referrals in every status; only on a database that has none. Return how many."""
    if Referral.objects.exists():
        return 0
    now = timezone.now()
    made = 0
    plans = iter(_cycle(PLANS))
    trajectories = (
        Trajectory.objects.filter(status__in=OPEN_STATUSES, welfare_partner__isnull=False)
        .select_related("person", "lead_mediator", "welfare_partner__organisation")
        .order_by("pk")
    )
    for trajectory in trajectories:
        partner = trajectory.welfare_partner
        assert partner is not None
        receiver = partner.organisation
        if receiver is None:
            continue
        consented = consented_domains(trajectory.person_id, receiver) & WELFARE_DOMAINS
        candidates = Action.objects.filter(
            goal__trajectory=trajectory, status=ActionStatus.OPEN, goal__domain__in=consented
        ).select_related("goal")
        # The first open welfare action the receiving organisation has a service for.
        found = next(
            (
                (action, service)
                for action in candidates.order_by("pk")
                if (service := _service_for(receiver, action.goal.domain)) is not None
            ),
            None,
        )
        if found is None:
            continue
        action, service = found
        steps, overdue = next(plans)
        times = _moments(trajectory, now, len(steps) + 1, overdue, rng)
        referral = referral_send(
            acting_user=trajectory.lead_mediator,
            action=action,
            service=service,
            question=QUESTIONS.get(action.goal.domain, action.description),
            at=times[0],
        )
        for status, at in zip(steps, times[1:], strict=True):
            side = partner if status != S.WITHDRAWN else trajectory.lead_mediator
            text = TEXTS.get(status, "")
            referral = referral_transition(
                acting_user=side,
                referral=referral,
                to_status=status,
                reason=text if status != S.COMPLETED else "",
                outcome=text if status == S.COMPLETED else "",
                at=at,
            )
        made += 1
    made += _without_consent(now, rng)
    # The demo duo's week of referral work (issue 18; no random draws: nothing else moves).
    made += seed_duo_referrals(now)
    return made


def _without_consent(now: dt.datetime, rng: random.Random) -> int:
    """Two urgent housing referrals to a social rental agency, sent by a mediator without
    consent, with the reason."""
    made = 0
    actions = (
        Action.objects.filter(
            status=ActionStatus.OPEN,
            goal__domain="housing",
            goal__trajectory__status__in=OPEN_STATUSES,
            goal__trajectory__welfare_partner__isnull=True,
        )
        .select_related("goal__trajectory__lead_mediator", "goal__trajectory__person")
        .order_by("pk")
    )
    agency = Organisation.objects.filter(kind="svk").order_by("code").first()
    service = _service_for(agency, "housing") if agency is not None else None
    if service is None:
        return 0
    for action in actions:
        trajectory = action.goal.trajectory
        if consented_domains(trajectory.person_id, service.organisation):
            continue
        referral_send(
            acting_user=trajectory.lead_mediator,
            action=action,
            service=service,
            question=QUESTIONS["housing"],
            override_reason=OVERRIDE_REASON,
            at=_moments(trajectory, now, 1, False, rng)[0],
        )
        made += 1
        if made == 2:
            break
    return made


def _cycle(plans: list[tuple[list[str], bool]]) -> Iterator[tuple[list[str], bool]]:
    while True:
        yield from plans


def _moments(
    trajectory: Trajectory, now: dt.datetime, n: int, overdue: bool, rng: random.Random
) -> list[dt.datetime]:
    """``n`` increasing moments after the trajectory's start; the last one within the last
    week, or three to eight weeks ago when the referral is to be overdue."""
    start = timezone.make_aware(
        dt.datetime.combine(trajectory.start_date + dt.timedelta(days=1), dt.time(9))
    )
    last = now - dt.timedelta(days=rng.randint(21, 56) if overdue else rng.randint(0, 6))
    last = max(last, start)
    if n == 1:
        return [min(last, now)]
    first = max(start, last - dt.timedelta(days=rng.randint(10, 60)))
    span = (last - first) / (n - 1)
    return [min(first + span * i, now) for i in range(n)]


def _service_for(organisation: Organisation, domain: str) -> Service | None:
    """An active service of the organisation for the domain; a minimal one when it has none."""
    services = list(Service.objects.filter(organisation=organisation, status=ServiceStatus.ACTIVE))
    for service in services:
        if not service.life_domains or domain in service.life_domains:
            return service
    if services:
        return None
    try:
        from tandem.network.directory.services import service_create
    except ImportError:  # the directory is not there: no referrals to this organisation
        return None
    return service_create(
        acting_user=None,
        organisation=organisation,
        name="Maatschappelijk werk",
        life_domains=sorted(WELFARE_DOMAINS - {LifeDomain.JUSTICE}),
        description="Algemene sociale dienstverlening: budget, wonen, gezin en welzijn.",
    )
