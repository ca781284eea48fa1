"""Generating a region's worth of data (issue 20): persons with households, trajectories in
every state over the years with their duo, plan (goals and actions), contacts (held, missed and
planned), readings, referrals, group-work enrolments, outreach contacts, status events and
access-log rows. Deterministic for a seed; written by ``TableWriter`` (COPY on PostgreSQL).

The organisations and logins are the demo's (``tandem.demo.organisations``), so the demo
logins browse the generated data: a person is registered by the VDAB office of their province
and followed by one of its mediators (the demo's among them, a caseload of ~60 open
trajectories each), with one of the OCMW's welfare partners as duo partner.

Proportions per person (Flanders at 1 M persons, issue 20): 0.3 trajectories, about 3 plan
actions, 0.6 referrals, 5 status events and ``access_per_person`` access-log rows."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max

from tandem.accounts.models import Organisation, OrganisationKind, Role, User
from tandem.common.models import Province
from tandem.common.workdays import working_day_on_or_after
from tandem.demo import data as demo_data
from tandem.demo.organisations import DEMO_PASSWORD, seed_organisations, seed_users
from tandem.demo.persons import DUO_REASON
from tandem.registry import insz as insz_rules
from tandem.registry.models import Household, HouseholdMember, Person, PersonAssignment
from tandem.registry.services import fold

from .writer import TableWriter

# The day the years are counted back from: fixed, so a seed gives the same rows every day.
TODAY = dt.date(2026, 12, 1)
FIRST_YEAR = 2018
PROVINCES: list[tuple[str, float]] = [
    (Province.ANTWERPEN, 0.27),
    (Province.OOST_VLAANDEREN, 0.30),
    (Province.LIMBURG, 0.15),
    (Province.VLAAMS_BRABANT, 0.13),
    (Province.WEST_VLAANDEREN, 0.15),
]
POSTAL: dict[str, str] = {
    Province.ANTWERPEN: "2000",
    Province.OOST_VLAANDEREN: "9000",
    Province.LIMBURG: "3500",
    Province.VLAAMS_BRABANT: "3000",
    Province.WEST_VLAANDEREN: "8000",
}
FIRST_NAMES = {
    "F": [
        "Emma",
        "Lotte",
        "Fatima",
        "Sara",
        "Nina",
        "Marie",
        "Aylin",
        "Julie",
        "Ewa",
        "Ioana",
        "Hanne",
        "Yasmina",
        "Lore",
        "Elif",
        "Anke",
        "Kimberly",
        "Sofie",
        "Amina",
        "Lien",
        "Eva",
    ],
    "M": [
        "Lucas",
        "Mohamed",
        "Noah",
        "Jonas",
        "Tom",
        "Youssef",
        "Piotr",
        "Bram",
        "Mehmet",
        "Kevin",
        "Arne",
        "Samir",
        "Dries",
        "Andrei",
        "Wout",
        "Ibrahim",
        "Jens",
        "Stijn",
        "Bilal",
        "Ruben",
    ],
}
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Aydın",
    "El Amrani",
    "Kowalski",
    "Popescu",
    "Vermeulen",
    "Van den Broeck",
    "Özdemir",
    "Nowak",
    "Hermans",
    "Desmet",
    "Michiels",
    "Smets",
    "Bogaert",
    "Coppens",
    "Dewilde",
    "Benali",
    "Yilmaz",
    "Van Damme",
]
STREETS = [
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Schoolstraat",
    "Beekstraat",
    "Lindenlaan",
]
# Type and final status of a trajectory, with their shares.
TYPES = [("w2", 0.5), ("work_care", 0.2), ("youth", 0.15), ("outreach", 0.1), ("regular", 0.05)]
STATES = [
    ("closed", 0.45),
    ("active", 0.25),
    ("intake", 0.09),
    ("referred", 0.08),
    ("employed", 0.08),
    ("paused", 0.05),
]
# The road to each status (the statuses before it).
ROADS = {
    "referred": ["referred"],
    "intake": ["referred", "intake"],
    "active": ["referred", "intake", "active"],
    "paused": ["referred", "intake", "active", "paused"],
    "employed": ["referred", "intake", "active", "employed"],
    "closed": ["referred", "intake", "active", "closed"],
}
CLOSURE_REASONS = [
    "work_regular",
    "work_social_economy",
    "training",
    "work_care",
    "dropped_out",
    "moved_away",
    "other",
]
CONTACT_KINDS = ["office", "home_visit", "phone", "video", "note"]
PLAN_DOMAINS = [
    "income",
    "work_education",
    "housing",
    "family",
    "mental_health",
    "physical_health",
    "daytime",
    "social_network",
]
GOALS = {
    "income": "Schulden onder controle krijgen",
    "work_education": "Een opleiding of job vinden die past",
    "housing": "Een betaalbare woning vinden",
    "family": "Kinderopvang regelen",
    "mental_health": "Beter slapen en minder piekeren",
    "physical_health": "Rugklachten laten onderzoeken",
    "daytime": "Een dagstructuur opbouwen",
    "social_network": "Meer mensen om op terug te vallen",
}
ACTIONS = [
    "Afspraak maken",
    "Documenten verzamelen",
    "Aanvraag indienen",
    "Opvolgen met de partner",
    "Gesprek voorbereiden",
    "Sollicitatiebrief schrijven",
]
OWNERS = ["mediator", "welfare_partner", "client", "client"]
DOMAIN_SIDES = {"work_education": "mediator", "daytime": "mediator", "social_network": "shared"}
READING_DOMAINS = [
    "income",
    "work_education",
    "daytime",
    "housing",
    "family",
    "mental_health",
    "physical_health",
    "social_network",
]
REFERRAL_ROADS = [
    ["sent"],
    ["sent", "accepted"],
    ["sent", "accepted", "in_progress"],
    ["sent", "accepted", "in_progress", "completed"],
    ["sent", "declined"],
    ["sent", "no_capacity"],
    ["sent", "accepted", "not_reached"],
    ["sent", "withdrawn"],
    ["sent", "accepted", "in_progress", "completed"],
]
ENROLMENT_STATES = [
    "requested",
    "waiting",
    "placed",
    "placed",
    "completed",
    "completed",
    "left",
    "declined",
]
LABOUR_STATUSES = [
    "unemployed",
    "unemployed",
    "jobseeker_no_benefit",
    "leefloon",
    "training",
    "employed",
    "employed_social_economy",
    "inactive",
    "sick_disabled",
]
ACCESS_WHAT = ["person file", "trajectory", "caseload", "plan action", "referral", "person search"]
USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "organisation_id",
]
CONTRACTS = [
    "permanent",
    "fixed_term",
    "fixed_term",
    "temporary_agency",
    "social_economy",
    "article_60",
]
JOBS = ["Magazijnier", "Schoonmaker", "Keukenhulp", "Groenarbeider", "Verzorgende", "Kassier"]
EXPERT_QUESTIONS = [
    "Mee naar het OCMW voor de aanvraag van een leefloon",
    "Een gesprek over wat armoede met je doet, voor het vertrouwen",
    "Samen de brieven van de deurwaarder bekijken",
]
INTAKE_NOTES = [
    "Zoekt werk, heeft schulden.",
    "Dringend: dreigende uithuiszetting.",
    "Wil een opleiding volgen, zoekt kinderopvang.",
    "Ontmoet in het buurthuis.",
    "",
]
# Open trajectories a mediator follows (and duos a welfare partner), for the staff drawn.
CASELOAD = 60
OFFICE_HOURS = [dt.time(h, m) for h in (9, 10, 11, 13, 14, 15) for m in (0, 30)]


@dataclass
class Figures:
    """How many rows of each kind were written."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    r = rng.random()
    for value, share in weighted:
        r -= share
        if r < 0:
            return value
    return weighted[-1][0]


def _day(start: dt.date, end: dt.date, rng: random.Random) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 8 + rng.randrange(9), rng.randrange(60))


@dataclass
class Context:
    """The demo's organisations and logins the rows point at, by province."""

    office: dict[str, Organisation]
    mediator: dict[str, User]
    welfare: dict[str, User]
    caw: dict[str, Organisation]
    services: dict[int, list[Any]]
    # Group work: (module, programme, province, sessions, places per group), the groups
    # (module, start day) already there, and each programme's coaches.
    modules: list[tuple[int, int, str, int, int]]
    find_places: list[tuple[int, int, int]]
    scale_id: int
    groups_taken: set[tuple[int, dt.date]] = field(default_factory=set)
    coaches: dict[int, list[int]] = field(default_factory=dict)
    # The demo's logins of the other roles (by role) and the employers (job starts).
    users: dict[str, User] = field(default_factory=dict)
    employers: list[int] = field(default_factory=list)


def prepare(persons: int) -> Context:
    """The demo's organisations, logins, services, default scale, group-work modules and
    find places; made like the demo makes them where they are missing."""
    from tandem.demo.directory import seed_directory
    from tandem.demo.programmes import seed_calls_and_projects
    from tandem.groupwork.models import IntakeMoment, Module, Programme
    from tandem.network.models import Service
    from tandem.outreach.models import FindPlace
    from tandem.trajectories.models import Scale

    orgs = seed_organisations()
    seed_calls_and_projects(orgs)
    users = seed_users(orgs)
    seed_directory(orgs)
    provinces = [p for p, _ in PROVINCES]
    office = {p: orgs[demo_data.vdab_code(p)] for p in provinces}
    mediator = {p: users[demo_data.vdab_code(p)] for p in provinces}
    welfare = {p: users[f"welfare:{p}"] for p in provinces}
    caw = {p: orgs[demo_data.caw_code(p)] for p in provinces if demo_data.caw_code(p) in orgs}
    services: dict[int, list[Any]] = {}
    for org_id, service_id in Service.objects.order_by("pk").values_list("organisation_id", "id"):
        services.setdefault(org_id, []).append(service_id)
    if not Module.objects.exists():
        _programmes(persons, orgs, users)
    modules = [
        (m, programme, province, sessions, capacity)
        for m, programme, province, sessions, capacity in Module.objects.order_by("pk").values_list(
            "id", "programme_id", "programme__province", "session_count", "capacity"
        )
    ]
    groups_taken = set(IntakeMoment.objects.values_list("module_id", "starts_on"))
    coaches: dict[int, list[int]] = {}
    for programme_id, user_id in Programme.coaches.through.objects.order_by("pk").values_list(
        "programme_id", "user_id"
    ):
        coaches.setdefault(programme_id, []).append(user_id)
    employers = list(
        Organisation.objects.filter(kind=OrganisationKind.EMPLOYER)
        .order_by("pk")
        .values_list("id", flat=True)
    )
    if not employers:
        from tandem.demo.trajectories import EMPLOYERS

        for n, (name, municipality) in enumerate(EMPLOYERS):
            employers.append(
                Organisation.objects.create(
                    name=name,
                    code=f"employer-scale-{n + 1}",
                    kind=OrganisationKind.EMPLOYER,
                    municipality=municipality,
                ).pk
            )
    outreach_orgs = [o for o in orgs.values() if o.kind == OrganisationKind.OUTREACH_PARTNER]
    if not FindPlace.objects.exists():
        for org in sorted(outreach_orgs, key=lambda o: o.code):
            FindPlace.objects.create(
                organisation=org,
                kind="neighbourhood_centre",
                name=f"Buurthuis {org.name}"[:200],
                municipality=org.municipality or "Gent",
            )
    # Who met the people at each place: someone of its organisation, else the demo's worker.
    staff: dict[int, int] = {}
    for org_id, user_id in User.objects.order_by("-pk").values_list("organisation_id", "id"):
        if org_id is not None:
            staff[org_id] = user_id
    fallback = users["vzw-jes"].pk
    find_places = [
        (org_id, place_id, staff.get(org_id, fallback))
        for org_id, place_id in FindPlace.objects.order_by("pk").values_list(
            "organisation_id", "id"
        )
    ]
    scale = Scale.objects.filter(is_default=True).first() or Scale.objects.order_by("pk").first()
    assert scale is not None, "the default scale comes with the migrations"
    return Context(
        office,
        mediator,
        welfare,
        caw,
        services,
        modules,
        find_places,
        scale.pk,
        groups_taken,
        coaches,
        {str(role): users[str(role)] for role in Role if str(role) in users},
        employers,
    )


# Group-work programmes: one per province and per 50,000 persons of it (at 1 M persons, six in
# Oost-Vlaanderen), each with three modules; the demo's group coach coaches the first of
# Oost-Vlaanderen. Sessions per module as the demo's (tandem.demo.groupwork), 8 places a group.
PERSONS_PER_PROGRAMME = 50_000
GROUP_MODULES = [
    ("self_insight", "Wie ben ik?", 6),
    ("budget", "Rondkomen met mijn budget", 4),
    ("job_search", "Op zoek naar werk", 8),
]
GROUP_SLOTS = [
    (dt.time(9, 30), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(16, 0)),
    (dt.time(10, 0), dt.time(12, 30)),
]
LEAVE_REASONS = ["work", "training", "dropped_out", "health", "care", "moved", "not_suitable"]


def _programmes(persons: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    from tandem.groupwork.models import Module, Programme
    from tandem.programmes.models import Project

    project = Project.objects.order_by("pk").first()
    promoter = orgs.get("groep-intro")
    if project is None or promoter is None:
        return
    coach = users.get(str(Role.GROUP_COACH))
    for province, share in PROVINCES:
        for n in range(max(1, round(persons * share / PERSONS_PER_PROGRAMME))):
            programme = Programme.objects.create(
                project=project,
                name=f"Groepswerk {province} {n + 1}",
                promoter=promoter,
                province=province,
            )
            if coach is not None and n == 0 and province == Province.OOST_VLAANDEREN:
                programme.coaches.add(coach)
            for theme, name, sessions in GROUP_MODULES:
                Module.objects.create(
                    programme=programme,
                    name=name,
                    theme=theme,
                    session_count=sessions,
                    capacity=8,
                )


def generate(
    *, persons: int, seed: int, access_per_person: int = 10, write: Callable[[str], object]
) -> Figures:
    """Write ``persons`` persons and everything around them; return the figures."""
    started = time.monotonic()
    with transaction.atomic():
        ctx = prepare(persons)
        write(
            f"  demo organisations, logins, services, modules: {time.monotonic() - started:.1f} s"
        )
        out = TableWriter(write)
        if out.pg:
            # The rows made through the ORM above are checked now, not queued for the commit
            # (an ALTER TABLE refuses a table with checks pending). The tables written here are
            # checked whole once copied: ``writer.set_aside`` puts each foreign key back as it
            # was, which validates every row; the index builds may use more memory than the
            # default 64 MB (this transaction only).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        figures = Figures()
        # The same seed on the same database gives the same rows; a second run on top of the
        # first draws others (new public ids), so it can be run again to grow the data.
        already = Person.objects.aggregate(m=Max("pk"))["m"] or 0
        rng = random.Random(seed * 1_000_003 + already)  # noqa: S311 - demo data, not a secret
        _Generator(ctx, out, rng, figures, access_per_person).run(persons)
        out.reset_sequences()
        if out.pg:
            with connection.cursor() as cursor:  # Django's foreign keys are deferred again
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        committing = time.monotonic()
    write(f"  commit: {time.monotonic() - committing:.1f} s")
    figures.seconds = time.monotonic() - started
    return figures


class _Generator:
    def __init__(
        self,
        ctx: Context,
        out: TableWriter,
        rng: random.Random,
        figures: Figures,
        access_per_person: int,
    ) -> None:
        self.ctx, self.out, self.rng, self.figures = ctx, out, rng, figures
        self.access_per_person = access_per_person
        # One hash for every drawn login: Argon2 takes a good part of a second per hash.
        self.password = make_password(DEMO_PASSWORD)
        self.now = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12)

    def uid(self) -> str:
        return self.out.uuid(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def put(self, model: Any, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
        label = model._meta.label
        self.figures.counts[label] = self.figures.counts.get(label, 0) + self.out.write(
            model, columns, rows
        )

    def run(self, count: int) -> None:
        self.persons(count)
        self.staff()
        self.trajectories()
        self.plans()
        self.contacts()
        self.readings()
        self.referrals()
        self.group_work()
        self.job_coaching()
        self.expert_requests()
        self.intakes()
        self.outreach()
        self.status_events()
        self.access_log()

    # Persons and households -------------------------------------------------------------
    def persons(self, count: int) -> None:
        rng, out = self.rng, self.out
        taken = set(Person.objects.exclude(insz=None).values_list("insz", flat=True))
        sequences: dict[tuple[dt.date, str], int] = {}
        first_household = out.first_id(Household)
        first_person = out.first_id(Person)
        # Per person: (id, province, birth date, first name, organisation id); kept for later.
        self.people: list[tuple[int, str, dt.date, str, int]] = []
        # Per person: the columns a referral's shared data copies (last name to province).
        self.details: list[tuple[Any, ...]] = []
        households: list[tuple[Any, ...]] = []
        people_rows: list[tuple[Any, ...]] = []
        created = out.ts(self.now)
        # Per person registered by an outreach worker (2 %, met at a find place first): the
        # place's (organisation, place, worker); the rest are registered by their office.
        self.via_outreach: dict[int, tuple[int, int, int]] = {}
        for i in range(count):
            province = _pick(rng, PROVINCES)
            gender = "F" if rng.random() < 0.5 else "M"
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 46))
            insz = None
            if rng.random() < 0.95:
                key = (birth, gender)
                while True:
                    k = sequences.get(key, 0)
                    sequences[key] = k + 1
                    if k >= 499:
                        break
                    candidate = insz_rules.make(birth, 2 * k + (1 if gender == "M" else 2))
                    if candidate not in taken:
                        insz = candidate
                        break
            first = rng.choice(FIRST_NAMES[gender])
            last = rng.choice(LAST_NAMES)
            office = self.ctx.office[province]
            via = None
            if self.ctx.find_places and rng.random() < 0.02:
                via = rng.choice(self.ctx.find_places)
                self.via_outreach[i] = via
            person_id, household_id = first_person + i, first_household + i
            households.append((household_id, created, created, self.uid(), office.pk, "{}", "{}"))
            people_rows.append(
                (
                    person_id,
                    created,
                    created,
                    self.uid(),
                    office.pk,
                    via[2] if via else self.ctx.mediator[province].pk,
                    first,
                    last,
                    f"{fold(first)} {fold(last)}",
                    insz,
                    birth,
                    gender,
                    '["nl"]',
                    rng.choice(STREETS),
                    str(rng.randint(1, 180)),
                    POSTAL[province],
                    demo_data.MAIN_CITIES[province],
                    province,
                    "",
                    "",
                    rng.choice(["isced_0_2", "isced_0_2", "isced_3_4", "isced_5_8", "unknown"]),
                    "registered" if rng.random() < 0.8 else "non_active",
                    rng.choice(
                        ["unemployment", "leefloon", "sickness_disability", "none", "unknown"]
                    ),
                    rng.choice(["belgian", "belgian", "eu", "non_eu", "unknown"]),
                    rng.choice(["yes", "no", "unknown"]),
                    "not_asked",
                    household_id,
                )
            )
            self.people.append((person_id, province, birth, first, office.pk))
            self.details.append(people_rows[-1][7:18])
        self.put(
            Household,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "deprivation",
                "kind_en_gezin",
            ],
            iter(households),
        )
        self.put(
            Person,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "created_by_id",
                "first_name",
                "last_name",
                "search_key",
                "insz",
                "birth_date",
                "gender",
                "languages",
                "street",
                "house_number",
                "postal_code",
                "municipality",
                "province",
                "phone",
                "email",
                "education",
                "registration",
                "benefit",
                "nationality_group",
                "foreign_background",
                "disability",
                "household_id",
            ],
            iter(people_rows),
        )
        del households, people_rows

        def members() -> Iterator[tuple[Any, ...]]:
            for pid, _province, birth, first, _org in self.people:
                hid = pid - first_person + first_household
                yield (created, created, hid, pid, "self", first, birth, "unemployed", None)
                if rng.random() < 0.3:
                    child = _day(
                        max(birth + dt.timedelta(days=365 * 18), dt.date(2006, 1, 1)), TODAY, rng
                    )
                    yield (
                        created,
                        created,
                        hid,
                        None,
                        "child",
                        rng.choice(FIRST_NAMES["F"]),
                        child,
                        "student",
                        None,
                    )

        self.put(
            HouseholdMember,
            [
                "created_at",
                "updated_at",
                "household_id",
                "person_id",
                "relation",
                "first_name",
                "birth_date",
                "activity",
                "months_worked",
            ],
            members(),
        )

    # Mediators and welfare partners with a caseload of a realistic size -------------------
    def staff(self) -> None:
        """A mediator per ``CASELOAD`` open trajectories at each VDAB office and a welfare
        partner per as many duos at each OCMW, beside the demo's own (who get their share): one
        mediator following a province's every trajectory is no caseload anyone has. They log in
        with the demo password."""
        from tandem.accounts.models import Role, RoleAssignment

        out = self.out
        by_province: dict[str, int] = {}
        for _pid, province, *_rest in self.people:
            by_province[province] = by_province.get(province, 0) + 1
        first = out.first_id(User)
        users: list[tuple[Any, ...]] = []
        roles: list[tuple[Any, ...]] = []
        password = self.password
        joined = out.ts(dt.datetime(FIRST_YEAR, 1, 1, 9))
        self.mediators: dict[str, list[int]] = {}
        self.partners: dict[str, list[int]] = {}
        for province, _share in PROVINCES:
            # Open trajectories: 0.3 a person, a little over half of them open.
            extra = round(by_province.get(province, 0) * 0.3 * 0.55 / CASELOAD)
            for role, pools, demo_user in (
                (Role.MEDIATOR, self.mediators, self.ctx.mediator[province]),
                (Role.WELFARE_PARTNER, self.partners, self.ctx.welfare[province]),
            ):
                pool = pools.setdefault(province, [demo_user.pk])
                for _n in range(extra):
                    user_id = first + len(users)
                    users.append(
                        (
                            user_id,
                            password,
                            None,
                            out.bool(False),
                            f"scale_{role}_{user_id}",
                            "Scale",
                            f"{role} {user_id}",
                            "",
                            out.bool(False),
                            out.bool(True),
                            joined,
                            demo_user.organisation_id,
                        )
                    )
                    roles.append((joined, joined, user_id, role))
                    pool.append(user_id)
        self.put(User, USER_COLUMNS, iter(users))
        self.put(RoleAssignment, ["created_at", "updated_at", "user_id", "role"], iter(roles))
        # Per trajectory: its lead mediator and duo partner (filled by ``trajectories``).
        self.lead: dict[int, int] = {}
        self.partner_of: dict[int, int] = {}

    # Trajectories, their status changes and duos ---------------------------------------
    def trajectories(self) -> None:
        from tandem.trajectories.models import StatusChange, Trajectory

        rng, out = self.rng, self.out
        first = out.first_id(Trajectory)
        # Per trajectory: (id, person index, status, start, end or None, duo?)
        self.trajs: list[tuple[int, int, str, dt.date, dt.date | None, bool]] = []
        rows: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        duos: list[tuple[Any, ...]] = []
        for index, (pid, province, _b, _f, office_id) in enumerate(self.people):
            r = rng.random()
            if r >= 0.3:
                continue
            plan = [_pick(rng, STATES)]
            if r < 0.04:  # an earlier trajectory of another type, closed
                plan.insert(0, "closed")
            types = (
                rng.sample([t for t, _ in TYPES], len(plan))
                if len(plan) > 1
                else [_pick(rng, TYPES)]
            )
            previous_end = dt.date(FIRST_YEAR, 1, 1)
            for status, kind in zip(plan, types, strict=True):
                if status == "closed":
                    start = _day(previous_end, TODAY - dt.timedelta(days=120), rng)
                    end: dt.date | None = min(
                        start + dt.timedelta(days=rng.randint(60, 900)),
                        TODAY - dt.timedelta(days=1),
                    )
                    previous_end = end or previous_end
                else:
                    start = _day(
                        max(previous_end, TODAY - dt.timedelta(days=800)),
                        TODAY - dt.timedelta(days=14),
                        rng,
                    )
                    end = None
                tid = first + len(self.trajs)
                duo = status != "referred" and rng.random() < 0.6
                mediator = rng.choice(self.mediators[province])
                partner = rng.choice(self.partners[province]) if duo else None
                self.lead[tid] = mediator
                if partner:
                    self.partner_of[tid] = partner
                created = out.ts(_at(start, rng))
                rows.append(
                    (
                        tid,
                        created,
                        created,
                        self.uid(),
                        office_id,
                        pid,
                        kind,
                        status,
                        start,
                        end,
                        rng.choice(CLOSURE_REASONS) if end else "",
                        "",
                        out.bool(False),
                        mediator,
                        partner,
                        None,
                        None,
                        "Aangemeld door de bemiddelaar na een gesprek.",
                        "",
                    )
                )
                road = ROADS[status]
                steps = len(road)
                last_day = end or TODAY - dt.timedelta(days=1)
                span = max((last_day - start).days, steps)
                before = ""
                for n, step in enumerate(road):
                    on = (
                        end
                        if (end and step == "closed")
                        else start + dt.timedelta(days=span * n // steps)
                    )
                    changes.append((tid, before, step, on, out.ts(_at(on, rng)), mediator, ""))
                    before = step
                if partner:
                    duos.append(
                        (
                            created,
                            created,
                            pid,
                            self.ctx.welfare[province].organisation_id,
                            mediator,
                            DUO_REASON,
                        )
                    )
                self.trajs.append((tid, index, status, start, end, duo))
        self.put(
            Trajectory,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "person_id",
                "type",
                "status",
                "start_date",
                "end_date",
                "closure_reason",
                "closure_note",
                "qualification_gained",
                "lead_mediator_id",
                "welfare_partner_id",
                "project_id",
                "screening_id",
                "start_reason",
                "dates_correction_reason",
            ],
            iter(rows),
        )
        self.put(
            StatusChange,
            ["trajectory_id", "from_status", "to_status", "on", "at", "by_id", "reason"],
            iter(changes),
        )
        seen: set[tuple[int, int]] = set()
        unique = []
        for duo_row in duos:  # one assignment per person and organisation
            if (duo_row[2], duo_row[3]) not in seen:
                seen.add((duo_row[2], duo_row[3]))
                unique.append(duo_row)
        self.put(
            PersonAssignment,
            [
                "created_at",
                "updated_at",
                "person_id",
                "organisation_id",
                "assigned_by_id",
                "reason",
            ],
            iter(unique),
        )

    def _worked(self) -> Iterator[tuple[int, int, str, dt.date, dt.date | None, bool]]:
        """Trajectories past intake: those with a plan, contacts and readings."""
        return (t for t in self.trajs if t[2] not in ("referred", "intake"))

    # Plans: goals and actions ----------------------------------------------------------
    def plans(self) -> None:
        from tandem.trajectories.models import Action, DomainResponsibility, Goal

        rng, out = self.rng, self.out
        first = out.first_id(Goal)
        goals: list[tuple[Any, ...]] = []
        actions: list[tuple[Any, ...]] = []
        # Who leads each domain of a duo's plan: work the mediator, welfare the partner.
        leads: list[tuple[int, str, str]] = []
        for tid, _index, _status, start, end, duo in self._worked():
            author = self.lead[tid]
            for domain in rng.sample(PLAN_DOMAINS, rng.randint(2, 4)):
                if duo:
                    leads.append((tid, domain, DOMAIN_SIDES.get(domain, "welfare_partner")))
                gid = first + len(goals)
                created = out.ts(_at(start, rng))
                goals.append((gid, created, created, tid, domain, GOALS[domain], author))
                for _n in range(rng.randint(2, 5)):
                    due = _day(start, (end or TODAY) + dt.timedelta(days=60), rng)
                    r = rng.random()
                    status = (
                        "open" if (end is None and r < 0.35) else ("dropped" if r > 0.9 else "done")
                    )
                    owner = rng.choice(OWNERS if duo else ["mediator", "client"])
                    actions.append(
                        (
                            created,
                            created,
                            gid,
                            rng.choice(ACTIONS),
                            owner,
                            due,
                            status,
                            min(due, end or TODAY) if status == "done" else None,
                            "Niet meer nodig" if status == "dropped" else "",
                            "",
                        )
                    )
        self.put(
            Goal,
            [
                "id",
                "created_at",
                "updated_at",
                "trajectory_id",
                "domain",
                "description",
                "created_by_id",
            ],
            iter(goals),
        )
        self.put(DomainResponsibility, ["trajectory_id", "domain", "side"], iter(leads))
        self.put(
            Action,
            [
                "created_at",
                "updated_at",
                "goal_id",
                "description",
                "owner",
                "due_on",
                "status",
                "done_on",
                "dropped_reason",
                "referral_ref",
            ],
            iter(actions),
        )

    # Contacts: held, missed, cancelled, and the next one planned ------------------------
    def contacts(self) -> None:
        from tandem.trajectories.models import Contact

        rng, out = self.rng, self.out

        def rows() -> Iterator[tuple[Any, ...]]:
            for tid, _index, status, start, end, _duo in self.trajs:
                author = self.lead[tid]
                last = end or TODAY - dt.timedelta(days=1)
                count = 1 if status == "referred" else rng.randint(3, 8)
                for _n in range(count):
                    on = working_day_on_or_after(_day(start, last, rng))
                    kind = rng.choice(CONTACT_KINDS)
                    r = rng.random()
                    held = kind == "note" or r < 0.85
                    state = "held" if held else ("no_show" if r < 0.93 else "cancelled")
                    at = rng.choice(OFFICE_HOURS) if kind != "note" else None
                    created = out.ts(_at(on, rng))
                    yield (
                        created,
                        created,
                        tid,
                        kind,
                        state,
                        on,
                        out.time(at) if at else None,
                        45 if held and kind != "note" else None,
                        "",
                        "Opvolggesprek",
                        rng.choice(PLAN_DOMAINS),
                        "Besproken hoe het gaat." if held else "",
                        author,
                    )
                if end is None and status != "referred":
                    on = working_day_on_or_after(TODAY + dt.timedelta(days=rng.randint(1, 28)))
                    created = out.ts(self.now)
                    yield (
                        created,
                        created,
                        tid,
                        rng.choice(["office", "home_visit", "phone"]),
                        "planned",
                        on,
                        out.time(rng.choice(OFFICE_HOURS)),
                        45,
                        "",
                        "Volgend gesprek",
                        "",
                        "",
                        author,
                    )

        self.put(
            Contact,
            [
                "created_at",
                "updated_at",
                "trajectory_id",
                "kind",
                "status",
                "on",
                "at",
                "minutes",
                "place",
                "purpose",
                "domain",
                "text",
                "author_id",
            ],
            rows(),
        )

    # Assessments and their readings -------------------------------------------------------
    def readings(self) -> None:
        from tandem.trajectories.models import Assessment, Reading

        rng, out = self.rng, self.out
        first = out.first_id(Assessment)
        assessments: list[tuple[Any, ...]] = []
        readings: list[tuple[Any, ...]] = []
        for tid, _index, _status, start, end, _duo in self._worked():
            author = self.lead[tid]
            days = [start] + ([end] if end else [])
            base = [rng.randint(1, 3) for _ in READING_DOMAINS]
            for n, on in enumerate(days):
                aid = first + len(assessments)
                created = out.ts(_at(on, rng))
                assessments.append(
                    (aid, created, created, tid, self.ctx.scale_id, on, out.bool(True), author, "")
                )
                for domain, level in zip(READING_DOMAINS, base, strict=True):
                    readings.append((aid, domain, min(5, level + n * rng.randint(0, 2))))
        self.put(
            Assessment,
            [
                "id",
                "created_at",
                "updated_at",
                "trajectory_id",
                "scale_id",
                "on",
                "agreed_with_client",
                "by_id",
                "note",
            ],
            iter(assessments),
        )
        self.put(Reading, ["assessment_id", "domain", "level"], iter(readings))

    # Referrals to the welfare partners, with consent and their status changes ------------
    def referrals(self) -> None:
        from tandem.network.models import Consent, Referral, ReferralStatusChange

        rng, out = self.rng, self.out
        first_consent, first_referral = out.first_id(Consent), out.first_id(Referral)
        consents: list[tuple[Any, ...]] = []
        referrals: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        for tid, index, _status, start, end, duo in self.trajs:
            if not duo:
                continue
            pid, province, _b, _f, office_id = self.people[index]
            partner = self.ctx.welfare[province]
            receivers = [o for o in (partner.organisation, self.ctx.caw.get(province)) if o]
            receivers = [o for o in receivers if self.ctx.services.get(o.pk)]
            if not receivers:
                continue
            sender = self.lead[tid]
            for _n in range(rng.choice((1, 2, 2, 3, 3, 4))):
                receiver = rng.choice(receivers)
                domain = rng.choice(["income", "housing", "family", "mental_health"])
                sent = _day(start, end or TODAY - dt.timedelta(days=2), rng)
                cid = first_consent + len(consents)
                created = out.ts(_at(sent, rng))
                consents.append(
                    (
                        cid,
                        created,
                        created,
                        self.uid(),
                        office_id,
                        pid,
                        receiver.pk,
                        "",
                        json.dumps([domain]),
                        "Doorverwijzing in het traject",
                        sent,
                        sender,
                        "signed_form",
                        "",
                        None,
                        None,
                    )
                )
                road = rng.choice(REFERRAL_ROADS)
                if end is not None and road[-1] in ("sent", "accepted", "in_progress"):
                    road = [*road, "withdrawn"] if road[-1] == "sent" else [*road, "completed"]
                rid = first_referral + len(referrals)
                at = _at(sent, rng)
                last_at = at + dt.timedelta(days=7 * (len(road) - 1))
                referrals.append(
                    (
                        rid,
                        created,
                        created,
                        self.uid(),
                        office_id,
                        receiver.pk,
                        pid,
                        tid,
                        None,
                        out.uuid(self.ctx.services[receiver.pk][0]),
                        road[-1],
                        json.dumps([domain]),
                        self._shared_data(index),
                        cid,
                        "",
                        GOALS[domain],
                        sender,
                        out.ts(at),
                        out.ts(last_at),
                        "",
                        "",
                    )
                )
                before = ""
                for n, step in enumerate(road):
                    changes.append(
                        (
                            rid,
                            before,
                            step,
                            out.ts(at + dt.timedelta(days=7 * n)),
                            sender if step in ("sent", "withdrawn") else self.partner_of[tid],
                            "",
                        )
                    )
                    before = step
        self.put(
            Consent,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "person_id",
                "recipient_organisation_id",
                "recipient_kind",
                "domains",
                "purpose",
                "given_on",
                "recorded_by_id",
                "evidence",
                "witness",
                "withdrawn_on",
                "withdrawn_by_id",
            ],
            iter(consents),
        )
        self.put(
            Referral,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "receiving_organisation_id",
                "person_id",
                "trajectory_id",
                "action_id",
                "service_id",
                "status",
                "domains",
                "shared_data",
                "consent_id",
                "override_reason",
                "question",
                "sent_by_id",
                "sent_at",
                "last_update_at",
                "outcome",
                "reason",
            ],
            iter(referrals),
        )
        self.put(
            ReferralStatusChange,
            ["referral_id", "from_status", "to_status", "at", "by_id", "note"],
            iter(changes),
        )

    def _shared_data(self, index: int) -> str:
        """The snapshot that travels with a referral: name and contact (as the service's
        ``shared_data_snapshot`` makes it; no domain data drawn here)."""
        last, _key, _insz, birth, _g, languages, street, number, postal, town, _p = self.details[
            index
        ]
        return json.dumps(
            {
                "person": {
                    "first_name": self.people[index][3],
                    "last_name": last,
                    "birth_date": birth.isoformat(),
                    "languages": json.loads(languages),
                    "street": street,
                    "house_number": number,
                    "postal_code": postal,
                    "municipality": town,
                    "phone": "",
                    "email": "",
                }
            }
        )

    # Group work: enrolments, the groups and their sessions, attendance ------------------------
    def group_work(self) -> None:
        """15 % of the trajectories past intake ask for a module of their province's
        programmes (as the demo: requested, waiting, placed, completed, left, declined). Those
        placed join the first group of the module that starts a week or more after the
        request and has a place (8 a group; a module starts a group every four weeks, and
        another the next working day while the earlier ones are full); the group meets weekly,
        coached by one of its programme's coaches (one coach per three groups running at a
        time, the demo's group coach among those of Oost-Vlaanderen's first programme).
        Attendance is recorded for the sessions held (7 % excused; 5 % absent, or 35 % for one
        participant in seven), but for some of the last ten days' (the coach's home page:
        attendance to take); three absences raise a drop-out signal, which the mediator has
        seen for half of them."""
        from tandem.accounts.models import RoleAssignment
        from tandem.groupwork.models import (
            Attendance,
            Enrolment,
            GroupSession,
            IntakeMoment,
            Programme,
        )

        rng, out = self.rng, self.out
        if not self.ctx.modules:
            return
        by_province: dict[str, list[tuple[int, int, str, int, int]]] = {}
        for module in self.ctx.modules:
            by_province.setdefault(module[2], []).append(module)
        # Groups: (module, start day) -> [group id, places left]; made as they fill.
        first_group = out.first_id(IntakeMoment)
        groups: dict[tuple[int, dt.date], list[int]] = {}
        group_rows: list[tuple[int, int, dt.date]] = []  # (id, module index, start)
        taken = set(self.ctx.groups_taken)
        modules = {m[0]: m for m in self.ctx.modules}
        epoch = dt.date(FIRST_YEAR, 1, 1)

        def group_for(
            module: tuple[int, int, str, int, int], after: dt.date
        ) -> tuple[int, dt.date]:
            cycle = epoch + dt.timedelta(days=-(-(after - epoch).days // 28) * 28)
            day = working_day_on_or_after(cycle)
            while True:
                key = (module[0], day)
                if key not in taken:
                    taken.add(key)
                    groups[key] = [first_group + len(group_rows), module[4]]
                    group_rows.append((groups[key][0], module[0], day))
                slot = groups.get(key)
                if slot is not None and slot[1] > 0:
                    slot[1] -= 1
                    return slot[0], day
                day = working_day_on_or_after(day + dt.timedelta(days=1))

        enrolments: list[list[Any]] = []
        # Per enrolment in a group: (enrolment index, group id, state, ended_on or None)
        members: list[tuple[int, int, str, dt.date | None]] = []
        for tid, index, _status, start, end, _duo in self._worked():
            if rng.random() >= 0.15:
                continue
            options = by_province.get(self.people[index][1]) or self.ctx.modules
            module = rng.choice(options)
            state = rng.choice(ENROLMENT_STATES)
            if end is not None and state in ("requested", "waiting", "placed"):
                state = "completed"
            last = end or TODAY
            if state in ("requested", "waiting"):
                requested = _day(
                    max(start, TODAY - dt.timedelta(days=60)), TODAY - dt.timedelta(days=1), rng
                )
            elif state == "placed":
                requested = _day(
                    max(start, TODAY - dt.timedelta(days=60)), TODAY - dt.timedelta(days=8), rng
                )
            else:
                requested = _day(
                    start, max(start, last - dt.timedelta(days=7 * module[3] + 42)), rng
                )
            author = self.lead[tid]
            group = None
            placed_on = ended = None
            if state in ("placed", "completed", "left"):
                group, group_start = group_for(module, requested + dt.timedelta(days=7))
                placed_on = min(requested + dt.timedelta(days=7), group_start)
                final = group_start + dt.timedelta(days=7 * (module[3] - 1))
                if state == "completed":
                    ended = final
                elif state == "left":
                    ended = group_start + dt.timedelta(days=7 * rng.randrange(module[3]))
                if ended is not None and ended > TODAY - dt.timedelta(days=1):
                    state, ended = (
                        ("placed", None) if end is None else ("left", TODAY - dt.timedelta(days=1))
                    )
                members.append((len(enrolments), group, state, ended))
            created = out.ts(_at(requested, rng))
            enrolments.append(
                [
                    created,
                    created,
                    self.uid(),
                    tid,
                    module[0],
                    group,
                    state,
                    requested,
                    author,
                    "",
                    requested if state != "requested" else None,
                    author if state != "requested" else None,
                    out.ts(_at(requested, rng)) if state == "waiting" else None,
                    placed_on,
                    ended,
                    rng.choice(LEAVE_REASONS) if state == "left" else "",
                    "",
                    None,
                    None,
                ]
            )
        # Coaches: a programme's own, and one more per three of its groups running at a time.
        running: dict[int, int] = {}
        for _gid, module_id, day in group_rows:
            if day > TODAY - dt.timedelta(days=365):
                programme = modules[module_id][1]
                running[programme] = running.get(programme, 0) + 1
        coaches = {p: list(c) for p, c in self.ctx.coaches.items()}
        users: list[tuple[Any, ...]] = []
        roles: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        first_user = out.first_id(User)
        promoter = {pk: org for pk, org in Programme.objects.values_list("pk", "promoter_id")}
        password = self.password
        joined = out.ts(dt.datetime(FIRST_YEAR, 1, 1, 9))
        for programme in sorted({m[1] for m in self.ctx.modules}):
            # A group runs about two months: a year's groups / 6 run at a time, 3 per coach.
            wanted = max(1, -(-running.get(programme, 0) // 18))
            pool = coaches.setdefault(programme, [])
            while len(pool) < wanted:
                user_id = first_user + len(users)
                users.append(
                    (
                        user_id,
                        password,
                        None,
                        out.bool(False),
                        f"scale_group_coach_{user_id}",
                        "Scale",
                        f"group coach {user_id}",
                        "",
                        out.bool(False),
                        out.bool(True),
                        joined,
                        promoter[programme],
                    )
                )
                roles.append((joined, joined, user_id, Role.GROUP_COACH.value))
                links.append((programme, user_id))
                pool.append(user_id)
        self.put(User, USER_COLUMNS, iter(users))
        self.put(RoleAssignment, ["created_at", "updated_at", "user_id", "role"], iter(roles))
        self.put(Programme.coaches.through, ["programme_id", "user_id"], iter(links))
        coach_of = {
            gid: rng.choice(coaches[modules[module_id][1]]) for gid, module_id, _d in group_rows
        }
        self.put(
            IntakeMoment,
            ["id", "created_at", "updated_at", "module_id", "starts_on"],
            (
                (
                    gid,
                    out.ts(_at(day - dt.timedelta(days=60), rng)),
                    out.ts(_at(day - dt.timedelta(days=60), rng)),
                    module_id,
                    day,
                )
                for gid, module_id, day in group_rows
            ),
        )
        # Sessions: weekly from the start, at the group's slot and place.
        first_session = out.first_id(GroupSession)
        sessions: dict[int, list[tuple[int, dt.date]]] = {}
        session_rows: list[tuple[Any, ...]] = []
        for gid, module_id, day in group_rows:
            begin, finish = rng.choice(GROUP_SLOTS)
            place = f"Lokaal {rng.randint(1, 6)}"
            created = out.ts(_at(day - dt.timedelta(days=30), rng))
            for n in range(modules[module_id][3]):
                sid = first_session + len(session_rows)
                on = day + dt.timedelta(days=7 * n)
                session_rows.append(
                    (
                        sid,
                        created,
                        created,
                        gid,
                        n + 1,
                        on,
                        out.time(begin),
                        out.time(finish),
                        place,
                        coach_of[gid],
                    )
                )
                sessions.setdefault(gid, []).append((sid, on))
        self.put(
            GroupSession,
            [
                "id",
                "created_at",
                "updated_at",
                "intake_id",
                "number",
                "on",
                "starts_at",
                "ends_at",
                "place",
                "coach_id",
            ],
            iter(session_rows),
        )
        # Attendance of the sessions held; some of the last ten days' still to be recorded.
        recent = TODAY - dt.timedelta(days=10)
        unrecorded = {
            sid
            for rows in sessions.values()
            for sid, on in rows
            if on >= recent and rng.random() < 0.5
        }
        first_enrolment = out.first_id(Enrolment)
        attendance: list[tuple[Any, ...]] = []
        for position, gid, state, ended in members:
            absences = 0
            # Most come (5 % absent); one in seven often stays away (35 %).
            away = 0.35 if rng.random() < 0.15 else 0.05
            until = ended or TODAY
            for sid, on in sessions[gid]:
                if on > until or on > TODAY or sid in unrecorded:
                    continue
                r = rng.random()
                status = "absent" if r < away else ("excused" if r < away + 0.07 else "present")
                attendance.append(
                    (sid, first_enrolment + position, status, coach_of[gid], out.ts(_at(on, rng)))
                )
                if status == "absent":
                    absences += 1
                    if absences == 3 and state == "placed":
                        row = enrolments[position]
                        row[17] = on
                        if rng.random() < 0.5:
                            row[18] = min(on + dt.timedelta(days=3), TODAY)
        self.put(
            Enrolment,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "trajectory_id",
                "module_id",
                "intake_id",
                "status",
                "requested_on",
                "requested_by_id",
                "request_note",
                "decided_on",
                "decided_by_id",
                "waiting_since",
                "placed_on",
                "ended_on",
                "leave_reason",
                "leave_note",
                "dropout_flagged_on",
                "dropout_acknowledged_on",
            ],
            ((first_enrolment + n, *row) for n, row in enumerate(enrolments)),
        )
        self.put(
            Attendance,
            ["session_id", "enrolment_id", "status", "recorded_by_id", "recorded_at"],
            iter(attendance),
        )

    # Staff of the other roles, drawn as the work needs them ------------------------------
    def _draw(
        self, role: str, organisations: dict[str, int], counts: dict[str, int]
    ) -> dict[str, list[int]]:
        """``counts[key]`` more users with ``role`` at ``organisations[key]`` (demo password);
        their ids by key."""
        from tandem.accounts.models import RoleAssignment

        out = self.out
        first = out.first_id(User)
        users: list[tuple[Any, ...]] = []
        roles: list[tuple[Any, ...]] = []
        drawn: dict[str, list[int]] = {}
        password = self.password
        joined = out.ts(dt.datetime(FIRST_YEAR, 1, 1, 9))
        for key, n in counts.items():
            for _n in range(n):
                user_id = first + len(users)
                users.append(
                    (
                        user_id,
                        password,
                        None,
                        out.bool(False),
                        f"scale_{role}_{user_id}",
                        "Scale",
                        f"{role} {user_id}",
                        "",
                        out.bool(False),
                        out.bool(True),
                        joined,
                        organisations[key],
                    )
                )
                roles.append((joined, joined, user_id, role))
                drawn.setdefault(key, []).append(user_id)
        if users:
            self.put(User, USER_COLUMNS, iter(users))
            self.put(RoleAssignment, ["created_at", "updated_at", "user_id", "role"], iter(roles))
        return drawn

    # Job starts, job coaching and retention checks -----------------------------------------
    def job_coaching(self) -> None:
        """A job start for every trajectory ended in work (status employed, and a third of the
        closed ones); job coaching for 60 % of those, by a job coach of the office (one per 20
        coachings running, the demo's job coach at VDAB Gent among them), from a few days after
        the start for six months (DOMAIN.md §2.6); retention checks at 1, 3 and 6 months,
        answered when due more than ten days ago (85 % still in the job)."""
        from tandem.trajectories.models import JobCoaching, JobStart, RetentionCheck

        rng, out = self.rng, self.out
        employers = self.ctx.employers
        if not employers:
            return
        first_job = out.first_id(JobStart)
        jobs: list[tuple[Any, ...]] = []
        coachings: list[tuple[int, str, dt.date]] = []  # (job index, province, started)
        for tid, index, status, start, end, _duo in self.trajs:
            if status != "employed" and not (status == "closed" and rng.random() < 1 / 3):
                continue
            last = end or TODAY - dt.timedelta(days=1)
            started = _day(min(start + dt.timedelta(days=60), last), last, rng)
            created = out.ts(_at(started, rng))
            jobs.append(
                (
                    first_job + len(jobs),
                    created,
                    created,
                    tid,
                    rng.choice(employers),
                    started,
                    rng.choice(CONTRACTS),
                    rng.choice(JOBS),
                    None,
                    self.lead[tid],
                )
            )
            if rng.random() < 0.6:
                coachings.append((len(jobs) - 1, self.people[index][1], started))
        running: dict[str, int] = {}
        for _j, province, started in coachings:
            if started + dt.timedelta(days=190) >= TODAY:
                running[province] = running.get(province, 0) + 1
        demo_coach = self.ctx.users.get(str(Role.JOB_COACH))
        pools: dict[str, list[int]] = {}
        if demo_coach is not None:
            pools[Province.OOST_VLAANDEREN] = [demo_coach.pk]
        drawn = self._draw(
            Role.JOB_COACH.value,
            {p: self.ctx.office[p].pk for p, _ in PROVINCES},
            {
                p: max(0, -(-running.get(p, 0) // 20) - len(pools.get(p, [])))
                or (0 if pools.get(p) else 1)
                for p, _ in PROVINCES
            },
        )
        for province, ids in drawn.items():
            pools.setdefault(province, []).extend(ids)
        self.put(
            JobStart,
            [
                "id",
                "created_at",
                "updated_at",
                "trajectory_id",
                "employer_id",
                "started_on",
                "contract_type",
                "job_title",
                "ended_on",
                "recorded_by_id",
            ],
            iter(jobs),
        )

        def coaching_rows() -> Iterator[tuple[Any, ...]]:
            for job, province, started in coachings:
                begin = started + dt.timedelta(days=rng.randint(3, 14))
                ends = begin + dt.timedelta(days=182)
                created = out.ts(_at(begin, rng))
                yield (
                    created,
                    created,
                    first_job + job,
                    rng.choice(pools[province]),
                    started,
                    jobs[job][9],
                    begin,
                    ends,
                    ends if ends < TODAY - dt.timedelta(days=30) else None,
                )

        self.put(
            JobCoaching,
            [
                "created_at",
                "updated_at",
                "job_start_id",
                "coach_id",
                "employer_consent_on",
                "consent_recorded_by_id",
                "started_on",
                "ends_on",
                "closed_on",
            ],
            coaching_rows(),
        )

        def checks() -> Iterator[tuple[Any, ...]]:
            for n, job in enumerate(jobs):
                started = job[5]
                for month, days in ((1, 30), (3, 91), (6, 182)):
                    due = started + dt.timedelta(days=days)
                    done = due <= TODAY - dt.timedelta(days=10)
                    created = out.ts(_at(started, rng))
                    yield (
                        created,
                        created,
                        first_job + n,
                        month,
                        due,
                        min(due + dt.timedelta(days=rng.randint(0, 5)), TODAY) if done else None,
                        out.bool(rng.random() < 0.85) if done else None,
                        "",
                    )

        self.put(
            RetentionCheck,
            [
                "created_at",
                "updated_at",
                "job_start_id",
                "month",
                "due_on",
                "checked_on",
                "still_employed",
                "note",
            ],
            checks(),
        )

    # Requests for an experience expert ----------------------------------------------------
    def expert_requests(self) -> None:
        """A request for an experience expert on 5 % of the trajectories past intake (the
        demo asks now and then, ``demo.trajectories.demo_active``): those of the open ones
        waiting or accepted, of the ended ones done or declined. An expert per 30 requests of
        the last year at each office, the demo's at VDAB Gent among them."""
        from tandem.trajectories.models import ExpertSupportRequest

        rng, out = self.rng, self.out
        picked = [t for t in self._worked() if rng.random() < 0.05]
        recent: dict[str, int] = {}
        for _tid, index, _status, start, _end, _duo in picked:
            if start >= TODAY - dt.timedelta(days=365):
                province = self.people[index][1]
                recent[province] = recent.get(province, 0) + 1
        demo_expert = self.ctx.users.get(str(Role.EXPERIENCE_EXPERT))
        pools: dict[str, list[int]] = {}
        if demo_expert is not None:
            pools[Province.OOST_VLAANDEREN] = [demo_expert.pk]
        drawn = self._draw(
            Role.EXPERIENCE_EXPERT.value,
            {p: self.ctx.office[p].pk for p, _ in PROVINCES},
            {
                p: max(0, -(-recent.get(p, 0) // 30) - len(pools.get(p, [])))
                or (0 if pools.get(p) else 1)
                for p, _ in PROVINCES
            },
        )
        for province, ids in drawn.items():
            pools.setdefault(province, []).extend(ids)

        def rows() -> Iterator[tuple[Any, ...]]:
            for tid, index, _status, start, end, _duo in picked:
                asked = _day(start, end or TODAY - dt.timedelta(days=1), rng)
                if end is None:
                    state = "requested" if asked >= TODAY - dt.timedelta(days=21) else "accepted"
                else:
                    state = "done" if rng.random() < 0.85 else "declined"
                expert = rng.choice(pools[self.people[index][1]]) if state != "requested" else None
                created = out.ts(_at(asked, rng))
                answered = min(asked + dt.timedelta(days=rng.randint(1, 10)), TODAY)
                yield (
                    created,
                    out.ts(_at(answered, rng)) if expert else created,
                    rng.choice(EXPERT_QUESTIONS),
                    state,
                    expert,
                    self.lead[tid],
                    tid,
                    None,
                )

        self.put(
            ExpertSupportRequest,
            [
                "created_at",
                "updated_at",
                "question",
                "status",
                "expert_id",
                "requested_by_id",
                "trajectory_id",
                "enrolment_id",
            ],
            rows(),
        )

    # The offices' intake queues -----------------------------------------------------------
    def intakes(self) -> None:
        """Who was sent to the office: an intake item for every trajectory of the last year
        (taken for its lead mediator a working day or two after it came), and for 0.5 % of
        the persons without a trajectory an item still waiting (a quarter urgent) or sent
        back. Senders: the service line (screening, two in three) and the outreach worker
        (outreach), the demo's; the sender's organisation is assigned to the person, as
        sending them does (``demo.intake``)."""
        from tandem.registry.intake.models import Intake, IntakeStatusChange

        rng, out = self.rng, self.out
        line = self.ctx.users.get(str(Role.SERVICE_LINE))
        if line is None:
            return
        orgs_of = dict(
            User.objects.filter(organisation__isnull=False).values_list("pk", "organisation_id")
        )
        first = out.first_id(Intake)
        items: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        assigned: list[tuple[Any, ...]] = []
        with_trajectory = {index for _t, index, *_rest in self.trajs}
        chosen: list[tuple[int, dt.date, str, int | None]] = []
        for tid, index, _status, start, _end, _duo in self.trajs:
            if start >= TODAY - dt.timedelta(days=365):
                chosen.append(
                    (index, start - dt.timedelta(days=rng.randint(2, 20)), "taken", self.lead[tid])
                )
        for index in range(len(self.people)):
            # Registered by outreach: one in ten sent on to the office and still waiting.
            share = 0.1 if index in self.via_outreach else 0.005
            if index not in with_trajectory and rng.random() < share:
                state = "waiting" if rng.random() < 0.8 else "sent_back"
                came = TODAY - dt.timedelta(days=rng.randint(0, 20))
                chosen.append((index, came, state, None))
        for index, came, state, assignee in chosen:
            pid, province, *_rest = self.people[index]
            via = self.via_outreach.get(index)
            if via is not None:  # the outreach worker who registered them sent them
                sender, organisation, source = via[2], orgs_of.get(via[2]), "outreach"
            else:  # screened by the service line
                sender, organisation, source = line.pk, line.organisation_id, "screening"
            iid = first + len(items)
            at = _at(came, rng)
            decided = at + dt.timedelta(days=rng.randint(1, 3)) if state != "waiting" else None
            mediator = assignee or rng.choice(self.mediators[province])
            items.append(
                (
                    iid,
                    out.ts(at),
                    out.ts(decided or at),
                    self.uid(),
                    source,
                    "",
                    rng.choice(INTAKE_NOTES),
                    "urgent" if rng.random() < 0.25 else "normal",
                    state,
                    out.ts(decided) if decided else None,
                    "Woont buiten onze regio: meld aan bij het kantoor van de woonplaats."
                    if state == "sent_back"
                    else "",
                    assignee,
                    mediator if decided else None,
                    None,
                    self.ctx.office[province].pk,
                    pid,
                    sender,
                    organisation,
                )
            )
            if decided:
                stamp = out.ts(decided)
                changes.append((stamp, stamp, iid, "waiting", state, mediator, ""))
            assigned.append(
                (out.ts(at), out.ts(at), pid, organisation, sender, "Doorverwezen naar het kantoor")
            )
        self.put(
            Intake,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "source",
                "source_ref",
                "note",
                "urgency",
                "status",
                "decided_at",
                "reason",
                "assignee_id",
                "decided_by_id",
                "forwarded_to_id",
                "office_id",
                "person_id",
                "sender_id",
                "sender_organisation_id",
            ],
            iter(items),
        )
        self.put(
            IntakeStatusChange,
            [
                "created_at",
                "updated_at",
                "intake_id",
                "from_status",
                "to_status",
                "by_id",
                "reason",
            ],
            iter(changes),
        )
        seen = set()
        unique = []
        for row in assigned:
            if (row[2], row[3]) not in seen and row[3] is not None:
                seen.add((row[2], row[3]))
                unique.append(row)
        self.put(
            PersonAssignment,
            [
                "created_at",
                "updated_at",
                "person_id",
                "organisation_id",
                "assigned_by_id",
                "reason",
            ],
            iter(unique),
        )

    # Outreach: people met at find places, some registered --------------------------------
    def outreach(self) -> None:
        from tandem.outreach.models import ContactMoment, Prospect

        rng, out = self.rng, self.out
        if not self.ctx.find_places:
            return
        first = out.first_id(Prospect)
        prospects: list[tuple[Any, ...]] = []
        moments: list[tuple[Any, ...]] = []
        # The persons the outreach workers registered first, then as many met but not (yet)
        # registered.
        linked = sorted(self.via_outreach.items())
        for n in range(max(len(self.people) // 25, len(linked))):
            person = None
            if n < len(linked):
                index, (org_id, place_id, worker) = linked[n]
                person = self.people[index][0]
            else:
                org_id, place_id, worker = rng.choice(self.ctx.find_places)
            met = _day(dt.date(FIRST_YEAR, 1, 1), TODAY, rng)
            converted = (met + dt.timedelta(days=30)) if person else None
            pid = first + n
            created = out.ts(_at(met, rng))
            prospects.append(
                (
                    pid,
                    created,
                    created,
                    self.uid(),
                    org_id,
                    worker,
                    f"Bezoeker {n + 1}",
                    rng.randint(18, 64),
                    '["nl"]',
                    "Zoekt werk",
                    None,
                    person,
                    converted,
                )
            )
            for k in range(rng.randint(1, 3)):
                on = met + dt.timedelta(days=10 * k)
                moments.append((created, created, pid, on, place_id, worker, ""))
        self.put(
            Prospect,
            [
                "id",
                "created_at",
                "updated_at",
                "public_id",
                "organisation_id",
                "created_by_id",
                "nickname",
                "approximate_age",
                "languages",
                "need",
                "project_id",
                "person_id",
                "converted_on",
            ],
            iter(prospects),
        )
        self.put(
            ContactMoment,
            ["created_at", "updated_at", "prospect_id", "on", "place_id", "by_id", "note"],
            iter(moments),
        )

    # Labour-market status events (the outcome source) ------------------------------------
    def status_events(self) -> None:
        from tandem.outcomes.models import StatusEvent

        rng = self.rng
        months = (TODAY.year - FIRST_YEAR) * 12

        def rows() -> Iterator[tuple[Any, ...]]:
            for pid, *_rest in self.people:
                for m in sorted(rng.sample(range(months), 5)):
                    yield (
                        pid,
                        dt.date(FIRST_YEAR + m // 12, m % 12 + 1, 1),
                        rng.choice(LABOUR_STATUSES),
                        "scale",
                    )

        self.put(StatusEvent, ["person_id", "date", "status", "source"], rows())

    # The access log: who read whose file ---------------------------------------------------
    def access_log(self) -> None:
        from tandem.audit.models import AccessLog

        rng, out = self.rng, self.out
        # Who reads a person's file: the mediators and welfare partners of their province.
        readers = {
            p: [(m, "mediator", self.ctx.office[p].pk) for m in self.mediators[p]]
            + [
                (w, "welfare_partner", self.ctx.welfare[p].organisation_id)
                for w in self.partners[p]
            ]
            for p, _ in PROVINCES
        }
        start = dt.datetime(TODAY.year - 2, TODAY.month, 1)
        span = int((self.now - start).total_seconds())

        # The largest table: ``random()`` (C) indexes the lists, cheaper than ``choice``.
        draw, ts, second = rng.random, out.ts, dt.timedelta(seconds=1)
        kinds = len(ACCESS_WHAT)

        def rows() -> Iterator[tuple[Any, ...]]:
            for pid, province, *_rest in self.people:
                options = readers[province]
                size = len(options)
                for _n in range(self.access_per_person):
                    user, roles, org = options[int(draw() * size)]
                    yield (
                        ts(start + second * int(draw() * span)),
                        user,
                        roles,
                        org,
                        pid,
                        ACCESS_WHAT[int(draw() * kinds)],
                        "case work",
                        None,
                        "",
                        "",
                    )

        self.put(
            AccessLog,
            [
                "at",
                "user_id",
                "roles",
                "organisation_id",
                "person_id",
                "what",
                "purpose",
                "ip_address",
                "person_pseudonym",
                "user_pseudonym",
            ],
            rows(),
        )
