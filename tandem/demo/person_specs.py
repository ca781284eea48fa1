"""Drawing the demo persons: who they are, where they live, their household, income and
circumstances, and who registered them. Pure: a person spec is a dict, written by
``tandem.demo.persons.seed_persons``. Deterministic for a given random generator."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal
from typing import Any

from faker import Faker

from tandem.accounts.models import Organisation, Role, User
from tandem.common.models import Province
from tandem.demo import data as demo_data
from tandem.registry import insz as insz_rules
from tandem.registry.models import (
    Activity,
    Benefit,
    EducationLevel,
    IncomeKind,
    NationalityGroup,
    Registration,
    Relation,
)
from tandem.registry.services import MemberData
from tandem.screening import indicators

# Ages are computed against a fixed day so the same seed gives the same people every year.
REFERENCE_DATE = dt.date(2026, 1, 1)

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


def person_spec(
    rng: random.Random,
    fakers: dict[str, Faker],
    orgs: dict[str, Organisation],
    users: dict[str, User],
    used: set[str],
) -> dict[str, Any]:
    """One person: identity, address, registration, household, income and circumstances,
    the login that registers them and the duo partner's organisation, if any."""
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
            birth_date=REFERENCE_DATE - dt.timedelta(days=partner_age * 365 + rng.randint(0, 364)),
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
            Activity.UNEMPLOYED if registration == Registration.REGISTERED else Activity.INACTIVE,
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
