"""Demo (issue 18, agenda): a realistic week for the demo mediator (VDAB Gent) and the demo
welfare partner (OCMW Gent): planned contacts with a time on every working day of this week,
today's among them, some of them home visits with a purpose; those of the days already past
are held (with a note) or the person did not come. Written through the plan's own services
(``contact_plan``, ``contact_record``, ``contact_set_status``), so every row is as the pages
write it. The demo group coach's week is the group sessions the group-work demo plans.

``seed_agenda(rng)`` runs once per database (not again when this week already has them) and
draws only from its own ``rng``: deterministic per seed, and nothing before it changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.trajectories.models import Contact, ContactKind, Trajectory
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.plan import services as plan_services

# (time, kind, place, purpose): one working day's appointments to draw from.
MEDIATOR_SLOTS: list[tuple[dt.time, str, str, str]] = [
    (dt.time(9, 0), ContactKind.OFFICE, "VDAB Gent, gesprekslokaal 2", "Opvolging actieplan"),
    (dt.time(10, 30), ContactKind.HOME_VISIT, "", "Huisbezoek: POP samen overlopen"),
    (dt.time(11, 30), ContactKind.PHONE, "", "Afspraak jobbeurs bevestigen"),
    (dt.time(13, 30), ContactKind.HOME_VISIT, "", "Huisbezoek met de welzijnspartner"),
    (dt.time(14, 30), ContactKind.OFFICE, "VDAB Gent, gesprekslokaal 1", "Sollicitatiebrief"),
    (dt.time(16, 0), ContactKind.VIDEO, "", "Voorbereiding sollicitatiegesprek"),
]
PARTNER_SLOTS: list[tuple[dt.time, str, str, str]] = [
    (dt.time(9, 30), ContactKind.HOME_VISIT, "", "Huisbezoek: budgetplan bespreken"),
    (dt.time(11, 0), ContactKind.OFFICE, "OCMW Gent, onthaal", "Aanvraag leefloon afronden"),
    (dt.time(14, 0), ContactKind.PHONE, "", "Stand van zaken huurachterstal"),
    (dt.time(15, 30), ContactKind.HOME_VISIT, "", "Huisbezoek: woonsituatie"),
]
HELD_TEXT = "Afspraak gehouden; afspraken genoteerd in het plan."
PER_DAY = {Role.MEDIATOR: (2, 4), Role.WELFARE_PARTNER: (1, 2)}


def seed_agenda(rng: random.Random) -> int:
    """The demo duo's week; how many planned contacts were made."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    made = 0
    for role, slots, field in (
        (Role.MEDIATOR, MEDIATOR_SLOTS, "lead_mediator"),
        (Role.WELFARE_PARTNER, PARTNER_SLOTS, "welfare_partner"),
    ):
        user = User.objects.filter(username=f"demo_{role}").first()
        if user is None:
            continue
        # Once a week: this week's own appointments (their purposes) are there already.
        if Contact.objects.filter(
            author=user,
            purpose__in=[slot[3] for slot in slots],
            on__gte=monday,
            on__lte=monday + dt.timedelta(days=6),
        ).exists():
            continue
        trajectories = list(
            Trajectory.objects.filter(**{field: user}, status__in=OPEN_STATUSES)
            .select_related("person")
            .order_by("pk")[:40]
        )
        if not trajectories:
            continue
        rng.shuffle(trajectories)
        people = itertools.cycle(trajectories)
        low, high = PER_DAY[role]
        for offset in range(5):  # Monday to Friday
            day = monday + dt.timedelta(days=offset)
            n = high if day == today else rng.randint(low, high)
            for at, kind, place, purpose in sorted(rng.sample(slots, min(n, len(slots)))):
                trajectory = next(people)
                contact = plan_services.contact_plan(
                    acting_user=user,
                    trajectory=trajectory,
                    kind=kind,
                    on=day,
                    at=at,
                    minutes=rng.choice([30, 45, 60]),
                    place=place,
                    purpose=purpose,
                )
                made += 1
                if day < today:
                    _happened(user, trajectory, contact, day, rng)
    return made


def _happened(
    user: User, trajectory: Trajectory, contact: Contact, day: dt.date, rng: random.Random
) -> None:
    """A contact of a day gone by: held (nine in ten), else the person did not come."""
    if rng.random() < 0.9:
        plan_services.contact_record(
            acting_user=user,
            trajectory=trajectory,
            kind=contact.kind,
            on=day,
            text=HELD_TEXT,
            planned=contact,
        )
    else:
        plan_services.contact_set_status(
            acting_user=user, contact=contact, status="no_show", reason="Niet thuis."
        )
