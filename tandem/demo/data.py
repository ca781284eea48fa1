"""The organisations and projects named in the sources (DOMAIN.md §1 and §8), as demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from tandem.accounts.models import OrganisationKind as K
from tandem.common.models import Province as P


class OrgSpec(NamedTuple):
    code: str
    name: str
    kind: str
    province: str
    municipality: str
    parent: str | None = None


class ProjectSpec(NamedTuple):
    code: str
    name: str
    promoter: str
    province: str
    area: str
    start: dt.date
    end: dt.date
    budget: Decimal
    partners: tuple[str, ...]
    description: str


# Main city of each province: VDAB office, OCMW and CAW there.
MAIN_CITIES: dict[str, str] = {
    P.ANTWERPEN: "Antwerpen",
    P.LIMBURG: "Hasselt",
    P.OOST_VLAANDEREN: "Gent",
    P.VLAAMS_BRABANT: "Leuven",
    P.WEST_VLAANDEREN: "Brugge",
}

# Municipalities (postal code, name) where demo persons live, per province.
MUNICIPALITIES: dict[str, list[tuple[str, str]]] = {
    P.ANTWERPEN: [
        ("2000", "Antwerpen"),
        ("2100", "Deurne"),
        ("2800", "Mechelen"),
        ("2300", "Turnhout"),
        ("2200", "Herentals"),
        ("2060", "Antwerpen"),
    ],
    P.LIMBURG: [
        ("3500", "Hasselt"),
        ("3600", "Genk"),
        ("3580", "Beringen"),
        ("3700", "Tongeren"),
        ("3900", "Pelt"),
        ("3500", "Hasselt"),
    ],
    P.OOST_VLAANDEREN: [
        ("9000", "Gent"),
        ("9000", "Gent"),
        ("9300", "Aalst"),
        ("9100", "Sint-Niklaas"),
        ("9200", "Dendermonde"),
        ("9700", "Oudenaarde"),
    ],
    P.VLAAMS_BRABANT: [
        ("3000", "Leuven"),
        ("1800", "Vilvoorde"),
        ("3300", "Tienen"),
        ("1500", "Halle"),
        ("3200", "Aarschot"),
    ],
    P.WEST_VLAANDEREN: [
        ("8000", "Brugge"),
        ("8500", "Kortrijk"),
        ("8400", "Oostende"),
        ("8800", "Roeselare"),
        ("8900", "Ieper"),
    ],
}

_SLUG: dict[str, str] = {
    P.ANTWERPEN: "antwerpen",
    P.LIMBURG: "hasselt",
    P.OOST_VLAANDEREN: "gent",
    P.VLAAMS_BRABANT: "leuven",
    P.WEST_VLAANDEREN: "brugge",
}


def organisations() -> list[OrgSpec]:
    specs = [
        OrgSpec("vdab", "VDAB", K.PUBLIC_EMPLOYMENT_SERVICE, "", "Brussel"),
        OrgSpec("esf-vlaanderen", "ESF Vlaanderen", K.OTHER, "", "Brussel"),
        OrgSpec("groep-intro", "Groep Intro vzw", K.GROUP_WORK_PARTNER, "", "Brussel"),
        OrgSpec("randstad", "Randstad Belgium", K.GROUP_WORK_PARTNER, P.ANTWERPEN, "Antwerpen"),
        OrgSpec("in-z", "IN-Z vzw", K.OUTREACH_PARTNER, P.LIMBURG, "Hasselt"),
        OrgSpec("stad-gent", "Stad Gent", K.OTHER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-jes", "vzw Jes", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-jong", "vzw Jong", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-compaan", "vzw Compaan", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-weerwerk", "vzw Weerwerk", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("caw-oost-vlaanderen", "CAW Oost-Vlaanderen", K.CAW, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-de-sloep", "vzw De Sloep", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec("vzw-de-stap", "vzw De Stap", K.OUTREACH_PARTNER, P.OOST_VLAANDEREN, "Gent"),
        OrgSpec(
            "justitiehuis-gent", "Justitiehuis Gent", K.JUSTICE_HOUSE, P.OOST_VLAANDEREN, "Gent"
        ),
        OrgSpec("svk-gent", "SVK Gent", K.SOCIAL_RENTAL_AGENCY, P.OOST_VLAANDEREN, "Gent"),
    ]
    for province, city in MAIN_CITIES.items():
        slug = _SLUG[province]
        specs.append(
            OrgSpec(
                f"vdab-{slug}",
                f"VDAB {city}",
                K.PUBLIC_EMPLOYMENT_SERVICE,
                province,
                city,
                parent="vdab",
            )
        )
        specs.append(OrgSpec(f"ocmw-{slug}", f"OCMW {city}", K.OCMW, province, city))
        # CAW Oost-Vlaanderen already serves Gent (it is one of the Mobiel Arbeidsteam partners).
        if province != P.OOST_VLAANDEREN:
            caw_names: dict[str, str] = {
                P.ANTWERPEN: "CAW Antwerpen",
                P.LIMBURG: "CAW Limburg",
                P.VLAAMS_BRABANT: "CAW Oost-Brabant",
                P.WEST_VLAANDEREN: "CAW Noord-West-Vlaanderen",
            }
            caw_name = caw_names[province]
            specs.append(OrgSpec(f"caw-{slug}", caw_name, K.CAW, province, city))
    return specs


def caw_code(province: str) -> str:
    return "caw-oost-vlaanderen" if province == P.OOST_VLAANDEREN else f"caw-{_SLUG[province]}"


def vdab_code(province: str) -> str:
    return f"vdab-{_SLUG[province]}"


def ocmw_code(province: str) -> str:
    return f"ocmw-{_SLUG[province]}"


MOBIEL_ARBEIDSTEAM_PARTNERS = (
    "vzw-jes",
    "vzw-jong",
    "vzw-compaan",
    "groep-intro",
    "vzw-weerwerk",
    "caw-oost-vlaanderen",
    "vzw-de-sloep",
    "vzw-de-stap",
)

_CALL_478 = (
    "ESF-oproep 478 'Versterking van de werk-welzijnsbemiddeling': groepstrajecten naast "
    "de werk-welzijnsbemiddelaars van VDAB, van 1 augustus 2020 tot eind 2022."
)


def projects() -> list[ProjectSpec]:
    start, end = dt.date(2020, 8, 1), dt.date(2022, 12, 31)
    return [
        ProjectSpec(
            "esf478-wvl",
            "Versterking van werk-welzijnsbegeleiding in WVL",
            "groep-intro",
            P.WEST_VLAANDEREN,
            "",
            start,
            end,
            Decimal("498143"),
            ("vdab-brugge",),
            _CALL_478,
        ),
        ProjectSpec(
            "esf478-ovl",
            "Versterken van de werk-welzijnsbemiddeling OVL",
            "groep-intro",
            P.OOST_VLAANDEREN,
            "",
            start,
            end,
            Decimal("499467"),
            ("vdab-gent",),
            _CALL_478,
        ),
        ProjectSpec(
            "esf478-lim",
            "Versterking van werk-welzijnsbegeleiding in LIM",
            "groep-intro",
            P.LIMBURG,
            "",
            start,
            end,
            Decimal("499773"),
            ("vdab-hasselt",),
            _CALL_478,
        ),
        ProjectSpec(
            "esf478-vbr",
            "Versterking van de werk-welzijnsbegeleiding – Vl-Br",
            "groep-intro",
            P.VLAAMS_BRABANT,
            "",
            start,
            end,
            Decimal("500000"),
            ("vdab-leuven",),
            _CALL_478,
        ),
        ProjectSpec(
            "esf478-ant",
            "Samen naar Werk!",
            "randstad",
            P.ANTWERPEN,
            "",
            start,
            end,
            Decimal("482244"),
            ("vdab-antwerpen",),
            _CALL_478,
        ),
        # One of the outreach-and-activation call's projects, which "lopen van 1 oktober 2019
        # tot en met 31 december 2021" (source 004 §b); source 002 announces it on 10 October
        # 2019 with its goal "tegen 2022", the end of that period.
        ProjectSpec(
            "gent-mobiel-arbeidsteam",
            "Mobiel Arbeidsteam Gent",
            "stad-gent",
            P.OOST_VLAANDEREN,
            "Gent",
            dt.date(2019, 10, 1),
            dt.date(2021, 12, 31),
            Decimal("4700000"),
            ("vdab-gent", *MOBIEL_ARBEIDSTEAM_PARTNERS),
            "Outreach en activering door meer dan 20 bemiddelaars van de Stad, VDAB en acht "
            "middenveldorganisaties: tegen 2022 meer dan 900 mensen naar werk of opleiding.",
        ),
    ]
