"""Severe material deprivation as the sources measure it (issue 17).

Source 004 (ESF call 478 annex, "Ernstige materiële deprivatie"): "In 2018 leefde 2% van de
Vlamingen in een huishouden in ernstige materiële deprivatie" — Eurostat's EU 2020 indicator
(ilc_mddd11): enforced lack of at least 4 of 9 items. Tandem's own indicator is the EU 2030
severe material and social deprivation (ilc_mdsd11): at least 7 of 13 items. Both are kept,
each labelled with its definition and reference year; so are the EU 2020 work intensity
(ilc_lvhl11: adults 18–59) and AROPE (ilc_peps01) that go with it.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.registry.services import (
    IncomeData,
    MemberData,
    household_circumstances_update,
    household_update,
)
from tandem.screening.household import household_report
from tandem.screening.indicators import (
    AROPE_EU2020_TITLE,
    AROPE_TITLE,
    EU2020_ONLY_ITEMS,
    HOUSEHOLD_ITEMS,
    PERSONAL_ITEMS,
    SMD_ITEMS,
    SMD_TITLE,
    SMSD_TITLE,
    VLWI_EU2020_TITLE,
    VLWI_TITLE,
    Indicator,
    MemberInput,
    arope,
    household_indicators,
    missing_items,
    severe_material_deprivation,
    severe_material_social_deprivation,
    work_intensity,
    work_intensity_eu2020,
)
from tests.factories import make_person

EUSILC = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "eusilc.csv"
SHARED = tuple(code for code in SMD_ITEMS if code in HOUSEHOLD_ITEMS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def smd(lacking=(), having=()):
    """SMD of a household lacking ``lacking`` and having ``having`` (items by code)."""
    answers = {code: True for code in lacking} | {code: False for code in having}
    return severe_material_deprivation(
        {c: v for c, v in answers.items() if c in HOUSEHOLD_ITEMS},
        {c: v for c, v in answers.items() if c in EU2020_ONLY_ITEMS},
    )


def rest(*lacking):
    return tuple(code for code in SMD_ITEMS if code not in lacking)


def test_the_nine_items_are_eurostats():
    # Eurostat ilc_mddd11: arrears; one week's holiday; a meal with meat, fish or a vegetarian
    # equivalent every second day; unexpected expenses; a telephone; a colour TV; a washing
    # machine; a car; keeping the home adequately warm.
    assert SMD_ITEMS == (
        "arrears",
        "holiday",
        "meal",
        "unexpected_expenses",
        "telephone",
        "colour_tv",
        "washing_machine",
        "car",
        "warm_home",
    )
    # Six are EU 2030 household items (the same EU-SILC questions); three only EU 2020 asks.
    assert set(SMD_ITEMS) - set(HOUSEHOLD_ITEMS) == set(EU2020_ONLY_ITEMS)
    assert set(HOUSEHOLD_ITEMS) - set(SMD_ITEMS) == {"furniture"}


FOUR = ("arrears", "holiday", "meal", "unexpected_expenses")


@pytest.mark.parametrize(
    ("lacking", "having", "value"),
    [
        # Eurostat ilc_mddd11: "at least 4 out of the 9" items.
        (FOUR, rest(*FOUR), True),
        (FOUR[:3], rest(*FOUR[:3]), False),
        ((), SMD_ITEMS, False),
        (SMD_ITEMS, (), True),
        (("telephone", "colour_tv", "washing_machine", "car"), (*FOUR, "warm_home"), True),
        # Decided without the three durables only when they cannot change the verdict.
        (FOUR, ("car", "warm_home"), True),
        ((), SHARED, False),  # 0 + 3 unrecorded cannot reach 4
        (("car",), rest("car", "telephone", "colour_tv", "washing_machine"), None),
        (("holiday", "car", "meal"), ("arrears", "unexpected_expenses", "warm_home"), None),
        ((), (), None),  # nothing recorded
    ],
)
def test_severe_material_deprivation_is_4_of_9(lacking, having, value):
    result = smd(lacking, having)
    assert result.value is value
    assert result.total == 9
    assert result.count == len(lacking)
    assert result.limit == 4


def test_furniture_and_the_personal_items_are_not_among_the_nine():
    household = {"furniture": True, "arrears": True, "holiday": True, "meal": True}
    result = severe_material_deprivation(
        household | {"unexpected_expenses": False, "car": False, "warm_home": False},
        dict.fromkeys(EU2020_ONLY_ITEMS, False),
    )
    assert result.value is False
    assert result.count == 3
    assert "furniture" not in result.lacking


@pytest.mark.parametrize(
    ("household", "personal", "eu2020", "smsd", "smd_value"),
    [
        # Lacks 4 of 9 (the three durables and a holiday) but only 1 of 13.
        (
            dict.fromkeys(HOUSEHOLD_ITEMS, False) | {"holiday": True},
            dict.fromkeys(PERSONAL_ITEMS, False),
            dict.fromkeys(EU2020_ONLY_ITEMS, True),
            False,
            True,
        ),
        # Lacks 7 of 13 (furniture and the six personal items) but none of the 9.
        (
            dict.fromkeys(HOUSEHOLD_ITEMS, False) | {"furniture": True},
            dict.fromkeys(PERSONAL_ITEMS, True),
            dict.fromkeys(EU2020_ONLY_ITEMS, False),
            True,
            False,
        ),
    ],
)
def test_the_two_definitions_can_disagree(household, personal, eu2020, smsd, smd_value):
    assert severe_material_social_deprivation(household, personal).value is smsd
    assert severe_material_deprivation(household, eu2020).value is smd_value


def test_reasons_name_the_definition_and_the_missing_items():
    result = smd(FOUR[:2], ("meal", "unexpected_expenses", "car", "warm_home"))
    assert result.reasons[0] == (
        "2 of 9 items cannot be afforded and 3 are not recorded; severe material deprivation "
        "(EU-2020 definition) needs 4, so it is undecided until they are recorded."
    )
    assert result.reasons[-1] == (
        "Not recorded: A telephone (including a mobile phone); A colour TV; A washing machine."
    )


def test_unknown_items_are_refused():
    with pytest.raises(ValueError, match="telephone"):
        severe_material_deprivation({"telephone": True}, {})  # an EU 2020 item, not household
    with pytest.raises(ValueError, match="internet"):
        severe_material_deprivation({}, {"internet": True})


def test_titles_carry_the_definition_and_reference_year():
    assert str(SMSD_TITLE) == "Severe material and social deprivation (EU-2030: 7 of 13 items)"
    assert str(SMD_TITLE) == "Severe material deprivation (EU-2020: 4 of 9 items)"
    for title in (VLWI_TITLE, AROPE_TITLE):
        assert "EU-2030" in str(title)
    for title in (VLWI_EU2020_TITLE, AROPE_EU2020_TITLE):
        assert "EU-2020" in str(title)


# --- what a data source must carry -----------------------------------------------------------


def test_a_rate_needs_every_item_of_its_definition():
    assert missing_items("smd", [*HOUSEHOLD_ITEMS, *PERSONAL_ITEMS]) == (
        "telephone",
        "colour_tv",
        "washing_machine",
    )
    assert missing_items("smsd", [*HOUSEHOLD_ITEMS, *PERSONAL_ITEMS]) == ()
    assert missing_items("smd", SMD_ITEMS) == ()
    assert missing_items("smsd", SMD_ITEMS) == ("furniture", *PERSONAL_ITEMS)


@pytest.mark.skipif(not EUSILC.is_file(), reason="shared EU-SILC reference sample absent")
def test_the_eusilc_reference_sample_carries_no_deprivation_item():
    # The laeken sample (../shared/testdata/eusilc.csv) holds income, age, household and weight
    # variables only: no HS/HD/PD deprivation questions, so neither rate is computable from it.
    with EUSILC.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert len(header) == 28
    eusilc_variables = {"hs011", "hs021", "hs031", "hs040", "hs050", "hs060", "hs070", "hs080"}
    eusilc_variables |= {"hs100", "hs110", "hh050", "hd080", "pd020", "pd030", "pd050", "pd060"}
    eusilc_variables |= {"pd070", "pd080"}
    assert not eusilc_variables & {column.lower() for column in header}
    assert missing_items("smd", header) == SMD_ITEMS
    assert missing_items("smsd", header) == (*HOUSEHOLD_ITEMS, *PERSONAL_ITEMS)


# --- EU 2020 work intensity and AROPE --------------------------------------------------------


def m(age, activity=None, months=None):
    return MemberInput(age=age, activity=activity, months_worked=months)


@pytest.mark.parametrize(
    ("members", "eu2030", "eu2020"),
    [
        # Eurostat ilc_lvhl11 (EU 2020): persons 0–59, adults 18–59 (students 18–24 out).
        # ilc_lvhl11n (EU 2030): persons 0–64, working-age 18–64 without students 18–24,
        # retirees, and inactive 60–64 in pension households.
        ([m(40, "unemployed", 0), m(63, "employed", 12)], False, True),  # 63 is out in EU 2020
        ([m(55, "retired", 0), m(12, "child")], None, True),  # retirees count only in EU 2020
        ([m(61, "unemployed", 0), m(62, "unemployed", 0)], True, None),  # 60+: not EU 2020
        ([m(45, "employed", 12), m(22, "student", 0)], False, False),
        ([m(45, "employed", 2), m(23, None, 0)], True, True),  # student or not: ≤ 20 % either way
        ([m(45, "employed", 3), m(23, None, 0)], None, None),  # 3/12 > 20 % if 23 is a student
        ([m(45, "employed", None)], None, None),  # months not recorded: unknown
    ],
)
def test_work_intensity_by_definition(members, eu2030, eu2020):
    assert work_intensity(members).value is eu2030
    assert work_intensity_eu2020(members).value is eu2020


def test_eu2020_work_intensity_does_not_apply_to_a_household_of_60_plus():
    result = work_intensity_eu2020([m(61, "unemployed", 0), m(62, "unemployed", 0)])
    assert result.applicable is False
    assert "0–59" in result.reasons[0]
    assert work_intensity_eu2020([m(17, "student", 0), m(60, "retired", 0)]).applicable is False


YES = Indicator(value=True, reasons=("yes",))
NO = Indicator(value=False, reasons=("no",))


def test_eu2020_arope_names_its_components():
    result = arope(NO, YES, YES, definition="eu2020")
    assert result.value is True
    assert result.reasons == (
        "At risk of poverty or social exclusion because of: severe material deprivation "
        "(EU-2020: 4 of 9 items), very low work intensity (EU-2020).",
    )
    assert "severe material and social deprivation" in arope(NO, YES, NO).reasons[0]


def test_household_indicators_carry_both_definitions():
    result = household_indicators(
        4000.0,
        [m(45, "employed", 12), m(40, "unemployed", 0), m(8, "child")],
        1520.0,
        "EU-SILC 2024",
        household_items=dict.fromkeys(HOUSEHOLD_ITEMS, False)
        | {"holiday": True, "car": True, "meal": True},
        personal_items=dict.fromkeys(PERSONAL_ITEMS, False),
        eu2020_items={"telephone": False, "colour_tv": False, "washing_machine": True},
    )
    assert result.severe_material_social_deprivation.value is False  # 3 of 13
    assert result.severe_material_deprivation.value is True  # 4 of 9
    assert result.at_risk_of_poverty.value is False
    assert result.work_intensity.value is False
    assert result.work_intensity_eu2020.value is False
    assert result.arope.value is False
    assert result.arope_eu2020.value is True  # because of SMD alone


# --- the household page and form -------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_and_form_show_both_definitions(mediator_client, mediator):
    person = make_person(mediator, birth_date=dt.date(1986, 3, 1))
    household = person.household
    reference = household.members.get()
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(
                pk=reference.pk,
                relation="self",
                first_name="",
                birth_date=dt.date(1986, 3, 1),
                activity="unemployed",
                months_worked=0,
            )
        ],
        incomes=[IncomeData(kind="leefloon", monthly_amount=Decimal("1300"))],
    )
    household_circumstances_update(
        acting_user=mediator,
        household=household,
        deprivation={
            "holiday": True,
            "telephone": True,
            "colour_tv": True,
            "washing_machine": True,
        },
        kind_en_gezin={},
    )
    household.refresh_from_db()
    ind = household_report(household, day=dt.date(2026, 6, 1)).indicators
    assert ind.severe_material_deprivation.value is True
    assert ind.severe_material_social_deprivation.value is None  # 1 of 13, 12 unrecorded
    assert ind.arope_eu2020.value is True

    body = mediator_client.get(
        reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    ).content.decode()
    for title in (SMSD_TITLE, SMD_TITLE, VLWI_TITLE, VLWI_EU2020_TITLE, AROPE_TITLE):
        assert str(title) in body
    assert "AROPE, EU-2020" in body

    form = mediator_client.get(
        reverse("registry:household_edit", kwargs={"public_id": person.public_id})
    ).context["circumstances_form"]
    assert [f.name for f in form.eu2020_fields()] == [f"dep_{c}" for c in EU2020_ONLY_ITEMS]
    assert form.initial["dep_telephone"] == "yes"
