"""The pure poverty indicators: worked examples from DOMAIN.md §6 and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.screening.indicators import (
    ACTIVITIES,
    HOUSEHOLD_ITEMS,
    KIND_EN_GEZIN_CRITERIA,
    MODIFIED_OECD,
    PERSONAL_ITEMS,
    Indicator,
    MemberInput,
    arope,
    at_risk_of_poverty,
    equivalised_income,
    equivalised_size,
    household_indicators,
    jobless_household,
    kind_en_gezin_deprivation,
    material_social_deprivation,
    poverty_rate,
    poverty_threshold,
    severe_material_social_deprivation,
    weighted_median,
    work_intensity,
)
from tandem.screening.models import PovertyThreshold


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- equivalised size and income -------------------------------------------------------------


@pytest.mark.parametrize(
    ("ages", "size"),
    [
        ([40], 1.0),
        ([40, 38], 1.5),
        ([40, 38, 10, 7], 2.1),  # 1.0 + 0.5 + 0.3 + 0.3
        ([40, 15], 1.5),  # 14 or over counts as an adult on the scale
        ([40, 14], 1.5),
        ([40, 13], 1.3),
        ([10, 5], 1.3),  # children only: the first counts 1.0
        ([5], 1.0),
        ([10, 5, 2], 1.6),
        ([16, 12], 1.3),  # 16 is the "first adult" (1.0), 12 a child (0.3)
        ([16, 15], 1.5),
        ([34, -1], 1.3),  # EU-SILC age -1: born after the income year, a child
        ([70, 68, 40, 20, 17, 3], 3.3),
    ],
)
def test_equivalised_size_modified_oecd(ages, size):
    assert equivalised_size(ages) == size  # exact: the weights are computed as fractions


def test_equivalised_size_is_exact_for_large_households():
    # 1 + 0.3 × 9 would be 3.6999999999999997 in float arithmetic.
    assert equivalised_size([12] * 10) == 3.7
    assert equivalised_size([40] * 3 + [5] * 9) == 4.7


def test_equivalised_size_refuses_an_empty_household_and_bad_ages():
    with pytest.raises(ValueError, match="at least one member"):
        equivalised_size([])
    with pytest.raises(ValueError, match="age"):
        equivalised_size([40, -2])
    with pytest.raises(ValueError, match="age"):
        equivalised_size([40, math.nan])


def test_equivalised_income_divides_by_the_size():
    assert equivalised_income(2100.0, [40, 38, 10, 7]) == pytest.approx(1000.0)
    assert equivalised_income(-300.0, [40]) == -300.0  # losses are allowed, as in EU-SILC
    with pytest.raises(ValueError):
        equivalised_income(math.inf, [40])


@pytest.mark.django_db
def test_the_official_family_threshold_is_the_single_one_times_2_1():
    """Statbel's 2 adults + 2 children figure = single × 2.1, within rounding to the euro."""
    size = equivalised_size([40, 38, 10, 7])
    years = PovertyThreshold.objects.exclude(couple_two_children_monthly=None)
    assert sorted(years.values_list("survey_year", flat=True)) == [
        2016,
        2018,
        2021,
        2022,
        2023,
        2024,
    ]
    for row in years:
        derived = float(row.single_monthly) * size
        assert abs(derived - float(row.couple_two_children_monthly)) <= 1, row.survey_year
    assert float(PovertyThreshold.objects.get(survey_year=2018).single_monthly) * size == (
        pytest.approx(2492.7)
    )


# --- at risk of poverty ----------------------------------------------------------------------


def test_at_the_threshold_is_not_at_risk_and_a_cent_below_is():
    at = at_risk_of_poverty(1187.0, 1187.0, "survey year 2018")
    below = at_risk_of_poverty(1186.99, 1187.0, "survey year 2018")
    assert at.value is False
    assert below.value is True
    assert below.figure == 1186.99
    assert below.limit == 1187.0
    assert below.reasons == (
        "Equivalised income 1,186.99 EUR/month is below the threshold of 1,187 EUR/month "
        "(survey year 2018).",
    )
    assert "is not below" in at.reasons[0]


def test_at_risk_reasons_follow_the_active_language_for_amounts():
    with translation.override("nl"):
        reason = at_risk_of_poverty(1050.5, 1520.0).reasons[0]
    assert "1.050,50" in reason
    assert "1.520" in reason


def test_at_risk_without_income_is_unknown():
    result = at_risk_of_poverty(None, 1520.0)
    assert result.value is None
    assert result.applicable
    assert result.reasons == ("The household income is not recorded.",)


def test_at_risk_refuses_a_threshold_that_is_not_positive():
    with pytest.raises(ValueError):
        at_risk_of_poverty(1000.0, 0.0)


# --- weighted median -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "weights", "median"),
    [
        ([1, 2, 3, 4], None, 2.5),  # C₂ = 2 = W/2 exactly: average of x₂ and x₃
        ([1, 2, 3], None, 2.0),  # W/2 = 1.5: the first C > 1.5 is C₂
        ([4, 1, 3, 2], [1, 1, 1, 1], 2.5),  # unsorted input
        ([10, 20, 30], [0.1, 0.2, 0.3], 25.0),  # 0.1 + 0.2 "=" 0.3 = W/2: a tie, in decimals
        ([10, 20, 30], [0.1, 0.25, 0.3], 20.0),  # C₂ = 0.35 > 0.325: no tie
        ([5, 1, 3], [2.5, 0.5, 2.0], 4.0),  # sorted 1, 3, 5: C = 0.5, 2.5 = W/2 → (3 + 5)/2
        ([5, 1, 3], [2.5, 0.5, 2.1], 3.0),  # W/2 = 2.55: C₂ = 2.6 > W/2 → 3
        ([1, 2, 3], [1, 0, 1], 2.0),  # weight 0 represents nobody: the median of 1 and 3
        ([0, 0, 1], [0, 1, 1], 0.5),  # … and is never the "next" value: C = 1 = W/2 at 0
        ([7, 7, 7, 9], None, 7.0),
        ([1.5], [3.0], 1.5),
    ],
)
def test_weighted_median_eurostat_rule(values, weights, median):
    assert weighted_median(values, weights) == median


def test_weighted_median_refuses_bad_input():
    with pytest.raises(ValueError, match="no values"):
        weighted_median([])
    with pytest.raises(ValueError, match="weights"):
        weighted_median([1, 2], [1])
    with pytest.raises(ValueError, match="negative"):
        weighted_median([1, 2], [1, -1])
    with pytest.raises(ValueError, match="zero"):
        weighted_median([1, 2], [0, 0])
    with pytest.raises(ValueError, match="finite"):
        weighted_median([1, math.nan])


def _exact_median(values, weights):
    """Eurostat's rule in exact rational arithmetic: the oracle for the float version."""
    pairs = sorted(
        ((x, w) for x, w in zip(values, weights, strict=True) if w > 0), key=lambda p: p[0]
    )
    total = sum(w for _, w in pairs)
    cumulative = Fraction(0)
    for j, (x, w) in enumerate(pairs):
        cumulative += w
        if cumulative == total / 2:
            return (x + pairs[j + 1][0]) / 2
        if cumulative > total / 2:
            return x
    raise AssertionError


incomes = st.integers(-5_000, 100_000).map(float)


@given(
    st.lists(st.tuples(incomes, st.integers(0, 5)), min_size=1, max_size=40).filter(
        lambda rows: any(w for _, w in rows)
    ),
    st.sampled_from([1, 10, 100]),
)
def test_weighted_median_equals_the_exact_rule_for_integer_and_decimal_weights(rows, scale):
    """Weights such as 0.3 = 3/10 behave as the decimals they are (see TIE_RTOL)."""
    values = [x for x, _ in rows]
    exact = [Fraction(w, scale) for _, w in rows]
    weights = [float(w) for w in exact]  # 0.1, 0.2, 0.3, … as floats
    assert weighted_median(values, weights) == _exact_median(values, exact)


def test_poverty_threshold_is_60_percent_of_the_weighted_median():
    assert poverty_threshold([1000, 2000, 3000], [1, 1, 1]) == pytest.approx(1200.0)
    assert poverty_threshold([1000, 2000, 3000, 4000]) == pytest.approx(0.6 * 2500)


def test_poverty_rate_counts_strictly_below():
    assert poverty_rate([100, 200, 300, 400], [1, 1, 1, 1], 300) == 50.0
    assert poverty_rate([100, 200, 300, 400], [3, 1, 1, 1], 200) == 50.0
    assert poverty_rate([100, 200], None, 100) == 0.0


# --- properties ------------------------------------------------------------------------------

ages = st.integers(-1, 100)


@given(st.lists(ages, min_size=1, max_size=12), ages)
def test_adding_a_member_never_lowers_the_equivalised_size(household, newcomer):
    assert equivalised_size([*household, newcomer]) >= equivalised_size(household)


@given(st.lists(ages, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_the_equivalised_size_does_not_depend_on_member_order(household, random):
    shuffled = household[:]
    random.shuffle(shuffled)
    assert equivalised_size(shuffled) == equivalised_size(household)


# Weights: 0 or from 0.001 to 1,000 — a ratio of 10⁶, far wider than survey weights, yet no
# weight falls below the tie test's resolution (TIE_RTOL × the total).
survey_weights = st.just(0.0) | st.floats(1e-3, 1e3)
population = st.lists(
    st.tuples(st.floats(-1e4, 1e6, allow_nan=False, allow_infinity=False), survey_weights),
    min_size=1,
    max_size=50,
).filter(lambda rows: sum(w for _, w in rows) > 0)


@given(population, st.floats(0.01, 100))
def test_scaling_incomes_scales_median_and_threshold(rows, k):
    values = [x for x, _ in rows]
    weights = [w for _, w in rows]
    scaled = [k * x for x in values]
    assert weighted_median(scaled, weights) == pytest.approx(
        k * weighted_median(values, weights), rel=1e-9, abs=1e-9
    )
    assert poverty_threshold(scaled, weights) == pytest.approx(
        k * poverty_threshold(values, weights), rel=1e-9, abs=1e-9
    )


@given(population, st.floats(-2e4, 2e6))
def test_the_rate_is_a_percentage(rows, threshold):
    rate = poverty_rate([x for x, _ in rows], [w for _, w in rows], threshold)
    assert 0 <= rate <= 100


@given(population, st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(rows, random):
    shuffled = rows[:]
    random.shuffle(shuffled)

    def figures(data):
        values = [x for x, _ in data]
        weights = [w for _, w in data]
        threshold = poverty_threshold(values, weights)
        return weighted_median(values, weights), threshold, poverty_rate(values, weights, threshold)

    assert figures(shuffled) == figures(rows)


# --- work intensity --------------------------------------------------------------------------


def m(age, activity=None, months=None, survivor=False):
    return MemberInput(age, activity, months, survivor)


def test_work_intensity_worked_examples():
    half = work_intensity([m(40, "employed", 12), m(38, "unemployed", 0), m(8, "child")])
    assert half.value is False
    assert half.figure == 0.5
    assert half.reasons[0] == (
        "Working-age members worked 12 of 24 possible months (work intensity 50 %), above "
        "the 20 % limit."
    )
    low = work_intensity([m(40, "employed", 2)])
    assert low.value is True
    assert low.figure == pytest.approx(2 / 12)
    assert "very low work intensity" in low.reasons[0]


def test_work_intensity_of_exactly_20_percent_is_very_low():
    members = [m(30, "employed", 12)] + [m(30 + i, "unemployed", 0) for i in range(4)]
    result = work_intensity(members)
    assert result.figure == 0.2
    assert result.value is True


@pytest.mark.parametrize(
    ("member", "counts"),
    [
        (m(20, "student", 0), False),  # students 18–24 are out
        (m(25, "student", 0), True),  # … but not from 25
        (m(17, "employed", 12), False),  # under 18
        (m(65, "unemployed", 0), False),  # over 64
        (m(62, "retired", 0), False),  # retirees are out
        (m(50, "retired", 0, survivor=True), True),  # survivor's pension only: still in
        (m(62, "inactive", 0), True),  # inactive 60–64 out only in a pension household
        (m(45, "sick_disabled", 0), True),
    ],
)
def test_who_counts_as_working_age(member, counts):
    # One reference member working full time; the member under test either adds 12
    # possible months (and 0 worked) or not.
    result = work_intensity([m(40, "employed", 12), member])
    assert result.figure == (0.5 if counts else 1.0)


def test_inactive_60_to_64_in_a_pension_household_is_out():
    members = [m(40, "employed", 3), m(62, "inactive", 0)]
    assert work_intensity(members, pension_income_household=False).figure == 3 / 24
    result = work_intensity(members, pension_income_household=True)
    assert result.figure == 3 / 12
    assert result.value is False
    assert any("pensions" in reason for reason in result.reasons)


def test_work_intensity_does_not_apply_without_working_age_members():
    result = work_intensity([m(20, "student", 0), m(6, "child"), m(70, "retired")])
    assert result.value is None
    assert result.applicable is False
    assert "does not apply" in result.reasons[0]
    everyone_old = work_intensity([m(70, "retired"), m(68, "retired")])
    assert everyone_old.applicable is False
    assert "65 or older" in everyone_old.reasons[0]


def test_unknown_months_leave_work_intensity_unknown():
    result = work_intensity([m(40, "employed", 12), m(38, "unemployed", None)])
    assert result.value is None
    assert result.applicable
    assert any("Member 2 (age 38): months worked" in r for r in result.reasons)


def test_an_unknown_activity_is_decided_when_it_cannot_change_the_verdict():
    # Member 2 (22) may be a student (out) or not (in, 0 months): 1/12 or 1/24, both ≤ 20 %.
    decided = work_intensity([m(40, "employed", 1), m(22, None, 0)])
    assert decided.value is True
    assert decided.figure is None
    assert any("activity not recorded" in r for r in decided.reasons)
    # Here it matters: 12/12 (student) or 12/24 … both above; but with 3 months worked it is
    # 3/12 = 25 % (out) or 3/24 = 12.5 % (in).
    undecided = work_intensity([m(40, "employed", 3), m(22, None, 0)])
    assert undecided.value is None
    assert undecided.applicable


def test_member_input_is_validated():
    with pytest.raises(ValueError, match="months_worked"):
        MemberInput(40, "employed", 13)
    with pytest.raises(ValueError, match="activity"):
        MemberInput(40, "astronaut")
    with pytest.raises(ValueError, match="age"):
        MemberInput(-3)
    assert set(ACTIVITIES) == {
        "employed",
        "self_employed",
        "unemployed",
        "student",
        "retired",
        "inactive",
        "sick_disabled",
        "child",
    }


# --- jobless household -----------------------------------------------------------------------


def test_jobless_household():
    assert jobless_household([m(40, "employed"), m(38, "unemployed")]).value is False
    assert jobless_household([m(40, "self_employed")]).value is False
    jobless = jobless_household([m(40, "unemployed"), m(20, "student"), m(10, "child")])
    assert jobless.value is True
    assert jobless_household([m(40, "unemployed"), m(38, None)]).value is None
    # Someone in work decides it even when another activity is unknown.
    assert jobless_household([m(40, "employed"), m(38, None)]).value is False


def test_jobless_household_does_not_apply_without_members_aged_18_to_59():
    for members in ([m(20, "student"), m(3, "child")], [m(62, "unemployed")], [m(70, "retired")]):
        result = jobless_household(members)
        assert result.value is None
        assert result.applicable is False


# --- deprivation -----------------------------------------------------------------------------


def test_item_constants_have_codes_and_labels():
    assert list(HOUSEHOLD_ITEMS) == [
        "unexpected_expenses",
        "holiday",
        "arrears",
        "meal",
        "warm_home",
        "car",
        "furniture",
    ]
    assert list(PERSONAL_ITEMS) == [
        "internet",
        "clothes",
        "shoes",
        "pocket_money",
        "leisure",
        "social_meeting",
    ]
    assert list(KIND_EN_GEZIN_CRITERIA) == [
        "income",
        "education",
        "work",
        "stimulation",
        "housing",
        "health",
    ]
    for labels in (HOUSEHOLD_ITEMS, PERSONAL_ITEMS, KIND_EN_GEZIN_CRITERIA):
        assert all(str(label) for label in labels.values())
    with pytest.raises(TypeError):
        HOUSEHOLD_ITEMS["yacht"] = "A yacht"  # type: ignore[index]


def answers(lacking: int, having: int):
    """Answers for the 13 items in order: ``lacking`` True, then ``having`` False, rest None."""
    codes = [*HOUSEHOLD_ITEMS, *PERSONAL_ITEMS]
    values = [True] * lacking + [False] * having + [None] * (13 - lacking - having)
    chosen = dict(zip(codes, values, strict=True))
    return (
        {c: chosen[c] for c in HOUSEHOLD_ITEMS},
        {c: chosen[c] for c in PERSONAL_ITEMS if chosen[c] is not None},
    )


@pytest.mark.parametrize(
    ("lacking", "having", "severe", "msd"),
    [
        (7, 6, True, True),
        (6, 7, False, True),
        (5, 8, False, True),
        (4, 9, False, False),
        (0, 13, False, False),
        (7, 0, True, True),  # 7 lacks recorded: decided whatever the other 6 are
        (2, 9, False, False),  # 2 unrecorded cannot lift 2 to 5 or 7
        (4, 4, None, None),  # 4 + 5 unrecorded could reach 5 and 7
        (5, 2, None, True),
        (3, 8, False, None),
    ],
)
def test_deprivation_counts_with_partial_recording(lacking, having, severe, msd):
    household, personal = answers(lacking, having)
    smsd = severe_material_social_deprivation(household, personal)
    assert smsd.value is severe
    assert smsd.count == lacking
    assert smsd.recorded == lacking + having
    assert smsd.total == 13
    assert len(smsd.unrecorded) == 13 - lacking - having
    assert material_social_deprivation(household, personal).value is msd


def test_deprivation_reasons_name_the_items():
    smsd = severe_material_social_deprivation({"holiday": True, "car": True}, {"internet": False})
    assert smsd.lacking == ("holiday", "car")
    assert smsd.reasons[0] == (
        "2 of 13 items cannot be afforded and 10 are not recorded; severe material and social "
        "deprivation needs 7, so it is undecided until they are recorded."
    )
    assert smsd.reasons[1] == "Recorded as lacking: One week's holiday away from home; A car."


def test_deprivation_refuses_unknown_items():
    with pytest.raises(ValueError, match="yacht"):
        severe_material_social_deprivation({"yacht": True}, {})
    with pytest.raises(ValueError, match="car"):
        severe_material_social_deprivation({}, {"car": True})  # a household item, not personal


def test_kind_en_gezin_applies_only_with_a_child_under_3():
    weak = {"income": True, "education": True, "work": True}
    result = kind_en_gezin_deprivation(weak, [35, 33, 3, 7])
    assert result.value is None
    assert result.applicable is False
    assert kind_en_gezin_deprivation(weak, [35, 2]).value is True
    assert kind_en_gezin_deprivation(weak, [35, 0]).count == 3


@pytest.mark.parametrize(
    ("criteria", "value"),
    [
        ({"income": True, "education": True, "work": True, "housing": False}, True),
        ({"income": True, "education": True}, None),  # 2 weak, 4 unrecorded
        ({"income": True, "education": True, "work": False, "stimulation": False,
          "housing": False, "health": False}, False),
        ({"income": True, "education": True, "work": False, "stimulation": False,
          "housing": False}, None),  # the last one could make 3
        ({"income": True, "work": False, "stimulation": False, "housing": False}, None),
        ({"income": True, "work": False, "stimulation": False, "housing": False,
          "health": False}, False),  # 1 weak + 1 unrecorded cannot make 3
    ],
)  # fmt: skip
def test_kind_en_gezin_with_partial_recording(criteria, value):
    assert kind_en_gezin_deprivation(criteria, [30, 1]).value is value


def test_kind_en_gezin_refuses_unknown_criteria():
    with pytest.raises(ValueError, match="luck"):
        kind_en_gezin_deprivation({"luck": True}, [1])


# --- AROPE and the household bundle ----------------------------------------------------------

YES = Indicator(value=True, reasons=("yes",))
NO = Indicator(value=False, reasons=("no",))
UNKNOWN = Indicator(value=None, reasons=("?",))
NOT_APPLICABLE = Indicator(value=None, reasons=("n/a",), applicable=False)


@pytest.mark.parametrize(
    ("arop", "smsd", "vlwi", "value"),
    [
        (YES, NO, NO, True),
        (NO, YES, UNKNOWN, True),
        (UNKNOWN, UNKNOWN, YES, True),
        (NO, NO, NO, False),
        (NO, NO, NOT_APPLICABLE, False),  # e.g. everyone 65+: work intensity counts as no
        (NO, UNKNOWN, NO, None),
        (UNKNOWN, NO, NOT_APPLICABLE, None),
    ],
)
def test_arope_combines_the_three(arop, smsd, vlwi, value):
    assert arope(arop, smsd, vlwi).value is value


def test_arope_reasons_name_the_components():
    result = arope(YES, NO, YES)
    assert result.reasons == (
        "At risk of poverty or social exclusion because of: at risk of poverty, very low work "
        "intensity.",
    )
    assert "severe material and social deprivation" in arope(NO, UNKNOWN, NO).reasons[0]


def test_household_indicators_bundle_a_family():
    members = [
        m(40, "employed", 6),
        m(38, "unemployed", 0),
        m(10, "child"),
        m(2, "child"),
    ]
    result = household_indicators(
        2400.0,
        members,
        1520.0,
        "EU-SILC 2024",
        household_items={code: False for code in HOUSEHOLD_ITEMS},
        personal_items={code: False for code in PERSONAL_ITEMS},
        kg_criteria={"income": True, "work": True, "housing": True},
    )
    assert result.equivalised_size == 2.1
    assert result.equivalised_income == pytest.approx(2400 / 2.1)
    assert result.household_threshold_monthly == pytest.approx(3192.0)
    assert result.at_risk_of_poverty.value is True
    assert "(EU-SILC 2024)" in result.at_risk_of_poverty.reasons[0]
    assert result.work_intensity.value is False  # 6 of 24 months = 25 %
    assert result.severe_material_social_deprivation.value is False
    assert result.material_social_deprivation.value is False
    assert result.kind_en_gezin_deprivation.value is True  # a child under 3, 3 weak
    assert result.jobless_household.value is False
    assert result.arope.value is True


def test_household_indicators_without_income_or_answers():
    result = household_indicators(None, [m(70, "retired")], 1520.0, "EU-SILC 2024")
    assert result.equivalised_income is None
    assert result.at_risk_of_poverty.value is None
    assert result.work_intensity.applicable is False
    assert result.severe_material_social_deprivation.value is None
    assert result.kind_en_gezin_deprivation.applicable is False
    assert result.arope.value is None
    assert MODIFIED_OECD.size(1, 0) == result.equivalised_size
