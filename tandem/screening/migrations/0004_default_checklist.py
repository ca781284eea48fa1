"""The default Dutch signal checklist (knipperlichtenlijst), version 1, covering every life
domain. Administrators change it by making a new version in the admin."""

from django.db import migrations
from django.utils import timezone

# (domain, code, signal, help text, weight, points to MMPPS)
SIGNALS = [
    (
        "income",
        "inkomen-ontoereikend",
        "Het inkomen volstaat niet om de maand rond te komen",
        "Vraag: lukt het om huur, eten en rekeningen te betalen tot het einde van de maand?",
        2,
        False,
    ),
    (
        "income",
        "schulden",
        "Er zijn schulden of achterstallige rekeningen",
        "Huur, energie, water, ziekenhuis, leningen, boetes.",
        2,
        False,
    ),
    (
        "income",
        "geen-inkomen",
        "Geen of een onzeker inkomen",
        "Geen uitkering en geen leefloon, of een inkomen dat elk moment kan wegvallen.",
        3,
        False,
    ),
    (
        "income",
        "schuldhulp",
        "Er loopt budgetbegeleiding, schuldbemiddeling of collectieve schuldenregeling",
        "Noteer wie begeleidt: OCMW, CAW of een schuldbemiddelaar.",
        1,
        False,
    ),
    (
        "work_education",
        "geen-diploma",
        "Geen diploma secundair onderwijs",
        "Of een buitenlands diploma dat niet erkend is.",
        1,
        False,
    ),
    ("work_education", "lang-zonder-werk", "Langer dan twee jaar niet gewerkt", "", 2, False),
    ("work_education", "nooit-gewerkt", "Nooit betaald werk gehad in België", "", 1, False),
    (
        "daytime",
        "geen-dagstructuur",
        "Geen vaste dagstructuur of regelmatige bezigheden",
        "Opstaan, afspraken nakomen en een week plannen lukken niet vanzelf.",
        1,
        False,
    ),
    ("housing", "dakloos", "Dakloos, verblijft bij vrienden of in de nachtopvang", "", 3, False),
    ("housing", "uithuiszetting", "Dreigende uithuiszetting of opzeg van de huur", "", 3, False),
    (
        "housing",
        "slechte-woning",
        "De woning is vochtig, ongezond, onveilig of te klein",
        "",
        2,
        False,
    ),
    (
        "housing",
        "hoge-woonkost",
        "Huur en energie slorpen meer dan de helft van het inkomen op",
        "",
        1,
        False,
    ),
    (
        "family",
        "geen-kinderopvang",
        "Geen kinderopvang voor jonge kinderen of opvang na school",
        "Zonder opvang kan de persoon niet naar een opleiding of werk.",
        2,
        False,
    ),
    (
        "family",
        "alleenstaande-ouder",
        "Alleenstaande ouder zonder hulp bij de zorg voor de kinderen",
        "",
        1,
        False,
    ),
    ("family", "spanningen-gezin", "Spanningen, scheiding of geweld in het gezin", "", 2, False),
    ("family", "mantelzorg", "Zorgt voor een ziek of hulpbehoevend gezinslid", "", 1, False),
    (
        "mental_health",
        "psychische-klachten",
        "Psychische klachten die het dagelijks leven hinderen",
        "Somberheid, angst, stress, slecht slapen.",
        2,
        True,
    ),
    (
        "mental_health",
        "psychiatrische-problematiek",
        "Uitgesproken psychiatrische problematiek of lopende psychiatrische behandeling",
        "Een uitgesproken probleem sluit een werk-welzijnstraject uit: denk aan werk-zorg.",
        3,
        True,
    ),
    (
        "physical_health",
        "gezondheid-beperkt-werk",
        "Gezondheidsklachten die werken beperken",
        "",
        2,
        True,
    ),
    (
        "physical_health",
        "medische-problematiek",
        "Uitgesproken medische problematiek of arbeidsongeschiktheid",
        "Erkend door de mutualiteit of de arts; denk aan werk-zorg.",
        3,
        True,
    ),
    (
        "physical_health",
        "zorg-uitgesteld",
        "Stelt medische zorg of medicatie uit om financiële redenen",
        "Een signaal van armoede, niet van een medisch probleem op zich.",
        1,
        False,
    ),
    (
        "addiction",
        "middelengebruik",
        "Gebruik van alcohol, drugs, medicatie of gokken dat problemen geeft",
        "",
        2,
        True,
    ),
    ("addiction", "verslaving", "Uitgesproken verslaving zonder behandeling", "", 3, True),
    (
        "adl",
        "hulp-zelfzorg",
        "Heeft hulp nodig bij dagelijkse zelfzorg (wassen, eten, aankleden)",
        "",
        3,
        True,
    ),
    (
        "iadl",
        "geen-vervoer",
        "Geen rijbewijs, fiets of openbaar vervoer om werk of opleiding te bereiken",
        "",
        1,
        False,
    ),
    (
        "iadl",
        "digitaal",
        "Kan Mijn VDAB, e-mail of digitale formulieren niet zonder hulp gebruiken",
        "Heeft de persoon een smartphone of computer en internet?",
        1,
        False,
    ),
    ("iadl", "administratie", "Krijgt brieven, facturen en formulieren niet op orde", "", 2, False),
    (
        "social_network",
        "niemand",
        "Heeft niemand om op terug te vallen",
        "Geen familie, vrienden of buren die helpen als het moeilijk gaat.",
        2,
        False,
    ),
    ("social_network", "klein-netwerk", "Weinig contacten buiten het gezin", "", 1, False),
    (
        "participation",
        "nederlands",
        "Spreekt onvoldoende Nederlands voor een eenvoudig gesprek",
        "Een gesprek over werk lukt niet zonder tolk of hulp.",
        2,
        False,
    ),
    (
        "participation",
        "verblijfsstatus",
        "Onzekere verblijfsstatus of lopende procedure",
        "",
        2,
        False,
    ),
    (
        "participation",
        "geen-deelname",
        "Neemt niet deel aan activiteiten in de buurt, een vereniging of vrije tijd",
        "",
        1,
        False,
    ),
    (
        "justice",
        "justitiele-begeleiding",
        "Lopende gerechtelijke procedure of begeleiding door een justitieassistent",
        "",
        2,
        False,
    ),
    (
        "justice",
        "na-detentie",
        "Recent vrijgekomen uit detentie of onder elektronisch toezicht",
        "",
        2,
        False,
    ),
]


def load(apps, schema_editor):
    ChecklistVersion = apps.get_model("screening", "ChecklistVersion")
    Signal = apps.get_model("screening", "Signal")
    if ChecklistVersion.objects.filter(version=1).exists():
        return
    checklist = ChecklistVersion.objects.create(
        version=1,
        title="Knipperlichtenlijst",
        published_at=timezone.now(),
        notes="Eerste versie, met signalen in elk levensdomein.",
    )
    Signal.objects.bulk_create(
        Signal(
            checklist=checklist,
            domain=domain,
            code=code,
            question=question,
            help_text=help_text,
            weight=weight,
            mmpps=mmpps,
            order=index,
        )
        for index, (domain, code, question, help_text, weight, mmpps) in enumerate(SIGNALS)
    )


def unload(apps, schema_editor):
    apps.get_model("screening", "ChecklistVersion").objects.filter(
        version=1, screenings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_signal_checklist_and_screenings")]
    operations = [migrations.RunPython(load, unload)]
