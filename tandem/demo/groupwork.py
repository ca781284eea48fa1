"""Demo group work (DOMAIN.md §2.5 and §8), so the programmes, groups, the coach's inbox and the
mediator's trajectory pages look lived-in.

For each of the five call-478 projects a programme of its promoter, in its province, with three
to five modules and coaches. The project period (1 August 2020 to the end of 2022) is played
through the services in date order: rolling intake moments per module, about 700 enrolments of
the trajectories that were open in those years (requests, decisions, the waiting list,
attendance per session with drop-out signals, completion and leaving, the coach's observations
and POP input, a few network maps). Then the present, beyond the project period: in every
programme a group that started a few weeks ago and intake moments in the coming months, with
people placed, on the waiting list and requests waiting for the coach's decision.

``seed_group_work(rng)`` runs after the demo trajectories; only on a database without
programmes. The same trajectories and seed give the same group work.
"""

from __future__ import annotations

import copy
import datetime as dt
import heapq
import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from tandem.accounts.models import Organisation, Role, User
from tandem.accounts.services import user_create
from tandem.groupwork import services
from tandem.groupwork.enrolment import follow_up
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import (
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    LeaveReason,
    Module,
    Programme,
    Theme,
)
from tandem.groupwork.networkmap.services import network_map_save
from tandem.programmes.funding.services import funding_exception_record
from tandem.programmes.models import Funded, Project
from tandem.programmes.services import project_upsert
from tandem.trajectories.models import (
    ClosureReason,
    Perspective,
    Status,
    Trajectory,
    TrajectoryType,
)

S = EnrolmentStatus
# The project period of call 478: requests from August 2020, the last groups end before
# Christmas 2022; whoever still waits then leaves the list.
REQUESTS_FROM = dt.date(2020, 8, 17)
REQUESTS_UNTIL = dt.date(2022, 10, 31)
FIRST_GROUPS = dt.date(2020, 9, 7)
LAST_SESSION = dt.date(2022, 12, 16)
PROJECT_END = dt.date(2022, 12, 23)
# How often a module starts a new group follows from how many ask for it: a group is about
# 80 % full on average, a module starts one every 6 to 22 weeks (the programme, with its
# three to five modules, every few weeks: rolling intake).
FILL = 0.8
MAX_WEEKS = 22
SLOTS = [
    (dt.time(9, 30), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(16, 0)),
    (dt.time(9, 0), dt.time(11, 30)),
    (dt.time(13, 0), dt.time(15, 30)),
    (dt.time(10, 0), dt.time(12, 30)),
]


@dataclass(frozen=True)
class ModuleSpec:
    name: str
    theme: str
    sessions: int
    description: str
    capacity: int | None = None
    # How often mediators ask for it, relative to the others.
    weight: float = 1.0


SELF = ModuleSpec(
    "Wie ben ik?",
    Theme.SELF_INSIGHT,
    6,
    "Zicht krijgen op je sterktes, op wat je belangrijk vindt en op wat je wilt bereiken.",
    weight=1.6,
)
NETWORK = ModuleSpec(
    "Mijn netwerk",
    Theme.SOCIAL_NETWORK,
    5,
    "Samen je netwerk in kaart brengen: wie staat rond je, op wie kun je rekenen, wie "
    "kost je energie?",
    weight=1.2,
)
BUDGET = ModuleSpec(
    "Rondkomen met mijn budget",
    Theme.BUDGET,
    4,
    "Inkomsten en uitgaven op een rij, facturen plannen, premies en sociale voordelen kennen.",
)
JOBS = ModuleSpec(
    "Op zoek naar werk",
    Theme.JOB_SEARCH,
    8,
    "Een cv maken, vacatures lezen, sollicitatiegesprekken oefenen en een bedrijfsbezoek.",
)
DIGITAL = ModuleSpec(
    "Digitaal aan de slag",
    Theme.DIGITAL_SKILLS,
    6,
    "E-mail, Mijn VDAB, itsme en online formulieren: stap voor stap, op je eigen smartphone.",
    weight=0.8,
)
LANGUAGE = ModuleSpec(
    "Nederlands op de werkvloer",
    Theme.LANGUAGE,
    10,
    "Oefenen met het Nederlands dat je op het werk nodig hebt, in een kleine groep.",
    capacity=6,
    weight=0.8,
)
RESILIENCE = ModuleSpec(
    "Sterk in mijn schoenen",
    Theme.RESILIENCE,
    6,
    "Omgaan met stress en tegenslag, je grenzen aangeven en zelfvertrouwen opbouwen.",
)
TASTE_WORK = ModuleSpec(
    "Proeven van werk",
    Theme.WORK_EXPERIENCE,
    4,
    "Bedrijfsbezoeken en korte snuffelstages om een sector van dichtbij te leren kennen.",
    weight=0.8,
)


@dataclass(frozen=True)
class ProgrammeSpec:
    project: str
    places: tuple[str, str]
    # (username, first name, last name) of the coaches made for the demo (no login).
    coaches: tuple[tuple[str, str, str], ...]
    modules: tuple[ModuleSpec, ...]
    # The module that has a group running today, the one with a waiting list today.
    running: ModuleSpec = NETWORK
    full: ModuleSpec | None = None
    dropout_after: int | None = None
    # Sofie Claes, the demo group coach, coaches here (and meets the demo mediator in Gent).
    demo_coach: bool = False


PROGRAMMES = [
    ProgrammeSpec(
        "esf478-wvl",
        ("Groep Intro Brugge, groepslokaal", "Buurthuis Kortrijk"),
        (("coach_wvl_1", "Ruben", "Desmet"), ("coach_wvl_2", "Hanne", "Vandamme")),
        (SELF, NETWORK, JOBS, DIGITAL),
    ),
    ProgrammeSpec(
        "esf478-ovl",
        ("Groep Intro Gent, lokaal Dampoort", "Dienstencentrum Aalst"),
        (("coach_ovl_1", "Bram", "De Clercq"),),
        (SELF, NETWORK, BUDGET, LANGUAGE, JOBS),
        full=LANGUAGE,
        demo_coach=True,
    ),
    ProgrammeSpec(
        "esf478-lim",
        ("Groep Intro Hasselt, lokaal De Brug", "Sociaal Huis Genk"),
        (("coach_lim_1", "Lien", "Claesen"), ("coach_lim_2", "Tom", "Vanderheyden")),
        (SELF, NETWORK, RESILIENCE),
    ),
    ProgrammeSpec(
        "esf478-vbr",
        ("Groep Intro Leuven, groepsruimte", "Sociaal Huis Vilvoorde"),
        (("coach_vbr_1", "Nele", "Goossens"),),
        (SELF, NETWORK, BUDGET, DIGITAL),
    ),
    ProgrammeSpec(
        "esf478-ant",
        ("Randstad Antwerpen, opleidingsruimte", "Wijkcentrum Mechelen"),
        (("coach_ant_1", "Sarah", "Van den Broeck"), ("coach_ant_2", "Mohamed", "Benali")),
        (SELF, NETWORK, JOBS, TASTE_WORK),
        dropout_after=4,
    ),
]

REQUEST_NOTES = [
    "Kan enkel tijdens de schooluren.",
    "Spreekt Frans en een beetje Nederlands; begrijpt meer dan ze zegt.",
    "Heeft geen eigen vervoer; de groep in de stad is met de bus te doen.",
    "Werkt 's ochtends als poetshulp (interim), dus liefst een namiddaggroep.",
    "Wil graag andere mensen ontmoeten die ook werk zoeken.",
    "Leest en schrijft moeilijk; graag mondeling uitleggen.",
]
DECLINE_NOTES = [
    "Nederlands nog te beperkt voor deze groep; eerst NT2-les, daarna opnieuw aanvragen.",
    "Het uurrooster valt samen met de opleiding die ze volgt.",
    "Woont te ver van de groepslocatie en het vervoer is niet geregeld.",
    "Deze module past niet bij de vraag; beter eerst 'Wie ben ik?'.",
]
NOTES = [
    "Neemt actief deel aan de groepsgesprekken en helpt anderen op weg.",
    "Was in het begin stil; durft nu meer het woord te nemen.",
    "Komt altijd op tijd en vraagt of er een vervolgmodule is.",
    "Heeft moeite met de vroege start door de schooluren van de kinderen; we zoeken samen "
    "een oplossing.",
    "Werkt graag met de handen; toonde interesse voor de logistiek tijdens het bedrijfsbezoek.",
    "Heeft het cv afgewerkt en wil het met de bemiddelaar bespreken.",
    "Mist soms een sessie zonder te verwittigen; graag bespreken bij het volgende gesprek.",
    "Brengt veel werkervaring mee uit het land van herkomst en zoekt hoe die hier te gebruiken.",
]
JOB_TARGETS = [
    "Magazijnier",
    "Schoonmaker",
    "Keukenhulp",
    "Winkelbediende",
    "Groenarbeider",
    "Kinderbegeleider in opleiding",
    "Productiemedewerker",
    "",
]
WORK_PLANS = [
    "Sollicitatietraining volgen.\nEen snuffelstage in de logistiek.",
    "Cv afwerken met de bemiddelaar.\nTwee vacatures per week bespreken.",
    "Opleiding heftruckchauffeur bekijken.\nInschrijven bij een interimkantoor.",
    "Eerst Nederlands oefenen in een taalcafé; daarna een opleiding kiezen.",
]
WELFARE_PLANS = [
    "Kinderopvang regelen voor de dagen van de opleiding.",
    "Budgetbegeleiding verder opvolgen.",
    "Vaker naar het buurtcentrum gaan om mensen te ontmoeten.",
    "",
]
STRENGTHS = [
    "Doorzetter, helpt anderen spontaan.",
    "Goed georganiseerd, houdt van structuur.",
    "Creatief en praktisch; werkt graag in team.",
    "Rustig en betrouwbaar; luistert goed.",
]
# Why people leave a group along the way (with the note the coach writes).
MIDWAY = [
    (LeaveReason.WORK, "Start als productiemedewerker via interim."),
    (LeaveReason.WORK, "Heeft een deeltijdse job in een winkel gevonden."),
    (LeaveReason.TRAINING, "Start met een opleiding bij VDAB."),
    (LeaveReason.CARE, "Zorgt een tijd voor een familielid."),
    (LeaveReason.MOVED, "Verhuisd naar een andere provincie."),
    (LeaveReason.HEALTH, ""),
    (LeaveReason.NOT_SUITABLE, "Voelt zich niet thuis in een groep; liever individueel."),
]
WAITING_GIVES_UP = [
    (LeaveReason.TRAINING, "Start intussen met een opleiding."),
    (LeaveReason.WORK, "Heeft intussen werk gevonden."),
    (LeaveReason.OTHER, "Wacht liever op een groep dichter bij huis."),
]
BY_CLOSURE: dict[str, tuple[str, str]] = {
    ClosureReason.WORK_REGULAR: (LeaveReason.WORK, ""),
    ClosureReason.WORK_SOCIAL_ECONOMY: (LeaveReason.WORK, "Aan de slag in een maatwerkbedrijf."),
    ClosureReason.TRAINING: (LeaveReason.TRAINING, ""),
    ClosureReason.WORK_CARE: (LeaveReason.NOT_SUITABLE, "Overgestapt naar een werk-zorgtraject."),
    ClosureReason.DROPPED_OUT: (LeaveReason.DROPPED_OUT, ""),
    ClosureReason.MOVED_AWAY: (LeaveReason.MOVED, ""),
}
CLOSED_OTHERWISE = (LeaveReason.OTHER, "Het traject werd afgesloten.")
TIES = [
    ("Zus", "person", "family", 3, False),
    ("Moeder", "person", "family", 2, False),
    ("Ex-partner", "person", "family", 1, True),
    ("Buurvrouw", "person", "friends", 2, False),
    ("Vriendin van de school", "person", "friends", 2, False),
    ("Voetbalclub", "organisation", "work_school", 1, False),
    ("Taalcafé", "organisation", "work_school", 2, False),
    ("OCMW", "organisation", "professional", 2, False),
    ("VDAB-bemiddelaar", "person", "professional", 3, False),
    ("Huisarts", "person", "professional", 2, False),
]
# Ties that group work brings: people from the group, places to go.
NEW_TIES = [
    ("Buddy uit de groep", "person", "friends", 2),
    ("Groepsbegeleider", "person", "professional", 2),
    ("Buurtcentrum", "organisation", "work_school", 1),
    ("Vrijwilligerswerk kringloopwinkel", "organisation", "work_school", 2),
    ("Budgetbegeleider OCMW", "person", "professional", 2),
]


def seed_group_work(rng: random.Random) -> tuple[int, int, int]:
    """The programmes with their history and present; only on a database that has none.
    Return how many programmes, modules and enrolments were made."""
    if Programme.objects.exists():
        return 0, 0, 0
    projects = {
        p.code: p
        for p in Project.objects.filter(code__in=[s.project for s in PROGRAMMES]).select_related(
            "promoter"
        )
    }
    today = timezone.localdate()
    demo_coach = User.objects.filter(username="demo_group_coach").first()
    own_projects: dict[int, Project] = {}
    made = 0
    for spec in PROGRAMMES:
        project = projects.get(spec.project)
        if project is None:
            continue
        coaches = _coaches(spec, project, demo_coach)
        programme = services.programme_save(
            acting_user=None,
            project=project,
            name=project.name,
            province=project.province,
            coaches=coaches,
            dropout_after=spec.dropout_after,
            description=(
                f"Groepsluik van {project.promoter.name} naast de werk-welzijnsbemiddeling "
                "(ESF-oproep 478): modulair, in kleine groepen, met instroom verspreid over "
                "het jaar."
            ),
        )
        modules = {
            module_spec: services.module_save(
                acting_user=None,
                programme=programme,
                name=module_spec.name,
                theme=module_spec.theme,
                session_count=module_spec.sessions,
                capacity=module_spec.capacity,
                description=module_spec.description,
            )
            for module_spec in spec.modules
        }
        world = _World(spec, programme, modules, coaches, rng, today)
        world.history()
        # Call 478 ended with 2022 (sources 000, 004): its programmes take no one any more.
        # Today's groups run in the promoter's own programme, outside any call (issue 17).
        for module in modules.values():
            services.module_save(
                acting_user=None,
                programme=programme,
                module=module,
                name=module.name,
                theme=module.theme,
                session_count=module.session_count,
                capacity=module.capacity,
                description=module.description,
                is_active=False,
            )
        own = own_projects.get(project.promoter_id) or _own_project(project.promoter)
        own_projects[project.promoter_id] = own
        today_programme = services.programme_save(
            acting_user=None,
            project=own,
            name=f"Groepswerk {project.promoter.name} – {project.get_province_display()}",
            province=project.province,
            coaches=coaches,
            dropout_after=spec.dropout_after,
            description=(
                f"Groepsluik van {project.promoter.name} naast de werk-welzijnsbemiddeling na "
                "ESF-oproep 478, met eigen middelen: modulair, in kleine groepen."
            ),
        )
        today_modules = {
            module_spec: services.module_save(
                acting_user=None,
                programme=today_programme,
                name=module_spec.name,
                theme=module_spec.theme,
                session_count=module_spec.sessions,
                capacity=module_spec.capacity,
                description=module_spec.description,
            )
            for module_spec in spec.modules
        }
        _World(spec, today_programme, today_modules, coaches, rng, today).present()
        made += 1
    modules_made = Module.objects.count()
    return made, modules_made, Enrolment.objects.count()


# The promoters' own group work after call 478 (not in the sources: the demo's present needs
# groups, and call 478 funds none after 2022). A project without a call: only its period
# applies (``programmes.rules.funding_refusal``).
OWN_FROM, OWN_UNTIL = dt.date(2023, 1, 1), dt.date(2029, 12, 31)


def _own_project(promoter: Organisation) -> Project:
    return project_upsert(
        acting_user=None,
        code=f"groepswerk-{promoter.code}",
        name=f"Groepswerk {promoter.name} (eigen middelen)",
        promoter=promoter,
        start_date=OWN_FROM,
        end_date=OWN_UNTIL,
        budget=Decimal(0),
        description=(
            "Demo: de groepen na ESF-oproep 478, zonder oproep. Niet uit de bronnen; het "
            "budget is onbekend."
        ),
    )


def _coaches(spec: ProgrammeSpec, project: Project, demo_coach: User | None) -> list[User]:
    coaches = [demo_coach] if spec.demo_coach and demo_coach is not None else []
    for username, first, last in spec.coaches:
        user = User.objects.filter(username=username).first() or user_create(
            acting_user=None,
            username=username,
            organisation=project.promoter,
            roles=[Role.GROUP_COACH],
            first_name=first,
            last_name=last,
            password=None,  # no login: demo colleagues of the demo coach
        )
        coaches.append(user)
    return coaches


def _weekday_from(day: dt.date, weekday: int) -> dt.date:
    """The first ``weekday`` on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _after_holidays(day: dt.date, weekday: int) -> dt.date:
    """No group starts in the Christmas holidays: it starts the week after."""
    if (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 3):
        year = day.year + 1 if day.month == 12 else day.year
        return _weekday_from(dt.date(year, 1, 4), weekday)
    return day


def _weekday_until(day: dt.date, weekday: int) -> dt.date:
    """The last ``weekday`` on or before ``day``."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _then(trajectory: Trajectory) -> Trajectory:
    """The trajectory as it was while group work ran. The services check today's state (a
    closed trajectory takes no requests); the demo writes what happened while it was open."""
    if trajectory.is_open:
        return trajectory
    then = copy.copy(trajectory)
    then.status = Status.ACTIVE
    return then


@dataclass
class _Track:
    """One enrolment as the demo plays it."""

    enrolment: Enrolment
    trajectory: Trajectory
    spec: ModuleSpec
    profile: str = "steady"
    absent_from: int = 99
    pending_leave: bool = False
    maps: bool = False
    ties: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.enrolment.status


@dataclass
class _Group:
    intake: IntakeMoment
    coach: User
    sessions: list[GroupSession]
    members: list[_Track] = field(default_factory=list)


class _World:
    """One programme's group work, played in date order through the services."""

    def __init__(
        self,
        spec: ProgrammeSpec,
        programme: Programme,
        modules: dict[ModuleSpec, Module],
        coaches: Sequence[User],
        rng: random.Random,
        today: dt.date,
    ) -> None:
        self.spec = spec
        self.programme = programme
        self.modules = modules
        self.coaches = list(coaches)
        self.lead = self.coaches[0]
        self.rng = rng
        self.today = today
        self.groups: dict[int, _Group] = {}
        self.waiting: dict[ModuleSpec, list[_Track]] = defaultdict(list)
        self._queue: list[tuple[dt.date, int, int, Callable[..., object], tuple[Any, ...]]] = []
        self._seq = itertools.count()
        self._coach_turn = itertools.cycle(self.coaches)

    def _e(self, track: _Track) -> Enrolment:
        """The enrolment with its module and trajectory at hand: saves the services queries."""
        enrolment = track.enrolment
        enrolment.module = self.modules[track.spec]
        enrolment.trajectory = _then(track.trajectory)
        return enrolment

    # --- the event queue ---------------------------------------------------------------------

    def at(self, day: dt.date, priority: int, action: Callable[..., object], *args: Any) -> None:
        """Do ``action(day, *args)`` on ``day``; on the same day in order of ``priority``."""
        heapq.heappush(self._queue, (day, priority, next(self._seq), action, args))

    def run(self) -> None:
        while self._queue:
            day, _priority, _seq, action, args = heapq.heappop(self._queue)
            action(day, *args)

    # --- the project period --------------------------------------------------------------------

    def history(self) -> None:
        rng = self.rng
        plans = self._requests() + self._excepted()
        demand: dict[ModuleSpec, int] = defaultdict(int)
        for _day, _trajectory, module_spec in plans:
            demand[module_spec] += 1
        weeks = (REQUESTS_UNTIL - REQUESTS_FROM).days / 7
        for index, module_spec in enumerate(self.spec.modules):
            capacity = self.modules[module_spec].capacity
            rate = max(demand[module_spec], 1) / weeks
            every = min(MAX_WEEKS, max(6, round(capacity * FILL / rate)))
            weekday = index % 5
            start = _weekday_from(
                FIRST_GROUPS + dt.timedelta(days=rng.randint(0, every * 7 // 2)), weekday
            )
            planned_on = dt.date(2020, 8, 3)
            while start + dt.timedelta(weeks=module_spec.sessions - 1) <= LAST_SESSION:
                self.at(
                    planned_on,
                    0,
                    self._plan_on,
                    module_spec,
                    _after_holidays(start, weekday),
                    index,
                )
                # The next group is announced when this one starts.
                planned_on, start = start, start + dt.timedelta(weeks=every)
        for day, trajectory, module_spec in plans:
            self.at(day, 1, self._request, trajectory, module_spec)
        self.at(PROJECT_END, 9, self._close_waiting_lists)
        self.run()

    def _requests(self) -> list[tuple[dt.date, Trajectory, ModuleSpec]]:
        """Who asks for which module when: the trajectories of the province that were open in
        the project period (the project's own and the others), one to three modules each."""
        rng = self.rng
        plans = []
        trajectories = (
            Trajectory.objects.filter(
                person__province=self.programme.province,
                # Call 478 funds group work for W² participants only (issue 17).
                type=TrajectoryType.W2,
                start_date__lte=REQUESTS_UNTIL,
                lead_mediator__isnull=False,
            )
            .select_related("person", "lead_mediator", "project")
            .order_by("pk")
        )
        for trajectory in trajectories:
            first = max(trajectory.start_date + dt.timedelta(days=14), REQUESTS_FROM)
            # Not in the last days of the trajectory: it would end before the decision.
            last = min(trajectory.end_date or self.today, REQUESTS_UNTIL) - dt.timedelta(days=10)
            if (last - first).days < 21:
                continue
            in_project = trajectory.project_id == self.programme.project_id
            # One to three modules: more for the project's own people and for those who had
            # the time (the whole project period or a good part of it).
            weights = {
                (True, True): [5, 20, 75],
                (True, False): [15, 40, 45],
                (False, True): [10, 30, 60],
                (False, False): [25, 40, 35],
            }[in_project, (last - first).days >= 180]
            count = rng.choices([1, 2, 3], weights=weights)[0]
            chosen: list[ModuleSpec] = []
            if SELF in self.spec.modules and rng.random() < 0.55:
                chosen.append(SELF)
            while len(chosen) < min(count, len(self.spec.modules)):
                rest = [m for m in self.spec.modules if m not in chosen]
                chosen.append(rng.choices(rest, weights=[m.weight for m in rest])[0])
            day = first + dt.timedelta(days=rng.randint(0, min(45, (last - first).days // 3)))
            for module_spec in chosen:
                if day > last:
                    break
                plans.append((day, trajectory, module_spec))
                day += dt.timedelta(days=rng.randint(21, 100))
        return plans

    def _excepted(self) -> list[tuple[dt.date, Trajectory, ModuleSpec]]:
        """In Oost-Vlaanderen one work-and-care participant joins a group all the same: the
        programme manager recorded a justified exception first (issue 17). No random draw, so
        the rest of the demo stays as it was."""
        manager = User.objects.filter(username="demo_programme_manager").first()
        if not self.spec.demo_coach or manager is None:
            return []
        day = dt.date(2021, 3, 15)
        trajectory = (
            Trajectory.objects.filter(
                person__province=self.programme.province,
                type=TrajectoryType.WORK_CARE,
                start_date__lte=day - dt.timedelta(days=30),
                lead_mediator__isnull=False,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day + dt.timedelta(days=180)))
            .select_related("person", "lead_mediator", "project")
            .order_by("pk")
            .first()
        )
        if trajectory is None:
            return []
        funding_exception_record(
            acting_user=manager,
            project=self.programme.project,
            trajectory=trajectory,
            kind=Funded.GROUP_WORK,
            reason=(
                "Werk-zorgdeelnemer die naar een W²-traject doorstroomt; de groep 'Wie ben "
                "ik?' maakt deel uit van die overstap. Akkoord van de ESF-beheerder, stuurgroep "
                "van 8 maart 2021."
            ),
        )
        return [(day, trajectory, SELF)]

    def _plan_on(self, day: dt.date, module_spec: ModuleSpec, start: dt.date, index: int) -> None:
        self._plan(module_spec, start, index)

    def _plan(
        self, module_spec: ModuleSpec, start: dt.date, index: int, coach: User | None = None
    ) -> _Group:
        coach = coach or next(self._coach_turn)
        starts_at, ends_at = SLOTS[index % len(SLOTS)]
        intake = enrolment_services.intake_plan(
            acting_user=coach,
            module=self.modules[module_spec],
            starts_on=start,
            starts_at=starts_at,
            ends_at=ends_at,
            place=self.spec.places[index % 2],
            coach=coach,
        )
        sessions = list(intake.sessions.order_by("number"))
        for session in sessions:
            session.intake = intake  # with its module and programme at hand for the services
        group = _Group(intake=intake, coach=coach, sessions=sessions)
        self.groups[intake.pk] = group
        for session in group.sessions:
            self.at(session.on, 3, self._attendance, group, session)
        last = group.sessions[-1].on
        self.at(last + dt.timedelta(days=self.rng.randint(0, 5)), 5, self._end, group)
        self._placed_from_waiting_list(module_spec)
        return group

    def _request(
        self, day: dt.date, trajectory: Trajectory, module_spec: ModuleSpec, *, decide: bool = True
    ) -> _Track:
        rng = self.rng
        enrolment = enrolment_services.enrolment_request(
            acting_user=trajectory.lead_mediator,  # type: ignore[arg-type]
            trajectory=_then(trajectory),
            module=self.modules[module_spec],
            note=rng.choice(REQUEST_NOTES) if rng.random() < 0.3 else "",
            on=day,
        )
        track = _Track(enrolment=enrolment, trajectory=trajectory, spec=module_spec)
        if decide:
            self.at(day + dt.timedelta(days=rng.randint(1, 9)), 2, self._decide, track)
        if trajectory.end_date is not None and trajectory.end_date <= PROJECT_END:
            self.at(max(trajectory.end_date, day), 4, self._trajectory_closed, track)
        return track

    def _decide(self, day: dt.date, track: _Track, *, accept: bool | None = None) -> None:
        rng = self.rng
        if accept is None:
            accept = rng.random() > 0.05
        track.enrolment = enrolment_services.enrolment_decide(
            acting_user=self.lead,
            enrolment=self._e(track),
            accept=accept,
            note="" if accept else rng.choice(DECLINE_NOTES),
            on=day,
        )
        if track.status == S.PLACED:
            self._placed(day, track)
        elif track.status == S.WAITING:
            # The service stamps the moment it runs; the demo's waiting list started on the
            # day of the decision (in the same order: the seconds count the calls).
            since = dt.datetime.combine(
                day, dt.time(9, 0), tzinfo=timezone.get_current_timezone()
            ) + dt.timedelta(seconds=next(self._seq))
            Enrolment.objects.filter(pk=track.enrolment.pk).update(waiting_since=since)
            track.enrolment.waiting_since = since
            self.waiting[track.spec].append(track)
            if day < PROJECT_END:
                self.at(
                    day + dt.timedelta(days=rng.randint(35, 90)),
                    7,
                    self._gives_up,
                    track,
                )

    def _placed_from_waiting_list(self, module_spec: ModuleSpec) -> None:
        waiting = self.waiting[module_spec]
        if not waiting:
            return
        now = dict(
            Enrolment.objects.filter(pk__in=[t.enrolment.pk for t in waiting]).values_list(
                "pk", "status"
            )
        )
        for track in [t for t in waiting if now[t.enrolment.pk] != S.WAITING]:
            waiting.remove(track)
            track.enrolment.refresh_from_db()
            if track.status == S.PLACED:
                self._placed(track.enrolment.placed_on or self.today, track)

    def _placed(self, day: dt.date, track: _Track) -> None:
        rng = self.rng
        group = self.groups[track.enrolment.intake_id]  # type: ignore[index]
        group.members.append(track)
        sessions = group.sessions
        roll = rng.random()
        if roll < 0.09:
            track.profile = "dropper"
            track.absent_from = rng.randint(1, max(1, len(sessions) - 2))
        elif roll < 0.29:
            track.profile = "shaky"
        if rng.random() < 0.08 and len(sessions) > 1:
            reason, note = rng.choice(MIDWAY)
            after = sessions[rng.randint(1, len(sessions) - 1) - 1].on
            self.at(
                after + dt.timedelta(days=rng.randint(1, 5)),
                4,
                self._leave,
                track,
                reason,
                note,
            )
        if rng.random() < 0.15:
            on = rng.choice(sessions).on
            self.at(on, 6, self._note, track, group)
        if track.spec == NETWORK and rng.random() < 0.08:
            track.maps = True
            self.at(sessions[0].on, 6, self._map, track, group, "start")

    def _attendance(self, day: dt.date, group: _Group, session: GroupSession) -> None:
        rng = self.rng
        statuses: dict[int, str] = {}
        for track in group.members:
            if track.status != S.PLACED:
                continue
            if track.profile == "gone":
                weights = [0, 0, 1]
            elif track.profile == "dropper" and session.number >= track.absent_from:
                weights = [10, 5, 85]
            elif track.profile == "shaky":
                weights = [70, 13, 17]
            else:
                weights = [91, 6, 3]
            statuses[track.enrolment.pk] = rng.choices(
                ["present", "excused", "absent"], weights=weights
            )[0]
        if not statuses:
            return
        flagged = follow_up.attendance_record(
            acting_user=group.coach, session=session, statuses=statuses
        )
        by_pk = {t.enrolment.pk: t for t in group.members}
        for enrolment in flagged:
            track = by_pk[enrolment.pk]
            track.enrolment.dropout_flagged_on = enrolment.dropout_flagged_on
            seen = session.on + dt.timedelta(days=rng.randint(1, 6))
            if seen <= self.today:
                self.at(seen, 4, self._acknowledge, track)
            if track.profile == "dropper" and rng.random() < 0.75:
                track.pending_leave = True
                self.at(
                    seen + dt.timedelta(days=rng.randint(2, 10)),
                    4,
                    self._leave,
                    track,
                    LeaveReason.DROPPED_OUT,
                    "",
                )
            else:
                track.profile = "shaky"  # talked it through and came back

    def _acknowledge(self, day: dt.date, track: _Track) -> None:
        if track.enrolment.dropout_acknowledged_on is not None:
            return
        follow_up.dropout_acknowledge(
            acting_user=track.trajectory.lead_mediator,  # type: ignore[arg-type]
            enrolment=self._e(track),
            on=day,
        )

    def _leave(self, day: dt.date, track: _Track, reason: str, note: str) -> None:
        if track.status not in (S.PLACED, S.WAITING) or day > self.today:
            return
        was_waiting = track.status == S.WAITING
        track.enrolment = enrolment_services.enrolment_leave(
            acting_user=self.lead, enrolment=self._e(track), reason=reason, note=note, on=day
        )
        if was_waiting and track in self.waiting[track.spec]:
            self.waiting[track.spec].remove(track)
        self._placed_from_waiting_list(track.spec)

    def _trajectory_closed(self, day: dt.date, track: _Track) -> None:
        reason, note = BY_CLOSURE.get(track.trajectory.closure_reason, CLOSED_OTHERWISE)
        self._leave(day, track, reason, note)

    def _gives_up(self, day: dt.date, track: _Track) -> None:
        if track.status == S.WAITING and self.rng.random() < 0.4:
            reason, note = self.rng.choice(WAITING_GIVES_UP)
            self._leave(day, track, reason, note)

    def _close_waiting_lists(self, day: dt.date) -> None:
        for module_spec in self.spec.modules:
            for track in list(self.waiting[module_spec]):
                self._leave(
                    day, track, LeaveReason.OTHER, "Het project liep af; geen nieuwe groep."
                )

    def _end(self, day: dt.date, group: _Group) -> None:
        rng = self.rng
        if day > self.today:
            return
        for track in group.members:
            if track.status != S.PLACED or track.pending_leave:
                continue
            track.enrolment = enrolment_services.enrolment_complete(
                acting_user=group.coach, enrolment=self._e(track), on=day
            )
            if rng.random() < 0.45:
                follow_up.pop_input_write(
                    acting_user=group.coach,
                    enrolment=self._e(track),
                    job_target=rng.choice(JOB_TARGETS),
                    perspective=rng.choice(
                        [Perspective.NEC] * 3 + [Perspective.SOCIAL_ECONOMY, Perspective.LDE]
                    ),
                    work_plan=rng.choice(WORK_PLANS),
                    welfare_plan=rng.choice(WELFARE_PLANS),
                    strengths=rng.choice(STRENGTHS),
                    on=day,
                )
            if track.maps:
                self._map(day, track, group, "end")

    def _note(self, day: dt.date, track: _Track, group: _Group) -> None:
        if track.status == S.PLACED and day <= self.today:
            follow_up.note_write(
                acting_user=group.coach,
                enrolment=self._e(track),
                text=self.rng.choice(NOTES),
                on=day,
            )

    def _map(self, day: dt.date, track: _Track, group: _Group, moment: str) -> None:
        """A network map at the start; at the end the same people, a few ties stronger, and
        some new ones from the group work."""
        rng = self.rng
        if track.status not in (S.PLACED, S.COMPLETED):
            return
        if moment == "start" or not track.ties:
            track.ties = [
                {"label": label, "kind": kind, "relation": relation, "strength": strength}
                | ({"strained": True} if strained else {})
                for label, kind, relation, strength, strained in rng.sample(
                    TIES, k=rng.randint(4, 7)
                )
            ]
            ties = track.ties
        else:
            ties = [
                tie | {"strength": min(3, tie["strength"] + 1)} if rng.random() < 0.4 else tie
                for tie in track.ties
            ]
            new = [t for t in NEW_TIES if t[0] not in {tie["label"] for tie in ties}]
            ties += [
                {"label": label, "kind": kind, "relation": relation, "strength": strength}
                for label, kind, relation, strength in rng.sample(new, k=rng.randint(1, 3))
            ]
        network_map_save(
            acting_user=group.coach,
            enrolment=self._e(track),
            moment=moment,
            ties=ties,
            drawn_on=day,
        )

    # --- today ---------------------------------------------------------------------------------

    def present(self) -> None:
        """A group that started a few weeks ago, groups starting in the coming months, people
        placed, on the waiting list, and requests for the coach to decide."""
        rng = self.rng
        today = self.today
        pool = list(
            Trajectory.objects.filter(
                person__province=self.programme.province,
                type=TrajectoryType.W2,
                status__in=[Status.ACTIVE, Status.INTAKE],
                start_date__lte=today - dt.timedelta(days=60),
                lead_mediator__isnull=False,
            )
            .exclude(enrolments__status__in=[S.REQUESTED, S.WAITING, S.PLACED])
            .select_related("person", "lead_mediator")
            .order_by("pk")
        )
        rng.shuffle(pool)
        index = {m: i for i, m in enumerate(self.spec.modules)}
        running = self.spec.running
        # The running group meets on today's weekday (on a working day): the coach has a
        # session today whose attendance is still to be taken.
        weekday = today.weekday() if today.weekday() < 5 else index[running] % 5
        start = _weekday_until(today - dt.timedelta(days=15), weekday)
        group = self._plan(running, start, index[running], coach=self.lead)
        upcoming = [
            (SELF, 18, 24),
            (self.spec.full or self.spec.modules[2], 30, 40),
            (self.spec.modules[-1] if self.spec.full != self.spec.modules[-1] else SELF, 45, 55),
            (SELF, 70, 80),
        ]
        for module_spec, low, high in upcoming:
            weekday = index[module_spec] % 5
            day = _after_holidays(
                _weekday_from(today + dt.timedelta(days=rng.randint(low, high)), weekday), weekday
            )
            if not IntakeMoment.objects.filter(
                module=self.modules[module_spec], starts_on=day
            ).exists():
                self._plan(module_spec, day, index[module_spec])

        decisions: list[tuple[dt.date, _Track]] = []

        def enrol(module_spec: ModuleSpec, requested: dt.date, decided: dt.date | None) -> None:
            if not pool:
                return
            trajectory = pool.pop()
            requested = max(requested, trajectory.start_date)
            track = self._request(requested, trajectory, module_spec, decide=False)
            if decided is not None:
                decisions.append((max(decided, requested), track))

        # Requests waiting for the coach's decision (first: with few people
        # the coach's inbox still has some).
        for _ in range(4 if self.spec.demo_coach else rng.randint(1, 2)):
            module_spec = rng.choice(self.spec.modules)
            enrol(module_spec, today - dt.timedelta(days=rng.randint(0, 8)), None)
        # The running group: asked for a month or so before it started.
        for _ in range(rng.randint(5, 7)):
            asked = start - dt.timedelta(days=rng.randint(21, 35))
            enrol(running, asked, asked + dt.timedelta(days=rng.randint(2, 7)))
        # Upcoming groups: asked in the last weeks, decided since.
        for module_spec in dict.fromkeys(m for m, *_ in upcoming):
            capacity = self.modules[module_spec].capacity
            count = capacity + 3 if module_spec == self.spec.full else rng.randint(2, 5)
            for _ in range(count):
                asked = today - dt.timedelta(days=rng.randint(6, 28))
                enrol(module_spec, asked, min(today, asked + dt.timedelta(days=rng.randint(1, 5))))
        decisions.sort(key=lambda pair: (pair[0], pair[1].enrolment.pk))
        for day, track in decisions:
            self._decide(day, track, accept=True)
        # The running group so far: attendance, a drop-out signal in Gent, notes, maps.
        if self.spec.demo_coach and group.members:
            # Absent from the start: the demo mediator sees the drop-out signal.
            group.members[0].profile = "gone"
        for session in group.sessions:
            # Today's attendance is the coach's to take (their home page lists the session).
            if session.on < today:
                self._attendance(session.on, group, session)
        members = [t for t in group.members if t.status == S.PLACED]
        for track in members[:2]:
            self._note(group.sessions[1].on, track, group)
        for track in members[1:4]:
            self._map(start, track, group, "start")
        self.queue_clear()

    def queue_clear(self) -> None:
        """Events of the present (drop-out follow-ups, leaving) are today's work: left open."""
        self._queue.clear()
