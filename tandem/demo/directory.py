"""The services directory of the demo region: the services of the organisations named in the
sources (DOMAIN.md §1), at locations in their municipalities, with their life domains.

Ids are fixed (UUID 5), so ``seed_directory`` can run again: a service, location or link that
exists is left as it is (a demo user may have changed it). Street addresses are illustrative.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from tandem.accounts.models import Organisation
from tandem.common.models import LifeDomain as D
from tandem.common.models import Province
from tandem.demo.data import MAIN_CITIES, vdab_code
from tandem.network.directory import services
from tandem.network.directory.hsds import TANDEM_NAMESPACE
from tandem.network.models import Location, Service, ServiceAtLocation


class Place(NamedTuple):
    key: str
    name: str
    address_1: str
    postal_code: str
    city: str
    province: str


class ServiceSpec(NamedTuple):
    key: str
    organisation: str  # organisation code
    name: str
    life_domains: tuple[str, ...]
    description: str
    eligibility: str
    application: str
    places: tuple[Place, ...]


POSTAL_CODES = {
    "Antwerpen": "2000",
    "Hasselt": "3500",
    "Gent": "9000",
    "Leuven": "3000",
    "Brugge": "8000",
}
SLUGS: dict[str, str] = {
    Province.ANTWERPEN: "antwerpen",
    Province.LIMBURG: "hasselt",
    Province.OOST_VLAANDEREN: "gent",
    Province.VLAAMS_BRABANT: "leuven",
    Province.WEST_VLAANDEREN: "brugge",
}
CAW_CODES: dict[str, str] = {
    Province.ANTWERPEN: "caw-antwerpen",
    Province.LIMBURG: "caw-hasselt",
    Province.OOST_VLAANDEREN: "caw-oost-vlaanderen",
    Province.VLAAMS_BRABANT: "caw-leuven",
    Province.WEST_VLAANDEREN: "caw-brugge",
}
PROVINCE_NAMES: dict[str, str] = {
    Province.ANTWERPEN: "Antwerpen",
    Province.LIMBURG: "Limburg",
    Province.OOST_VLAANDEREN: "Oost-Vlaanderen",
    Province.VLAAMS_BRABANT: "Vlaams-Brabant",
    Province.WEST_VLAANDEREN: "West-Vlaanderen",
}
MOBIEL_ARBEIDSTEAM = (
    ("vzw-jes", "Jes", "Sleepstraat 12"),
    ("vzw-jong", "Jong", "Dampoortstraat 40"),
    ("vzw-compaan", "Compaan", "Bevrijdingslaan 5"),
    ("vzw-weerwerk", "Weerwerk", "Wondelgemstraat 80"),
    ("vzw-de-sloep", "De Sloep", "Tolhuislaan 21"),
    ("vzw-de-stap", "De Stap", "Brugse Poort 3"),
)
DESCRIPTIONS = {
    "ocmw": "Het OCMW zorgt voor maatschappelijke dienstverlening in de gemeente: leefloon, "
    "budgetbegeleiding, schuldbemiddeling en hulp bij wonen en werk.",
    "vdab": "De VDAB-werkwinkel begeleidt werkzoekenden naar werk en opleiding; de "
    "werk-welzijnsbemiddelaars volgen wie ook met welzijnsvragen zit, samen met een "
    "welzijnspartner.",
    "caw": "Het Centrum Algemeen Welzijnswerk helpt gratis bij vragen over wonen, relaties, "
    "geld, justitie en welzijn.",
    "svk-gent": "Het sociaal verhuurkantoor huurt woningen op de private markt en verhuurt ze "
    "betaalbaar aan mensen met een laag inkomen.",
    "justitiehuis-gent": "Het justitiehuis volgt justitiabelen op: justitieassistenten begeleiden "
    "alternatieve straffen, voorwaarden en slachtofferonthaal.",
    "groep-intro": "Groep Intro begeleidt mensen in kwetsbare situaties naar werk, opleiding "
    "en een sterker netwerk, individueel en in groep.",
    "randstad": "Randstad Belgium is een uitzendbureau dat met 'Samen naar Werk!' ook "
    "groepstrajecten naar werk aanbiedt.",
    "in-z": "IN-Z werkt in Hasselt aan armoedebestrijding en tewerkstelling: een digipunt, "
    "het sociaal restaurant Klavertjevier en outreach in de wijken.",
    "mat": "Partner van het Gentse Mobiel Arbeidsteam: outreachwerkers zoeken mensen op waar ze "
    "zijn en brengen hen naar werk-welzijnsbemiddeling.",
}


def _id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(TANDEM_NAMESPACE, f"demo:{kind}:{key}")


def directory_specs() -> list[ServiceSpec]:
    specs: list[ServiceSpec] = []
    for province, city in MAIN_CITIES.items():
        slug = SLUGS[province]
        region = PROVINCE_NAMES[province]
        huis = Place(
            f"ocmw-{slug}", f"Sociaal Huis {city}", "Marktplein 1", POSTAL_CODES[city], city, region
        )
        specs += [
            ServiceSpec(
                f"ocmw-{slug}-budget",
                f"ocmw-{slug}",
                "Budgetbegeleiding en schuldbemiddeling",
                (D.INCOME,),
                "Samen je budget opmaken, rekeningen op tijd betalen en afbetalingsplannen "
                "afspreken met schuldeisers; schuldbemiddeling en hulp bij een collectieve "
                "schuldenregeling.",
                f"Inwoners van {city} met betalingsproblemen of schulden.",
                "Maak een afspraak bij het onthaal van het Sociaal Huis.",
                (huis,),
            ),
            ServiceSpec(
                f"ocmw-{slug}-leefloon",
                f"ocmw-{slug}",
                "Leefloon en maatschappelijke integratie",
                (D.INCOME, D.PARTICIPATION),
                "Een leefloon voor wie niet genoeg inkomen heeft, met een geïndividualiseerd "
                "project voor maatschappelijke integratie (GPMI).",
                f"Inwoners van {city} zonder (voldoende) inkomen.",
                "Vraag het aan bij het Sociaal Huis; een maatschappelijk werker komt op "
                "huisbezoek.",
                (huis,),
            ),
            ServiceSpec(
                f"{CAW_CODES[province]}-wonen",
                CAW_CODES[province],
                "Woonbegeleiding",
                (D.HOUSING,),
                "Hulp bij het zoeken en houden van een woning: huurachterstal, dreigende "
                "uithuiszetting, dakloosheid, begeleid wonen.",
                "Iedereen met een woonvraag; gratis.",
                "Kom langs tijdens de onthaaluren of bel het onthaal.",
                (
                    Place(
                        f"caw-{slug}",
                        f"CAW-onthaal {city}",
                        "Stationsstraat 10",
                        POSTAL_CODES[city],
                        city,
                        region,
                    ),
                ),
            ),
        ]
        # A VDAB office's own service: a welfare partner (CAW, OCMW) refers a person to it for
        # work; the referral lands in the office's intake queue (tandem.registry.intake).
        specs.append(
            ServiceSpec(
                f"{vdab_code(province)}-werk",
                vdab_code(province),
                "Begeleiding naar werk en opleiding",
                (D.WORK_EDUCATION,),
                "Een bemiddelaar van de werkwinkel zoekt samen met je naar werk, een opleiding "
                "of een werkervaring, en volgt je op tot je aan de slag bent.",
                f"Werkzoekenden in {city} en omgeving; ook wie nog niet ingeschreven is.",
                "Een welzijnspartner verwijst je door; de werkwinkel neemt je op in haar instroom.",
                (
                    Place(
                        f"vdab-{slug}",
                        f"VDAB-werkwinkel {city}",
                        "Vooruitgangstraat 2",
                        POSTAL_CODES[city],
                        city,
                        region,
                    ),
                ),
            )
        )
    gent = ("9000", "Gent", "Oost-Vlaanderen")
    specs += [
        ServiceSpec(
            "svk-gent-verhuur",
            "svk-gent",
            "Sociale verhuur",
            (D.HOUSING,),
            "Betaalbare huurwoningen van private eigenaars, met woonbegeleiding.",
            "Huurders met een laag inkomen die ingeschreven zijn bij het SVK.",
            "Schrijf je in op het kantoor van het SVK.",
            (Place("svk-gent", "SVK Gent", "Kortrijksesteenweg 100", *gent),),
        ),
        ServiceSpec(
            "justitiehuis-gent-assistentie",
            "justitiehuis-gent",
            "Justitieassistentie",
            (D.JUSTICE,),
            "Justitieassistenten begeleiden wie een werkstraf, probatie of voorwaarden "
            "heeft, en helpen bij het zoeken naar werk en opleiding binnen die voorwaarden.",
            "Justitiabelen met een opdracht van een rechter of het openbaar ministerie.",
            "Op verwijzing door de gerechtelijke overheid.",
            (Place("justitiehuis-gent", "Justitiehuis Gent", "Cataloniëstraat 7", *gent),),
        ),
        ServiceSpec(
            "groep-intro-groepstraject",
            "groep-intro",
            "Groepstraject werk-welzijn",
            (D.WORK_EDUCATION, D.SOCIAL_NETWORK, D.DAYTIME),
            "Modulaire groepsbegeleiding naast de individuele werk-welzijnsbemiddeling: "
            "zelfinzicht, je netwerk in kaart, draagkracht; met een persoonlijk "
            "ontwikkelingsplan als resultaat.",
            "Werkzoekenden in een werk-welzijnstraject, op verwijzing van hun bemiddelaar.",
            "Je werk-welzijnsbemiddelaar van VDAB meldt je aan.",
            tuple(
                Place(
                    f"groep-intro-{SLUGS[p]}",
                    f"Groep Intro {MAIN_CITIES[p]}",
                    "Kerkstraat 20",
                    POSTAL_CODES[MAIN_CITIES[p]],
                    MAIN_CITIES[p],
                    PROVINCE_NAMES[p],
                )
                for p in (
                    Province.WEST_VLAANDEREN,
                    Province.OOST_VLAANDEREN,
                    Province.LIMBURG,
                    Province.VLAAMS_BRABANT,
                )
            ),
        ),
        ServiceSpec(
            "randstad-samen-naar-werk",
            "randstad",
            "Samen naar Werk! – groepstraject",
            (D.WORK_EDUCATION, D.SOCIAL_NETWORK),
            "Groepstraject naar werk in de provincie Antwerpen, in tandem met de "
            "werk-welzijnsbemiddelaars van VDAB.",
            "Werkzoekenden in een werk-welzijnstraject in de provincie Antwerpen.",
            "Je werk-welzijnsbemiddelaar van VDAB meldt je aan.",
            (
                Place(
                    "randstad-antwerpen",
                    "Randstad Antwerpen",
                    "Frankrijklei 50",
                    "2000",
                    "Antwerpen",
                    "Antwerpen",
                ),
            ),
        ),
    ]
    in_z = Place("in-z-hasselt", "IN-Z", "Hoogstraat 5", "3500", "Hasselt", "Limburg")
    specs += [
        ServiceSpec(
            "in-z-digipunt",
            "in-z",
            "Digipunt",
            (D.IADL,),
            "Hulp bij de computer, de smartphone en online formulieren: mijn VDAB, "
            "itsme, e-mail, een cv opmaken.",
            "Iedereen die digitaal minder mee is; gratis.",
            "Kom langs tijdens de openingsuren, zonder afspraak.",
            (in_z,),
        ),
        ServiceSpec(
            "in-z-klavertjevier",
            "in-z",
            "Sociaal restaurant Klavertjevier",
            (D.ADL, D.SOCIAL_NETWORK),
            "Een gezonde, betaalbare maaltijd in gezelschap; sociaal tarief voor wie het "
            "krap heeft.",
            "Iedereen; sociaal tarief op vertoon van een kaart van het OCMW of IN-Z.",
            "Kom langs over de middag.",
            (
                Place(
                    "in-z-klavertjevier",
                    "Klavertjevier",
                    "Kuringersteenweg 9",
                    "3500",
                    "Hasselt",
                    "Limburg",
                ),
            ),
        ),
    ]
    for code, name, street in MOBIEL_ARBEIDSTEAM:
        specs.append(
            ServiceSpec(
                f"{code}-mobiel-arbeidsteam",
                code,
                f"Mobiel Arbeidsteam – outreach ({name})",
                (D.WORK_EDUCATION, D.PARTICIPATION),
                "Outreachwerkers gaan naar mensen toe (schoolpoort, buurtcentrum, "
                "huisbezoek), bouwen vertrouwen op en brengen hen naar "
                "werk-welzijnsbemiddeling.",
                "Gentenaars die (nog) niet bij VDAB ingeschreven zijn of de weg niet vinden.",
                "Spreek een outreachwerker aan of kom langs in het buurtcentrum.",
                (Place(code, f"{name} – buurtwerking", street, *gent),),
            )
        )
    return specs


def _description(spec: ServiceSpec) -> str:
    if spec.key.endswith("-mobiel-arbeidsteam"):
        return DESCRIPTIONS["mat"]
    if spec.organisation.startswith(("ocmw-", "caw-", "vdab-")):
        return DESCRIPTIONS[spec.organisation.split("-")[0]]
    return DESCRIPTIONS[spec.organisation]


def seed_directory(orgs: dict[str, Organisation]) -> int:
    """Create the demo region's services directory; return how many services were new.

    Organisations missing from ``orgs`` are skipped. Safe to run again.
    """
    created = 0
    described: set[str] = set()
    for spec in directory_specs():
        organisation = orgs.get(spec.organisation)
        if organisation is None:
            continue
        if spec.organisation not in described and not organisation.description:
            services.organisation_entry_update(
                acting_user=None, organisation=organisation, description=_description(spec)
            )
            described.add(spec.organisation)
        service_id = _id("service", spec.key)
        service = Service.objects.filter(pk=service_id).first()
        if service is None:
            service = services.service_create(
                acting_user=None,
                organisation=organisation,
                service_id=service_id,
                name=spec.name,
                life_domains=[str(d) for d in spec.life_domains],
                description=spec.description,
                eligibility_description=spec.eligibility,
                application_process=spec.application,
            )
            created += 1
        for place in spec.places:
            link_id = _id("service-at-location", f"{spec.key}:{place.key}")
            if ServiceAtLocation.objects.filter(pk=link_id).exists():
                continue
            location_id = _id("location", place.key)
            location = Location.objects.filter(pk=location_id).first()
            if location is not None:
                services.service_location_add(
                    acting_user=None, service=service, location=location, link_id=link_id
                )
            else:
                services.service_location_add(
                    acting_user=None,
                    service=service,
                    link_id=link_id,
                    location_id=location_id,
                    name=place.name,
                    address_1=place.address_1,
                    postal_code=place.postal_code,
                    city=place.city,
                    region=place.province,
                )
    return created
