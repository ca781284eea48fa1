"""The calls and projects of DOMAIN.md §8 with the exact figures of the sources, as demo data.

Sources (``../shared/sources/``): 000 the minister's press release on call 478 (project table);
001 the press release on IN-Z and the local partnerships 2024–2027; 002 the City of Ghent on
the Mobiel Arbeidsteam; 004 the annex to call 478 (outreach & activation, WIJ3, poverty call
2016). Where a source gives no ESF share, the call's shares are left empty (a comment says so)
and its projects carry no split.

``seed_calls_and_projects`` is idempotent: calls, projects and targets are found by their code
(and a target by its kind and due date) and brought up to date, never added twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from tandem.accounts.models import Organisation
from tandem.demo import data as demo_data
from tandem.programmes.models import Funded as F
from tandem.programmes.models import TargetBound as B
from tandem.programmes.models import TargetKind as T
from tandem.programmes.services import (
    call_target_upsert,
    call_upsert,
    project_target_upsert,
    project_upsert,
)


class TargetSpec(NamedTuple):
    kind: str
    bound: str
    value: int
    due: dt.date | None
    note: str = ""


class CallSpec(NamedTuple):
    code: str
    number: str
    title: str
    operational_programme: str
    priority: str
    investment_priority: str
    start: dt.date
    end: dt.date
    total: Decimal
    esf_percent: Decimal | None  # None: the source states no split
    planned_projects: int | None
    target_group: str
    description: str
    targets: tuple[TargetSpec, ...]


OP_2014_2020 = "OP ESF Vlaanderen 2014–2020"

CALL_478 = "esf-478"
CALL_OUTREACH = "esf-outreach-activering"
CALL_WIJ3 = "esf-wij3"
CALL_POVERTY_2016 = "esf-armoede-2016"
CALL_LOCAL_PARTNERSHIPS = "lokale-partnerschappen-2024-2027"


def calls() -> list[CallSpec]:
    return [
        # Source 004 (heading) and 000. The table's rows sum to 2,479,627; its TOTAAL line says
        # 2,479,628. The call keeps the stated total so the one-euro difference stays visible.
        # Neither source states the ESF share ("Vlaamse en Europese steun"): no split.
        CallSpec(
            CALL_478,
            "478",
            "Versterking van de werk-welzijnsbemiddeling",
            OP_2014_2020,
            "3",
            "9i Sociale inclusie en armoedebestrijding",
            dt.date(2020, 8, 1),
            dt.date(2022, 12, 31),
            Decimal("2479628"),
            None,
            5,
            "Kwetsbare werkzoekenden in armoede, begeleid door de werk-welzijnsbemiddelaars "
            "van VDAB.",
            "Groepstrajecten door gespecialiseerde partners (Groep Intro, Randstad) in de vijf "
            "provincies, samen met de werk-welzijnsbemiddelaars van VDAB. De rijen van de "
            "projecttabel in de bron tellen op tot 2.479.627 euro; de totaalregel zegt "
            "2.479.628 euro.",
            (TargetSpec(T.PARTICIPANTS, B.MORE_THAN, 700, dt.date(2022, 12, 31)),),
        ),
        # Source 004 §b: approved in October 2019; 68 projects of intensive guidance and 6 that
        # match people to vacancies. "De Vlaamse Overheid en ESF trekken samen 30 miljoen euro
        # uit": no split stated. The Ghent Mobiel Arbeidsteam (source 002, 10 October 2019:
        # "4,7 miljoen euro voor 'outreach en activering'") is one of its projects. IN-Z's
        # school-gate project (source 001) receives European support, but the source does not
        # name the call, so it is not linked here.
        CallSpec(
            CALL_OUTREACH,
            "",
            "Outreach en activering",
            OP_2014_2020,
            "",
            "",
            dt.date(2019, 10, 1),
            dt.date(2021, 12, 31),
            Decimal("30000000"),
            None,
            74,
            "Mensen die niet actief zijn op de arbeidsmarkt en niet gekend zijn bij, of uit "
            "beeld zijn van, de arbeidsmarktdiensten.",
            "Partnerschappen van lokale besturen, werkgevers en middenveldorganisaties zoeken "
            "mensen op waar ze wonen (outreach) en bouwen daarna geïntegreerde trajecten: 68 "
            "projecten van intensieve begeleiding, 6 die mensen naar vacatures toeleiden.",
            (
                TargetSpec(
                    T.REACHED,
                    B.AS_STATED,
                    10_000,
                    dt.date(2021, 12, 31),
                    "Niet-actieven bereikt en begeleid, in twee jaar.",
                ),
            ),
        ),
        # Source 004 §c: launched 1 May 2017, 40 % ESF (4.8 M) and 60 % Flemish co-financing
        # fund (7.2 M) of 12 M.
        CallSpec(
            CALL_WIJ3,
            "",
            "Werkinleving voor Jongeren (WIJ3)",
            OP_2014_2020,
            "",
            "",
            dt.date(2017, 10, 1),
            dt.date(2021, 6, 30),
            Decimal("12000000"),
            Decimal("40"),
            14,
            "Jongeren van 18 tot 25 jaar die zich inschrijven bij VDAB en een grote nood aan "
            "begeleiding hebben, velen zonder diploma secundair onderwijs.",
            "Derde editie van de oproep: 14 partnerschappen in heel Vlaanderen geven 18 "
            "maanden intensieve begeleiding naar een opleiding of een job.",
            (TargetSpec(T.PARTICIPANTS, B.MORE_THAN, 4_000, dt.date(2021, 6, 30)),),
        ),
        # Source 004 ("ESF-oproep Armoede"): launched March 2016; 2,500,000.00 of which
        # 1,000,000.00 ESF (40 %) and 1,500,000.00 own co-financing (60 %). No number of people
        # is given as target, only the target group.
        CallSpec(
            CALL_POVERTY_2016,
            "",
            "Oproep Armoede",
            OP_2014_2020,
            "",
            "",
            dt.date(2016, 7, 1),
            dt.date(2018, 8, 31),
            Decimal("2500000"),
            Decimal("40"),
            None,
            "Mensen op beroepsactieve leeftijd in gezinnen met een zeer lage werkintensiteit.",
            "Geïntegreerde trajecten naar werk of opleiding voor mensen in armoede, door "
            "organisaties in Vlaanderen en Brussel met ervaring in hun begeleiding.",
            (),
        ),
        # Source 001: "samen met ESF Vlaanderen 9,9 miljoen euro", "tussen 2024 en 2027
        # minstens 4.000 mensen" into work. No split stated. The source's other figure, 2,400
        # people into work "dit en volgend jaar" through intensive trajectories like IN-Z's,
        # is not this call's: the 4,000 come "daarbovenop", from 2024. The source names no call
        # or project for the 2,400 (and a call needs a budget, which it does not give), so
        # that goal is only told in the description, not seeded as a target of this call.
        CallSpec(
            CALL_LOCAL_PARTNERSHIPS,
            "",
            "Lokale partnerschappen 2024–2027",
            "ESF Vlaanderen",
            "",
            "",
            dt.date(2024, 1, 1),
            dt.date(2027, 12, 31),
            Decimal("9900000"),
            None,
            None,
            "De meest kwetsbare niet-actieven en werkzoekenden, bijvoorbeeld huisvrouwen en "
            "-mannen van buitenlandse herkomst.",
            "Lokale partnerschappen in heel Vlaanderen (voorbereid door ESF, VVSG, VDAB, "
            "Antwerpen en Gent) brengen de persoonlijke, outreachende aanpak samen in plaats "
            "van losse projecten. Dit komt bovenop het doel van de minister om dit en volgend "
            "jaar minstens 2.400 mensen aan werk te helpen met intensieve trajecten zoals bij "
            "IN-Z; dat doel hoort niet bij deze oproep.",
            (
                TargetSpec(
                    T.INTO_WORK,
                    B.AT_LEAST,
                    4_000,
                    dt.date(2027, 12, 31),
                    "Tussen 2024 en 2027, bovenop de 2.400 van dit en volgend jaar.",
                ),
            ),
        ),
    ]


# What each call pays for (issue 17). Call 478 (source 000, 004): W² trajectories and their
# group work, nothing else. The outreach call (004 §b, 002): outreach and activation. WIJ3
# (004 §c): the youth track. The poverty call 2016 (004): integrated trajectories for people
# in poverty, i.e. W². The local partnerships 2024–2027 (001): the outreaching approach and
# intensive W²-type trajectories.
CALL_FUNDS: dict[str, tuple[str, ...]] = {
    CALL_478: (F.W2, F.GROUP_WORK),
    CALL_OUTREACH: (F.OUTREACH,),
    CALL_WIJ3: (F.YOUTH,),
    CALL_POVERTY_2016: (F.W2,),
    CALL_LOCAL_PARTNERSHIPS: (F.OUTREACH, F.W2),
}

# The projects are those of ``demo_data.projects()`` (codes other code looks up); here is which
# call funds each and what it has to reach.
PROJECT_CALLS: dict[str, str] = {
    "esf478-wvl": CALL_478,
    "esf478-ovl": CALL_478,
    "esf478-lim": CALL_478,
    "esf478-vbr": CALL_478,
    "esf478-ant": CALL_478,
    "gent-mobiel-arbeidsteam": CALL_OUTREACH,
}

PROJECT_TARGETS: dict[str, tuple[TargetSpec, ...]] = {
    # Source 002: "tegen 2022 meer dan 900 mensen naar werk of een opleiding": by the end of
    # the project (31 December 2021, source 004 §b), not during 2022.
    "gent-mobiel-arbeidsteam": (
        TargetSpec(
            T.INTO_WORK_OR_TRAINING,
            B.MORE_THAN,
            900,
            dt.date(2021, 12, 31),
            "Tegen 2022, het einde van het project.",
        ),
    ),
}


def seed_calls_and_projects(orgs: dict[str, Organisation]) -> None:
    """Create or update the calls, projects and targets of the sources (idempotent)."""
    by_code = {}
    for spec in calls():
        call = call_upsert(
            acting_user=None,
            code=spec.code,
            number=spec.number,
            title=spec.title,
            operational_programme=spec.operational_programme,
            priority=spec.priority,
            investment_priority=spec.investment_priority,
            start_date=spec.start,
            end_date=spec.end,
            total_budget=spec.total,
            esf_share_percent=spec.esf_percent,
            planned_projects=spec.planned_projects,
            target_group=spec.target_group,
            description=spec.description,
            funds=CALL_FUNDS.get(spec.code, ()),
        )
        by_code[spec.code] = call
        for t in spec.targets:
            call_target_upsert(
                acting_user=None,
                call=call,
                kind=t.kind,
                bound=t.bound,
                value=t.value,
                due_date=t.due,
                note=t.note,
            )
    for p in demo_data.projects():
        call_code = PROJECT_CALLS.get(p.code)
        project = project_upsert(
            acting_user=None,
            code=p.code,
            name=p.name,
            promoter=orgs[p.promoter],
            province=p.province,
            area=p.area,
            start_date=p.start,
            end_date=p.end,
            budget=p.budget,
            description=p.description,
            partners=[orgs[c] for c in p.partners],
            call=by_code[call_code] if call_code else None,
        )
        for t in PROJECT_TARGETS.get(p.code, ()):
            project_target_upsert(
                acting_user=None,
                project=project,
                kind=t.kind,
                bound=t.bound,
                value=t.value,
                due_date=t.due,
                note=t.note,
            )
