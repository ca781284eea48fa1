"""Demo outreach (DOMAIN.md §2.1): the find places of vzw Jes and partners in Ghent (school
gates, neighbourhood centres, the street) and of IN-Z in Hasselt (social restaurant
Klavertjevier, the digipunt), with about 150 people met there from 2019 to 2022. Most are met
once or twice; some come back often; a part turn out to be (or become) people the team
registered — the demo links them to the team's demo persons, whose trajectories then count in
the funnel and its quarters.

``seed_outreach(rng)`` runs after the other demo data; only on a database without find places.
"""

from __future__ import annotations

import datetime as dt
import random

from tandem.accounts.models import Organisation, Role, User
from tandem.accounts.services import user_create
from tandem.outreach import services
from tandem.outreach.models import FindPlace
from tandem.programmes.models import Funded, Project
from tandem.registry.models import Person

# (organisation code, project code or None, [(kind, name)], municipality)
TEAMS: list[tuple[str, str | None, list[tuple[str, str]], str]] = [
    (
        "vzw-jes",
        "gent-mobiel-arbeidsteam",
        [
            ("school_gate", "Schoolpoort Basisschool De Vlieger"),
            ("school_gate", "Schoolpoort Sint-Salvator"),
            ("neighbourhood_centre", "Buurtcentrum Rabot"),
            ("neighbourhood_centre", "Buurtcentrum Brugse Poort"),
            ("faith_or_association", "Moskee Brugse Poort"),
            ("street", "Pleintje Dampoort"),
        ],
        "Gent",
    ),
    # IN-Z's school-gate project receives European support, but source 001 names no call,
    # period or budget for it (and call 478 is Groep Intro's, from August 2020): its find
    # places count for no project.
    (
        "in-z",
        None,
        [
            ("social_restaurant", "Sociaal restaurant Klavertjevier"),
            ("digipunt", "Digipunt Hasselt"),
            ("ocmw", "OCMW Hasselt, onthaal"),
        ],
        "Hasselt",
    ),
]
NICKNAMES = [
    "Mama Yasmine", "Papa Ali", "Oma Rita", "Fatma", "Sanne", "Kevin met de fiets",
    "Mehmet", "Ioana", "Petra", "Mounir", "Nadia", "Steven", "Aylin", "Bogdan", "Karima",
    "Tom", "Lieve", "Rachid", "Elif", "Jessica", "Ahmed", "Maria", "Dries", "Zohra",
]  # fmt: skip
NEEDS = ["werk", "kinderopvang", "opleiding", "Nederlands leren", "vrijwilligerswerk", "werk"]
LANGS = [["nl"], ["ar", "nl"], ["tr"], ["ro"], ["bg", "tr"], ["ber", "fr"], ["nl", "fr"]]
START, END = dt.date(2019, 1, 7), dt.date(2022, 11, 30)


def _worker(org: Organisation, n: int) -> User:
    """The team's outreach worker: the demo login for vzw Jes, a plain one elsewhere."""
    existing = User.objects.filter(
        organisation=org, role_assignments__role=Role.OUTREACH_WORKER
    ).first()
    return existing or user_create(
        acting_user=None,
        username=f"outreach_{org.code}_{n}",
        organisation=org,
        roles=[Role.OUTREACH_WORKER],
        first_name="Outreach",
        last_name=org.name,
    )


def _day(rng: random.Random, after: dt.date, within: int, cap: dt.date = END) -> dt.date:
    return min(after + dt.timedelta(days=rng.randint(1, within)), cap)


def _funded(project: Project | None) -> tuple[Project | None, dt.date, dt.date]:
    """The project the team's places count for and the days its contacts fall in: within the
    project's period and the period in which its call funds outreach (issue 17). A project
    whose call does not fund outreach is not given to the places."""
    if project is None:
        return None, START, END
    call = project.call
    if call is not None and Funded.OUTREACH not in (call.funds or []):
        return None, START, END
    lo, hi = max(START, project.start_date), min(END, project.end_date)
    if call is not None:
        lo, hi = max(lo, call.start_date), min(hi, call.end_date)
    return (project, lo, hi) if lo <= hi else (None, START, END)


def seed_outreach(rng: random.Random, prospects_per_team: int = 75) -> tuple[int, int, int]:
    """Find places, prospects and their moments; return (places, prospects, linked)."""
    if FindPlace.objects.exists():
        return 0, 0, 0
    made_places = made_prospects = registered = 0
    orgs = {o.code: o for o in Organisation.objects.all()}
    for n, (code, project_code, places, municipality) in enumerate(TEAMS):
        org = orgs.get(code)
        if org is None:
            continue
        worker = _worker(org, n)
        project, first, last = _funded(
            Project.objects.filter(code=project_code).select_related("call").first()
        )
        team_places = [
            services.place_save(
                acting_user=worker,
                kind=kind,
                name=name,
                municipality=municipality,
                project=project,
            )
            for kind, name in places
        ]
        made_places += len(team_places)
        pool = list(
            Person.objects.filter(organisation=org)
            .exclude(first_name="")
            .prefetch_related("trajectories")
            .order_by("-pk")
        )
        rng.shuffle(pool)
        span = (last - first).days
        for i in range(prospects_per_team):
            place = rng.choice(team_places)
            on = first + dt.timedelta(days=rng.randint(0, span))
            moment = services.contact_log(
                acting_user=worker,
                place=place,
                on=on,
                nickname=f"{rng.choice(NICKNAMES)} {i + 1}",
                approximate_age=rng.randint(19, 58),
                languages=rng.choice(LANGS),
                need=rng.choice(NEEDS),
            )
            prospect = moment.prospect
            made_prospects += 1
            repeats = rng.choices([0, 1, 2, 3, 5], weights=[40, 25, 15, 12, 8])[0]
            for _ in range(repeats):
                on = _day(rng, on, 30, last)
                again = place if rng.random() < 0.8 else rng.choice(team_places)
                services.contact_log(acting_user=worker, place=again, on=on, prospect=prospect)
            if repeats < 1 or rng.random() > 0.55 or not pool:
                continue
            # The demo links people the team already registered (the demo's persons), so the
            # registry keeps the number of persons asked for; a trajectory of theirs that
            # started after the link counts in the funnel.
            person = pool.pop()
            starts = sorted(t.start_date for t in person.trajectories.all())
            linked_on = _day(rng, on, 21)
            if starts and starts[-1] > on:
                linked_on = max(on, starts[-1] - dt.timedelta(days=rng.randint(1, 20)))
            services.prospect_link(
                acting_user=worker, prospect=prospect, person=person, on=linked_on
            )
            registered += 1
    return made_places, made_prospects, registered
