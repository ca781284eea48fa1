"""Load the demo: the organisations and projects of the sources, one login per role, and about
a thousand people with households. Deterministic for a given --seed, and safe to run again."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from faker import Faker

from tandem.accounts.models import Organisation, Role, User
from tandem.accounts.services import organisation_create, user_create
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_events_in_bulk
from tandem.common.models import Province
from tandem.demo import data as demo_data
from tandem.registry import insz as insz_rules
from tandem.registry.models import (
    Activity,
    Benefit,
    EducationLevel,
    Household,
    HouseholdMember,
    IncomeComponent,
    IncomeKind,
    NationalityGroup,
    Person,
    PersonAssignment,
    Registration,
    Relation,
)
from tandem.registry.services import PERSON_FIELDS, MemberData, person_search_key
from tandem.screening import indicators
from tandem.trajectories.models import Trajectory

# Persons that get demo trajectories: those of the VDAB offices and of the outreach partners
# that bring people to them.
VDAB_AND_PARTNERS = (
    "vdab",
    "vdab-antwerpen",
    "vdab-hasselt",
    "vdab-gent",
    "vdab-leuven",
    "vdab-brugge",
    "in-z",
    "vzw-jes",
    "ocmw-gent",
)
# Why a duo partner's organisation sees the person (shown on the person file).
DUO_REASON = "Duopartner in het werk-welzijnstraject"
DEMO_PASSWORD = "tandem-demo-2026"  # noqa: S105 - printed on purpose: demo logins only
# Ages are computed against a fixed day so the same seed gives the same people every year.
REFERENCE_DATE = dt.date(2026, 1, 1)

# (role, organisation code, first name, last name)
DEMO_USERS = [
    (Role.MEDIATOR, "vdab-gent", "Lotte", "Vermeulen"),
    (Role.WELFARE_PARTNER, "ocmw-gent", "Jonas", "De Smet"),
    (Role.GROUP_COACH, "groep-intro", "Sofie", "Claes"),
    (Role.OUTREACH_WORKER, "vzw-jes", "Youssef", "El Amrani"),
    (Role.EXPERIENCE_EXPERT, "vdab-gent", "Marleen", "Wouters"),
    (Role.JOB_COACH, "vdab-gent", "Pieter", "Janssens"),
    (Role.SERVICE_LINE, "vdab", "Ines", "Maes"),
    (Role.PROGRAMME_MANAGER, "esf-vlaanderen", "Koen", "Peeters"),
    (Role.ADMIN, "vdab", "An", "Verstraete"),
    # VDAB's DPO: VDAB and its offices are one controller (tandem.audit.selectors).
    (Role.DATA_PROTECTION_OFFICER, "vdab", "Eva", "Jacobs"),
]

# Share of the demo persons registered in each province (Antwerp and East Flanders largest).
PROVINCE_WEIGHTS = {
    Province.ANTWERPEN: 0.27,
    Province.OOST_VLAANDEREN: 0.30,
    Province.LIMBURG: 0.15,
    Province.VLAAMS_BRABANT: 0.13,
    Province.WEST_VLAANDEREN: 0.15,
}

LANGUAGES_BY_ORIGIN = {
    "nl_BE": ["nl"],
    "fr_BE": ["fr", "nl"],
    "pl_PL": ["pl"],
    "ro_RO": ["ro"],
    "bg_BG": ["bg", "tr"],
    "tr_TR": ["tr", "nl"],
    "ar_AA": ["ar", "fr"],
}
NATIONALITY_BY_ORIGIN = {
    "nl_BE": NationalityGroup.BELGIAN,
    "fr_BE": NationalityGroup.BELGIAN,
    "pl_PL": NationalityGroup.EU,
    "ro_RO": NationalityGroup.EU,
    "bg_BG": NationalityGroup.EU,
    "tr_TR": NationalityGroup.NON_EU,
    "ar_AA": NationalityGroup.NON_EU,
}


def _pick(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Command(BaseCommand):
    help = "Load deterministic demo data (organisations, projects, demo logins, persons)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--persons", type=int, default=1000, help="How many persons (default 1000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "TANDEM_ENVIRONMENT", "") == "production":
            raise CommandError("seed_demo refuses to run with production settings.")
        if options["persons"] < 0:
            raise CommandError("--persons must be 0 or more.")
        seed: int = options["seed"]
        started = time.monotonic()
        with audit_events_in_bulk():
            orgs = self._organisations()
            self._projects(orgs)
            users = self._users(orgs)
            from tandem.demo.directory import seed_directory

            services = seed_directory(orgs)
        # One transaction for the lot: on SQLite a commit per person costs more than the person.
        with audit_events_in_bulk():
            created = self._persons(orgs, users, seed=seed, count=options["persons"])
        with audit_events_in_bulk():
            trajectories = self._trajectories(orgs, users, seed=seed)
            from tandem.demo.referrals import seed_referrals

            referrals = seed_referrals(random.Random(seed + 2))
        if trajectories:
            self.stdout.write(f"  trajectories: {trajectories}")
        if services:
            self.stdout.write(f"  directory services: {services}")
        if referrals:
            self.stdout.write(f"  referrals: {referrals}")
        with audit_events_in_bulk():
            from tandem.demo.groupwork import seed_group_work

            programmes, modules, enrolments = seed_group_work(random.Random(seed + 3))
        if programmes:
            self.stdout.write(
                f"  group work: {programmes} programmes, {modules} modules, {enrolments} enrolments"
            )
        with audit_events_in_bulk():
            from tandem.demo.outcomes import seed_outcomes

            # After trajectories and group work: the legacy import tops up their 2018–2019.
            outcomes = seed_outcomes(random.Random(seed + 5))
        self.stdout.write(
            f"  outcomes: {outcomes.trajectories} legacy trajectories "
            f"({outcomes.trajectories_created} new), {outcomes.events} status events "
            f"({outcomes.events_created} new)"
        )
        with audit_events_in_bulk():
            from tandem.demo.outreach import seed_outreach

            places, prospects, registered = seed_outreach(random.Random(seed + 4))
        if prospects:
            self.stdout.write(
                f"  outreach: {places} find places, {prospects} people met, {registered} linked"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.0f} s: {len(orgs)} "
                f"organisations, {Person.objects.count()} persons ({created} new)."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for role, code, *_ in DEMO_USERS:
            self.stdout.write(f"  demo_{role:<20} {Role(role).label} — {orgs[code].name}")

    def _organisations(self) -> dict[str, Organisation]:
        orgs: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}
        for spec in demo_data.organisations():
            if spec.code in orgs:
                continue
            orgs[spec.code] = organisation_create(
                acting_user=None,
                name=spec.name,
                code=spec.code,
                kind=spec.kind,
                province=spec.province,
                municipality=spec.municipality,
                parent=orgs[spec.parent] if spec.parent else None,
            )
        return orgs

    def _projects(self, orgs: dict[str, Organisation]) -> None:
        from tandem.demo.programmes import seed_calls_and_projects

        seed_calls_and_projects(orgs)

    def _users(self, orgs: dict[str, Organisation]) -> dict[str, User]:
        users: dict[str, User] = {}
        made: list[int] = []

        def new_user(**fields: Any) -> User:
            user = user_create(**fields)
            made.append(user.pk)
            return user

        for role, code, first, last in DEMO_USERS:
            username = f"demo_{role}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = new_user(
                    acting_user=None,
                    username=username,
                    organisation=orgs[code],
                    roles=[role],
                    first_name=first,
                    last_name=last,
                    email=f"{username}@demo.tandem.invalid",
                )
            users[role] = user
        # Every office needs someone to register its people: a mediator per VDAB office.
        for province in demo_data.MAIN_CITIES:
            code = demo_data.vdab_code(province)
            username = f"demo_mediator_{code.removeprefix('vdab-')}"
            if code == "vdab-gent":
                users[code] = users[Role.MEDIATOR]
                continue
            user = User.objects.filter(username=username).first() or new_user(
                acting_user=None,
                username=username,
                organisation=orgs[code],
                roles=[Role.MEDIATOR],
                first_name="Demo",
                last_name=orgs[code].name,
            )
            users[code] = user
        # A welfare partner at the OCMW of every main city, for the duos.
        for province in demo_data.MAIN_CITIES:
            code = demo_data.ocmw_code(province)
            if code == "ocmw-gent":
                users[f"welfare:{province}"] = users[Role.WELFARE_PARTNER]
                continue
            username = f"demo_welfare_{code.removeprefix('ocmw-')}"
            users[f"welfare:{province}"] = User.objects.filter(
                username=username
            ).first() or new_user(
                acting_user=None,
                username=username,
                organisation=orgs[code],
                roles=[Role.WELFARE_PARTNER],
                first_name="Demo",
                last_name=orgs[code].name,
            )
        # The demo outreach worker brought in the Mobiel Arbeidsteam's people themselves: an
        # outreach worker sees the persons they brought in.
        users["vzw-jes"] = users[Role.OUTREACH_WORKER]
        for code in ("in-z", "ocmw-gent"):
            username = f"demo_registrar_{code}"
            users[code] = User.objects.filter(username=username).first() or new_user(
                acting_user=None,
                username=username,
                organisation=orgs[code],
                roles=[Role.OUTREACH_WORKER if code != "ocmw-gent" else Role.WELFARE_PARTNER],
                first_name="Demo",
                last_name=orgs[code].name,
            )
        # One password hash for all the new demo logins: Argon2 takes a good part of a second
        # per hash on purpose, and these passwords are printed below anyway.
        User.objects.filter(pk__in=made).update(password=make_password(DEMO_PASSWORD))
        return users

    def _trajectories(
        self, orgs: dict[str, Organisation], users: dict[str, User], *, seed: int
    ) -> int:
        """Trajectories in every state over 2018–2025; only on a database that has none."""
        if Trajectory.objects.exists():
            return 0
        from tandem.demo import trajectories as trajectory_demo

        hooks = trajectory_demo_hooks()
        return trajectory_demo.seed_trajectories(
            persons=list(
                Person.objects.filter(organisation__code__in=VDAB_AND_PARTNERS)
                .select_related("organisation")
                .order_by("pk")
            ),
            mediator_for=lambda p: users[demo_data.vdab_code(p.province)],
            partner_for=lambda p: users.get(f"welfare:{p.province}"),
            rng=random.Random(seed + 1),
            **hooks,
        )

    def _persons(
        self, orgs: dict[str, Organisation], users: dict[str, User], *, seed: int, count: int
    ) -> int:
        """The persons with their households, written in bulk: the same rows and the same audit
        events as registering each person, entering the household (members, then income), its
        circumstances and the duo partner's assignment through the services, in a few
        queries instead of some thirty per person."""
        rng = random.Random(seed)
        fakers = {loc: Faker(loc) for loc in LANGUAGES_BY_ORIGIN}
        for i, fk in enumerate(fakers.values()):
            fk.seed_instance(seed + i)
        existing = set(Person.objects.exclude(insz=None).values_list("insz", flat=True))
        used: set[str] = set()
        specs = []
        for _index in range(count):
            spec = self._person_spec(rng, fakers, orgs, users, used)
            spec["data"]["insz"] = insz_rules.normalise(spec["data"]["insz"] or "") or None
            if spec["data"]["insz"] in existing:
                continue
            specs.append(spec)
        if not specs:
            return 0
        households = Household.objects.bulk_create(
            [Household(organisation=s["registrar"].organisation) for s in specs], batch_size=500
        )
        persons = []
        for spec, household in zip(specs, households, strict=True):
            values = {k: spec["data"][k] for k in PERSON_FIELDS if k in spec["data"]}
            person = Person(
                organisation=spec["registrar"].organisation,
                created_by=spec["registrar"],
                household=household,
                **values,
            )
            person.search_key = person_search_key(person.first_name, person.last_name)
            persons.append(person)
        persons = Person.objects.bulk_create(persons, batch_size=500)
        members: list[HouseholdMember] = []
        for spec, person, household in zip(specs, persons, households, strict=True):
            members.append(
                HouseholdMember(
                    household=household,
                    person=person,
                    relation=Relation.SELF,
                    first_name=person.first_name,
                    birth_date=person.birth_date,
                    activity=spec["activity"],
                    months_worked=spec["months_worked"],
                )
            )
            members.extend(
                HouseholdMember(
                    household=household,
                    relation=m.relation,
                    first_name=m.first_name,
                    birth_date=m.birth_date,
                    activity=m.activity,
                    months_worked=m.months_worked,
                )
                for m in spec["members"]
            )
        members = HouseholdMember.objects.bulk_create(members, batch_size=500)
        by_household: dict[int, dict[tuple[str, str], HouseholdMember]] = {}
        for member in members:
            by_household.setdefault(member.household_id, {})[  # type: ignore[attr-defined]
                (member.relation, member.first_name)
            ] = member
        incomes: list[IncomeComponent] = []
        assignments: list[PersonAssignment] = []
        events: list[AuditEvent] = []
        for spec, person, household in zip(specs, persons, households, strict=True):
            registrar, organisation = spec["registrar"], household.organisation
            own = by_household[household.pk]
            incomes.extend(
                IncomeComponent(
                    household=household,
                    kind=kind,
                    monthly_amount=amount,
                    member=own.get(who) if who else None,
                )
                for kind, amount, who in spec["incomes"]
            )

            def event(event_type: Event, data: dict[str, Any], *, o: Organisation = organisation):
                return AuditEvent(
                    actor=registrar,  # noqa: B023 - used only in this iteration
                    organisation=o,
                    person=person,  # noqa: B023
                    event_type=event_type,
                    data=data,
                )

            # What the services record, in their order: the household is entered as the form
            # does it (members first, then income with who receives it).
            events.append(event(Event.PERSON_CREATED, {"confirmed_distinct": True}))
            for income_components in (0, len(spec["incomes"])):
                events.append(
                    event(
                        Event.HOUSEHOLD_UPDATED,
                        {
                            "members": len(own),
                            "members_removed": 0,
                            "income_components": income_components,
                        },
                    )
                )
            if spec["deprivation"] or spec["kind_en_gezin"]:
                household.deprivation = {
                    k: v for k, v in spec["deprivation"].items() if v is not None
                }
                household.kind_en_gezin = {
                    k: v for k, v in spec["kind_en_gezin"].items() if v is not None
                }
                events.append(
                    event(
                        Event.HOUSEHOLD_CIRCUMSTANCES_UPDATED,
                        {
                            "deprivation_recorded": len(household.deprivation),
                            "kind_en_gezin_recorded": len(household.kind_en_gezin),
                        },
                    )
                )
            if spec["duo"] is not None:
                assignments.append(
                    PersonAssignment(
                        person=person,
                        organisation=spec["duo"],
                        assigned_by=registrar,
                        reason=DUO_REASON,
                    )
                )
                events.append(
                    event(
                        Event.PERSON_ASSIGNED,
                        {"organisation": spec["duo"].code, "reason": DUO_REASON},
                        o=person.organisation,
                    )
                )
        Household.objects.bulk_update(
            [h for h in households if h.deprivation or h.kind_en_gezin],
            ["deprivation", "kind_en_gezin"],
            batch_size=500,
        )
        IncomeComponent.objects.bulk_create(incomes, batch_size=500)
        PersonAssignment.objects.bulk_create(assignments, batch_size=500)
        AuditEvent.objects.bulk_create(events, batch_size=500)
        self.stdout.write(f"  persons: {len(persons)}/{count}")
        return len(persons)

    def _person_spec(
        self,
        rng: random.Random,
        fakers: dict[str, Faker],
        orgs: dict[str, Organisation],
        users: dict[str, User],
        used: set[str],
    ) -> dict[str, Any]:
        province = _pick(rng, PROVINCE_WEIGHTS)
        channel = "vdab"
        roll = rng.random()
        if province == Province.OOST_VLAANDEREN and roll < 0.25:
            channel = "mobiel_arbeidsteam"
        elif province == Province.LIMBURG and roll < 0.30:
            channel = "in_z"
        elif province == Province.OOST_VLAANDEREN and roll < 0.32:
            channel = "ocmw"
        elif province == Province.OOST_VLAANDEREN and roll < 0.37:
            # Called VDAB's service line, which registered and screened them.
            channel = "service_line"

        if channel == "mobiel_arbeidsteam":
            # Target groups of the Ghent team: Dutch-language deficit, Eastern-European origin,
            # migrants with multiple problems, single-parent families.
            origin = _pick(
                rng,
                {
                    "nl_BE": 0.25,
                    "pl_PL": 0.15,
                    "ro_RO": 0.15,
                    "bg_BG": 0.2,
                    "tr_TR": 0.1,
                    "ar_AA": 0.15,
                },
            )
        else:
            origin = _pick(
                rng,
                {
                    "nl_BE": 0.58,
                    "fr_BE": 0.06,
                    "pl_PL": 0.04,
                    "ro_RO": 0.04,
                    "bg_BG": 0.03,
                    "tr_TR": 0.1,
                    "ar_AA": 0.15,
                },
            )
        fk = fakers[origin]
        gender = "F" if rng.random() < (0.8 if channel == "in_z" else 0.5) else "M"
        if rng.random() < 0.01:
            gender = "X"
        age = int(min(64, max(18, rng.gauss(38, 11))))
        birth = REFERENCE_DATE - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        first = fk.first_name_female() if gender == "F" else fk.first_name_male()
        last = fk.last_name()
        sequence = rng.randint(1, 499) * 2 - (1 if gender == "M" else 0)
        number = insz_rules.make(birth, sequence)
        while number in used:
            sequence = sequence + 2 if sequence < 996 else (sequence % 2) + 1
            number = insz_rules.make(birth, sequence)
        used.add(number)

        postal, municipality = rng.choice(demo_data.MUNICIPALITIES[province])
        if channel in ("mobiel_arbeidsteam", "ocmw", "service_line"):
            postal, municipality = "9000", "Gent"
        if channel == "in_z":
            postal, municipality = "3500", "Hasselt"
        non_active = (channel == "in_z" and rng.random() < 0.8) or rng.random() < 0.12
        registration = Registration.NON_ACTIVE if non_active else Registration.REGISTERED
        if registration == Registration.NON_ACTIVE:
            benefit = _pick(
                rng,
                {
                    Benefit.LEEFLOON: 0.5,
                    Benefit.NONE: 0.3,
                    Benefit.SICKNESS_DISABILITY: 0.15,
                    Benefit.OTHER: 0.05,
                },
            )
        else:
            benefit = _pick(
                rng,
                {
                    Benefit.UNEMPLOYMENT: 0.55,
                    Benefit.LEEFLOON: 0.25,
                    Benefit.NONE: 0.1,
                    Benefit.SICKNESS_DISABILITY: 0.05,
                    Benefit.OTHER: 0.05,
                },
            )
        education = _pick(
            rng,
            {
                EducationLevel.ISCED_0_2: 0.55,
                EducationLevel.ISCED_3_4: 0.3,
                EducationLevel.ISCED_5_8: 0.07,
                EducationLevel.UNKNOWN: 0.08,
            },
        )
        languages = list(LANGUAGES_BY_ORIGIN[origin])
        if origin != "nl_BE" and rng.random() < 0.4 and "nl" not in languages:
            languages.append("nl")

        # Household: singles and single parents are over-represented among people in poverty.
        shape = _pick(
            rng,
            {
                "single": 0.36,
                "single_parent": 0.26,
                "couple": 0.12,
                "couple_children": 0.2,
                "with_parent": 0.06,
            },
        )
        if channel == "in_z":
            shape = _pick(rng, {"single_parent": 0.5, "couple_children": 0.4, "single": 0.1})
        members: list[MemberData] = []
        incomes: list[tuple[str, Decimal, tuple[str, str] | None]] = []
        if shape in ("couple", "couple_children"):
            partner_age = max(18, min(70, age + rng.randint(-6, 6)))
            partner_works = rng.random() < 0.45
            partner = MemberData(
                relation=Relation.PARTNER,
                first_name=fk.first_name_male() if gender == "F" else fk.first_name_female(),
                birth_date=REFERENCE_DATE
                - dt.timedelta(days=partner_age * 365 + rng.randint(0, 364)),
                activity=Activity.EMPLOYED if partner_works else Activity.UNEMPLOYED,
                months_worked=rng.randint(4, 12) if partner_works else rng.randint(0, 2),
            )
            members.append(partner)
            if partner_works:
                incomes.append(
                    (
                        IncomeKind.WAGES,
                        _money(rng, 1550, 2300),
                        (partner.relation, partner.first_name),
                    )
                )
            elif rng.random() < 0.5:
                incomes.append(
                    (
                        IncomeKind.UNEMPLOYMENT,
                        _money(rng, 1000, 1500),
                        (partner.relation, partner.first_name),
                    )
                )
        if shape == "with_parent":
            members.append(
                MemberData(
                    relation=Relation.PARENT,
                    first_name=fk.first_name_female(),
                    birth_date=REFERENCE_DATE
                    - dt.timedelta(days=(age + 26) * 365 + rng.randint(0, 364)),
                    activity=Activity.RETIRED,
                    months_worked=0,
                )
            )
            incomes.append((IncomeKind.PENSION, _money(rng, 1250, 1700), None))
        children = 0
        if shape in ("single_parent", "couple_children"):
            births = child_birth_dates(rng, birth, rng.choice([1, 1, 2, 2, 3, 4]))
            children = len(births)
            for born in births:
                members.append(
                    MemberData(
                        relation=Relation.CHILD,
                        first_name=fk.first_name_female()
                        if rng.random() < 0.5
                        else fk.first_name_male(),
                        birth_date=born,
                        activity=Activity.CHILD,
                    )
                )
            incomes.append((IncomeKind.CHILD_BENEFIT, _money(rng, 175, 200) * children, None))
        if shape == "single_parent" and rng.random() < 0.3:
            incomes.append((IncomeKind.ALIMONY, _money(rng, 100, 350), None))
        # Duplicate first names in one household would confuse the form: make them unique.
        seen: set[str] = {first}
        unique_members = []
        for m in members:
            name = m.first_name
            while name in seen:
                name = fk.first_name()
            seen.add(name)
            unique_members.append(replace(m, first_name=name))
            incomes = [
                (k, a, (m.relation, name) if w == (m.relation, m.first_name) else w)
                for k, a, w in incomes
            ]
        members = unique_members

        own = {
            Benefit.UNEMPLOYMENT: (IncomeKind.UNEMPLOYMENT, 1100, 1750),
            # Leefloon 2025 (indexed): about 1,300 single, 1,750 with a family to support.
            Benefit.LEEFLOON: (IncomeKind.LEEFLOON, 1260, 1780 if children else 1320),
            Benefit.SICKNESS_DISABILITY: (IncomeKind.SICKNESS_DISABILITY, 1150, 1600),
            Benefit.OTHER: (IncomeKind.OTHER, 400, 1100),
        }.get(benefit)
        if own is not None:
            incomes.append((own[0], _money(rng, own[1], own[2]), ("self", first)))

        activity, months = {
            Benefit.UNEMPLOYMENT: (Activity.UNEMPLOYED, rng.choice([0, 0, 0, 1, 2, 3])),
            Benefit.LEEFLOON: (
                Activity.UNEMPLOYED
                if registration == Registration.REGISTERED
                else Activity.INACTIVE,
                rng.choice([0, 0, 0, 1]),
            ),
            Benefit.SICKNESS_DISABILITY: (Activity.SICK_DISABLED, 0),
            Benefit.NONE: (Activity.INACTIVE, 0),
            Benefit.OTHER: (Activity.INACTIVE, rng.randint(0, 6)),
        }[benefit]
        # Deprivation items are asked in about half of the conversations; the poorer the
        # household, the more items it cannot afford.
        deprivation: dict[str, bool | None] = {}
        if rng.random() < 0.5:
            lack = 0.55 if benefit in (Benefit.LEEFLOON, Benefit.NONE) else 0.35
            for code in (*indicators.HOUSEHOLD_ITEMS, *indicators.PERSONAL_ITEMS):
                deprivation[code] = rng.random() < lack
        kind_en_gezin: dict[str, bool | None] = {}
        has_baby = any(
            m.relation == Relation.CHILD and (REFERENCE_DATE - m.birth_date).days < 3 * 365
            for m in members
        )
        if has_baby and rng.random() < 0.7:
            for code in indicators.KIND_EN_GEZIN_CRITERIA:
                kind_en_gezin[code] = rng.random() < 0.45

        registrar_key = {
            "vdab": demo_data.vdab_code(province),
            "mobiel_arbeidsteam": "vzw-jes",
            "in_z": "in-z",
            "ocmw": "ocmw-gent",
            "service_line": Role.SERVICE_LINE,
        }[channel]
        duo = None
        if channel == "vdab" and rng.random() < 0.35:
            duo = orgs[
                _pick(rng, {demo_data.ocmw_code(province): 0.6, demo_data.caw_code(province): 0.4})
            ]
        elif channel in ("mobiel_arbeidsteam", "in_z", "service_line"):
            duo = orgs[demo_data.vdab_code(province)]

        data = {
            "first_name": first,
            "last_name": last,
            "insz": number,
            "birth_date": birth,
            "gender": gender,
            "languages": languages,
            "street": fakers["nl_BE"].street_name(),
            "house_number": str(rng.randint(1, 180)),
            "postal_code": postal,
            "municipality": municipality,
            "province": province,
            "phone": f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            "email": "",
            "education": education,
            "registration": registration,
            "benefit": benefit,
            "nationality_group": NATIONALITY_BY_ORIGIN[origin],
        }
        return {
            "insz": number,
            "data": data,
            "members": members,
            "incomes": [(k, a, w) for k, a, w in incomes],
            "registrar": users[registrar_key],
            "duo": duo,
            "activity": activity,
            "months_worked": months,
            "deprivation": deprivation,
            "kind_en_gezin": kind_en_gezin,
        }


def trajectory_demo_hooks() -> dict[str, Any]:
    """Demo readings, POPs and job starts, made through the services that own them."""
    from tandem.demo import trajectories as trajectory_demo

    return {
        "on_active": trajectory_demo.demo_active,
        "on_employed": trajectory_demo.demo_job_start,
    }


# Children of one parent are born at least this many days apart, unless they are twins.
MIN_DAYS_BETWEEN_CHILDREN = 300
TWINS = 0.03


def child_birth_dates(rng: random.Random, parent_born: dt.date, count: int) -> list[dt.date]:
    """Birth dates for ``count`` children under 18 (on ``REFERENCE_DATE``) of a parent born on
    ``parent_born``, oldest first: born after the parent turned 18 where that fits, at least
    ``MIN_DAYS_BETWEEN_CHILDREN`` apart or twins on the same day. Fewer children when the
    years do not fit that many."""
    latest = REFERENCE_DATE - dt.timedelta(days=1)
    earliest = max(
        REFERENCE_DATE - dt.timedelta(days=18 * 365 - 1), parent_born + dt.timedelta(days=18 * 365)
    )
    earliest = min(earliest, latest)
    room = (latest - earliest).days
    gaps = [
        0 if rng.random() < TWINS else rng.randint(MIN_DAYS_BETWEEN_CHILDREN, 1500)
        for _ in range(count - 1)
    ]
    # Squeeze the gaps to what the years allow, then leave out the youngest who do not fit.
    if sum(gaps) > room:
        gaps = [min(g, max(MIN_DAYS_BETWEEN_CHILDREN, room // max(1, len(gaps)))) for g in gaps]
    while sum(gaps) > room:
        gaps.pop()
    first = earliest + dt.timedelta(days=rng.randint(0, room - sum(gaps)))
    dates = [first]
    for gap in gaps:
        dates.append(dates[-1] + dt.timedelta(days=gap))
    return dates


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2)))
