"""Poverty and social-exclusion indicators (Eurostat EU-SILC definitions, DOMAIN.md §6).

Plain, typed functions over plain data: no database and no ORM. Each household indicator
returns an :class:`Indicator` that carries its verdict *and* the reasons for it, so a page can
say why. Parameters that change over time (the poverty threshold of a survey year, the
equivalence scale) are arguments, never literals here; the callers resolve them from the dated
tables. ``batch.py`` holds the vectorised NumPy twin of the population-level functions and is
tested to agree with them.

Deprivation, work intensity and AROPE follow the EU 2030 definitions (Eurostat, from survey year
2021). The EU 2020 ones — severe material deprivation (4 of 9 items), work intensity of adults
18–59 and the AROPE built on them — stand beside them for comparison with figures up to 2020
(source 004's 2 % for 2018 is one); the ``*_TITLE`` labels name each definition wherever it is
shown, so the two are never mixed.

Reason strings are English msgids translated with ``gettext`` at call time, so they follow the
active language; amounts are formatted for that language too.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, combinations
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    # What gettext_lazy returns, in django-stubs (forms accept it as a label).
    from django.utils.functional import _StrPromise as Label

__all__ = [
    "ACTIVITIES",
    "AROPE_EU2020_TITLE",
    "AROPE_TITLE",
    "AROP_SHARE",
    "EU2020_ONLY_ITEMS",
    "HOUSEHOLD_ITEMS",
    "KIND_EN_GEZIN_AGE_LIMIT",
    "KIND_EN_GEZIN_CRITERIA",
    "KIND_EN_GEZIN_LIMIT",
    "MATERIAL_SOCIAL_DEPRIVATION_LIMIT",
    "MIN_AGE",
    "MODIFIED_OECD",
    "PERSONAL_ITEMS",
    "SEVERE_DEPRIVATION_LIMIT",
    "SEVERE_MATERIAL_DEPRIVATION_LIMIT",
    "SMD_ITEMS",
    "SMD_TITLE",
    "SMSD_TITLE",
    "TIE_RTOL",
    "VERY_LOW_WORK_INTENSITY_LIMIT",
    "VLWI_EU2020_TITLE",
    "VLWI_TITLE",
    "CountIndicator",
    "EquivalenceScale",
    "HouseholdIndicators",
    "Indicator",
    "MemberInput",
    "arope",
    "at_risk_of_poverty",
    "equivalised_income",
    "equivalised_size",
    "household_indicators",
    "jobless_household",
    "kind_en_gezin_deprivation",
    "material_social_deprivation",
    "missing_items",
    "poverty_rate",
    "poverty_threshold",
    "severe_material_deprivation",
    "severe_material_social_deprivation",
    "weighted_median",
    "work_intensity",
    "work_intensity_eu2020",
]

Period = Literal["month", "year"]

# EU-SILC records age at the end of the income reference year, so a baby born in the survey
# year has age -1 (the laeken ``eusilc`` sample has 64 such persons). It is a member like any
# other child; anything below -1 is a data error.
MIN_AGE = -1

# Definitions (not yearly parameters): Eurostat's at-risk-of-poverty threshold is 60 % of the
# median; the EU 2030 very-low-work-intensity limit is 20 % of the work-time potential; severe
# material and social deprivation is 7 of 13 items (5 for material and social deprivation);
# Kind & Gezin counts a family deprived on 3 of 6 criteria, for children under 3.
AROP_SHARE = 0.6
VERY_LOW_WORK_INTENSITY_LIMIT = 0.20
SEVERE_DEPRIVATION_LIMIT = 7
MATERIAL_SOCIAL_DEPRIVATION_LIMIT = 5
KIND_EN_GEZIN_LIMIT = 3
KIND_EN_GEZIN_AGE_LIMIT = 3

# Relative tolerance of the weighted median's "C_j equals exactly W/2" test. Cumulative
# weights are float64 sums, so decimal weights (0.1 + 0.2) miss an exact half by a few ulps;
# 1e-9·W is above the worst-case rounding of a sequential sum of a few million weights
# (n·eps ≈ 2.2e-10 for n = 10⁶) and far below any real difference between survey weights.
# Integer weights sum exactly (below 2**53), so for them the test is exact. The NumPy twin
# uses the same sums in the same order with the same tolerance, so both agree bit for bit.
# The price: a single weight below TIE_RTOL·W is below the test's resolution (the result may
# then depend on the order of equal values); survey weights never come near that.
TIE_RTOL = 1e-9


def _labels(pairs: Iterable[tuple[str, Label]]) -> Mapping[str, Label]:
    return MappingProxyType(dict(pairs))


# Activity codes of a household member (None on a MemberInput means not recorded).
ACTIVITIES: Mapping[str, Label] = _labels(
    [
        ("employed", gettext_lazy("Employed")),
        ("self_employed", gettext_lazy("Self-employed")),
        ("unemployed", gettext_lazy("Unemployed")),
        ("student", gettext_lazy("Student")),
        ("retired", gettext_lazy("Retired")),
        ("inactive", gettext_lazy("Inactive")),
        ("sick_disabled", gettext_lazy("Sick or disabled")),
        ("child", gettext_lazy("Child")),
    ]
)
_WORKING = frozenset({"employed", "self_employed"})

# The 13 items of material and social deprivation (EU 2030 target). True = cannot afford
# (enforced lack); False = has it or does without by choice; None or absent = not recorded.
HOUSEHOLD_ITEMS: Mapping[str, Label] = _labels(
    [
        ("unexpected_expenses", gettext_lazy("Face unexpected expenses")),
        ("holiday", gettext_lazy("One week's holiday away from home")),
        (
            "arrears",
            gettext_lazy("Avoid arrears (rent, mortgage, utility bills, hire purchase, loans)"),
        ),
        (
            "meal",
            gettext_lazy("A meal with meat, fish or a vegetarian equivalent every second day"),
        ),
        ("warm_home", gettext_lazy("Keep the home adequately warm")),
        ("car", gettext_lazy("A car")),
        ("furniture", gettext_lazy("Replace worn-out furniture")),
    ]
)
PERSONAL_ITEMS: Mapping[str, Label] = _labels(
    [
        ("internet", gettext_lazy("An internet connection")),
        ("clothes", gettext_lazy("Replace worn-out clothes with new ones")),
        ("shoes", gettext_lazy("Two pairs of properly fitting shoes")),
        ("pocket_money", gettext_lazy("A small amount of money each week to spend on oneself")),
        ("leisure", gettext_lazy("A regular leisure activity")),
        ("social_meeting", gettext_lazy("Meet friends or family for a drink or meal monthly")),
    ]
)
# Severe material deprivation as Eurostat defined it for the Europe 2020 strategy (SMD, used up
# to survey year 2020; Eurostat ilc_mddd11, tespm030): enforced lack of at least 4 of 9 items.
# Source 004 ("Ernstige materiële deprivatie": 2 % of Flemings in 2018, about 130,000 persons)
# quotes this indicator. Six items are EU 2030 household items (the same EU-SILC questions:
# arrears HS011/HS021/HS031, holiday HS040, meal HS050, unexpected expenses HS060, car HS110,
# warm home HH050); three durables are not among the 13 and are recorded only for SMD.
EU2020_ONLY_ITEMS: Mapping[str, Label] = _labels(
    [
        ("telephone", gettext_lazy("A telephone (including a mobile phone)")),
        ("colour_tv", gettext_lazy("A colour TV")),
        ("washing_machine", gettext_lazy("A washing machine")),
    ]
)
# The 9 items in Eurostat's order, and the 13 of the EU 2030 indicators.
SMD_ITEMS: tuple[str, ...] = (
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
SEVERE_MATERIAL_DEPRIVATION_LIMIT = 4

# Each deprivation indicator and AROPE variant with its definition and reference year, wherever
# it is shown (page, command output), so the two definitions are never silently mixed.
SMSD_TITLE = gettext_lazy("Severe material and social deprivation (EU-2030: 7 of 13 items)")
SMD_TITLE = gettext_lazy("Severe material deprivation (EU-2020: 4 of 9 items)")
VLWI_TITLE = gettext_lazy("Very low work intensity (EU-2030: ages 18–64)")
VLWI_EU2020_TITLE = gettext_lazy("Very low work intensity (EU-2020: ages 18–59)")
AROPE_TITLE = gettext_lazy("At risk of poverty or social exclusion (AROPE, EU-2030)")
AROPE_EU2020_TITLE = gettext_lazy(
    "At risk of poverty or social exclusion (AROPE, EU-2020: with the EU-2020 deprivation "
    "and work intensity)"
)

# Kind & Gezin deprivation (kansarmoede) criteria. True = the family is weak on it.
KIND_EN_GEZIN_CRITERIA: Mapping[str, Label] = _labels(
    [
        ("income", gettext_lazy("Available monthly income")),
        ("education", gettext_lazy("Parents' education")),
        ("work", gettext_lazy("Parents' work situation")),
        ("stimulation", gettext_lazy("Children's stimulation")),
        ("housing", gettext_lazy("Housing")),
        ("health", gettext_lazy("Health")),
    ]
)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """The verdict of one indicator and why.

    ``value`` is None when the verdict is unknown (data missing) or when the indicator does not
    apply; ``applicable`` tells the two apart. ``figure`` is the number the verdict rests on
    (an equivalised income, a work intensity) and ``limit`` what it was compared with.
    """

    value: bool | None
    reasons: tuple[str, ...]
    figure: float | None = None
    limit: float | None = None
    applicable: bool = True


@dataclass(frozen=True, kw_only=True)
class CountIndicator(Indicator):
    """An indicator that counts items (deprivation items, Kind & Gezin criteria).

    ``count`` is the number recorded as lacking (or weak), ``recorded`` how many items have an
    answer, ``total`` how many there are; ``lacking`` and ``unrecorded`` name them by code.
    """

    count: int
    recorded: int
    total: int
    lacking: tuple[str, ...] = ()
    unrecorded: tuple[str, ...] = ()


@dataclass(frozen=True)
class EquivalenceScale:
    """Weights of an equivalence scale, kept exact so every implementation rounds alike.

    A dated table can build one from DecimalFields: ``Fraction(Decimal("0.3"))`` is exact.
    """

    first_adult: Fraction
    other_adult: Fraction
    child: Fraction
    adult_age: int = 14

    def size(self, adults: int, children: int) -> float:
        """Return the equivalised size of a household with these member counts.

        A household of only children counts its first child as the first adult.
        """
        if adults < 0 or children < 0 or adults + children == 0:
            raise ValueError("a household needs at least one member")
        if adults:
            exact = self.first_adult + self.other_adult * (adults - 1) + self.child * children
        else:
            exact = self.first_adult + self.child * (children - 1)
        return float(exact)


MODIFIED_OECD = EquivalenceScale(
    first_adult=Fraction(1), other_adult=Fraction(1, 2), child=Fraction(3, 10), adult_age=14
)


@dataclass(frozen=True)
class MemberInput:
    """One household member as the indicators see them.

    ``activity`` is a code of :data:`ACTIVITIES` (None = not recorded); ``months_worked`` the
    months in work (employed or self-employed, full-time equivalent) in the income reference
    year, 0–12 (None = not recorded).
    """

    age: int
    activity: str | None = None
    months_worked: int | None = None
    receives_survivor_pension: bool = False

    def __post_init__(self) -> None:
        _check_age(self.age)
        if self.activity is not None and self.activity not in ACTIVITIES:
            raise ValueError(
                f"unknown activity {self.activity!r}; expected one of {', '.join(ACTIVITIES)}"
            )
        if self.months_worked is not None and not 0 <= self.months_worked <= 12:
            raise ValueError(f"months_worked must be between 0 and 12, not {self.months_worked}")


@dataclass(frozen=True, kw_only=True)
class HouseholdIndicators:
    """All indicators of one household, for the household page."""

    equivalised_size: float
    equivalised_income: float | None
    threshold_monthly: float
    threshold_label: str
    household_threshold_monthly: float  # threshold × equivalised size
    at_risk_of_poverty: Indicator
    work_intensity: Indicator
    severe_material_social_deprivation: CountIndicator
    material_social_deprivation: CountIndicator
    kind_en_gezin_deprivation: CountIndicator
    jobless_household: Indicator
    arope: Indicator
    # EU 2020 definitions, for comparison with figures up to 2020 (source 004's 2 % in 2018).
    severe_material_deprivation: CountIndicator
    work_intensity_eu2020: Indicator
    arope_eu2020: Indicator


# --- formatting ------------------------------------------------------------------------------


def _amount(value: float) -> str:
    """Format an amount for the active language: whole euros, or cents when there are any."""
    decimals = 0 if round(value, 2) == round(value) else 2
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _percent(share: float) -> str:
    """Format a share as a percentage figure: one decimal, dropped when it is zero."""
    percent = round(share * 100, 1)
    return number_format(percent, decimal_pos=0 if percent == round(percent) else 1)


def _period_unit(period: Period) -> str:
    return _("EUR/month") if period == "month" else _("EUR/year")


def _check_age(age: float) -> None:
    if not (isinstance(age, numbers.Real) and math.isfinite(age)) or age < MIN_AGE:
        raise ValueError(f"age must be a number of at least {MIN_AGE}, not {age!r}")


# --- equivalised size and income -------------------------------------------------------------


def equivalised_size(ages: Iterable[float], scale: EquivalenceScale = MODIFIED_OECD) -> float:
    """Return the equivalised size (modified OECD scale by default) of a household.

    1.0 for the first member aged 14 or over, 0.5 for each other member aged 14 or over, 0.3
    for each member under 14; a household of only children counts 1.0 for the first child.
    """
    ages = list(ages)
    if not ages:
        raise ValueError("a household needs at least one member")
    for age in ages:
        _check_age(age)
    adults = sum(1 for age in ages if age >= scale.adult_age)
    return scale.size(adults, len(ages) - adults)


def equivalised_income(
    household_income: float, ages: Iterable[float], scale: EquivalenceScale = MODIFIED_OECD
) -> float:
    """Return household net disposable income divided by the equivalised size.

    The result is attributed to every member. Negative incomes (losses of the self-employed)
    are allowed, as in EU-SILC.
    """
    if not math.isfinite(household_income):
        raise ValueError(f"household income must be a finite number, not {household_income!r}")
    return household_income / equivalised_size(ages, scale)


# --- population-level: weighted median, threshold, rate --------------------------------------


def _checked_weights(values: Sequence[float], weights: Sequence[float] | None) -> list[float]:
    if not values:
        raise ValueError("no values")
    if weights is None:
        weights = [1.0] * len(values)
    if len(weights) != len(values):
        raise ValueError(f"{len(values)} values but {len(weights)} weights")
    for value in values:
        if not math.isfinite(value):
            raise ValueError(f"values must be finite, not {value!r}")
    for weight in weights:
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"weights must be finite and not negative, not {weight!r}")
    return [float(w) for w in weights]


def weighted_median(values: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Return the weighted median by Eurostat's rule.

    Sort x₁ ≤ … ≤ xₙ with their weights (a stable sort: equal values keep their order); with
    cumulative weight Cⱼ (a sequential float64 sum) and total W = Cₙ: if some Cⱼ equals W/2 —
    within ``TIE_RTOL × W``, see :data:`TIE_RTOL` — the median is (xⱼ + xⱼ₊₁)/2, else it is the
    first xⱼ with Cⱼ > W/2. Weights default to 1.

    Rows with weight 0 represent nobody and are left out: with them, the "next" value could
    be a zero-weight row and the result would depend on the order of equal values.
    """
    checked = _checked_weights(values, weights)
    order = sorted((i for i in range(len(values)) if checked[i] > 0), key=values.__getitem__)
    if not order:
        raise ValueError("the weights sum to zero")
    cumulative = list(accumulate(checked[i] for i in order))
    total = cumulative[-1]
    if total <= 0:
        raise ValueError("the weights sum to zero")
    half, tolerance = total / 2, TIE_RTOL * total
    for j, c in enumerate(cumulative):
        if c >= half - tolerance:
            if c <= half + tolerance:
                return (float(values[order[j]]) + float(values[order[j + 1]])) / 2
            return float(values[order[j]])
    raise AssertionError("unreachable: the last cumulative weight is the total")


def poverty_threshold(
    values: Sequence[float], weights: Sequence[float] | None = None, share: float = AROP_SHARE
) -> float:
    """Return the at-risk-of-poverty threshold: 60 % of the weighted median by default."""
    return share * weighted_median(values, weights)


def poverty_rate(
    values: Sequence[float], weights: Sequence[float] | None, threshold: float
) -> float:
    """Return the weighted share, in percent, of values strictly below the threshold.

    Sums are exact-then-rounded (``math.fsum``), so the order of the rows does not matter.
    """
    checked = _checked_weights(values, weights)
    total = math.fsum(checked)
    if total <= 0:
        raise ValueError("the weights sum to zero")
    below = math.fsum(w for v, w in zip(values, checked, strict=True) if v < threshold)
    # below / total ≤ 1 exactly when below ≤ total; 100 × below / total could round above 100.
    return 100 * (below / total)


# --- household indicators --------------------------------------------------------------------


def at_risk_of_poverty(
    equivalised_income: float | None,
    threshold: float,
    threshold_label: str = "",
    *,
    period: Period = "month",
) -> Indicator:
    """Return whether an equivalised income is strictly below the poverty threshold.

    ``threshold_label`` says where the threshold comes from (e.g. "survey year 2024") and is
    shown in the reason; ``period`` is the period of both amounts.
    """
    if not math.isfinite(threshold) or threshold <= 0:
        raise ValueError(f"the threshold must be a positive number, not {threshold!r}")
    unit = _period_unit(period)
    source = f" ({threshold_label})" if threshold_label else ""
    if equivalised_income is None:
        return Indicator(
            value=None,
            reasons=(_("The household income is not recorded."),),
            limit=threshold,
        )
    params = {
        "income": _amount(equivalised_income),
        "threshold": _amount(threshold),
        "unit": unit,
        "source": source,
    }
    if equivalised_income < threshold:
        reason = _(
            "Equivalised income %(income)s %(unit)s is below the threshold of "
            "%(threshold)s %(unit)s%(source)s."
        )
    else:
        reason = _(
            "Equivalised income %(income)s %(unit)s is not below the threshold of "
            "%(threshold)s %(unit)s%(source)s."
        )
    return Indicator(
        value=equivalised_income < threshold,
        reasons=(reason % params,),
        figure=equivalised_income,
        limit=threshold,
    )


def _member(number: int, member: MemberInput) -> dict[str, object]:
    return {"number": number, "age": member.age}


def _counts_as_working_age(
    age: float, activity: str | None, survivor: bool, pension_income_household: bool
) -> bool:
    """Apply the EU 2030 working-age rule for one member whose activity is known."""
    if not 18 <= age <= 64:
        return False
    if activity == "student" and age <= 24:
        return False
    if activity == "retired" and not survivor:
        return False
    return not (activity == "inactive" and age >= 60 and pension_income_household)


def _exclusion_reason(number: int, member: MemberInput) -> str | None:
    """Say why a member aged 18–64 whose activity is known does not count as working-age."""
    who = _member(number, member)
    if member.activity == "student" and member.age <= 24:
        return (
            _("Member %(number)s (age %(age)s): a student aged 18–24, not counted as working-age.")
            % who
        )
    if member.activity == "retired" and not member.receives_survivor_pension:
        return _("Member %(number)s (age %(age)s): retired, not counted as working-age.") % who
    if member.activity == "inactive" and member.age >= 60:
        return (
            _(
                "Member %(number)s (age %(age)s): inactive, aged 60–64, in a household living "
                "mainly on pensions, not counted as working-age."
            )
            % who
        )
    return None


def work_intensity(
    members: Sequence[MemberInput], pension_income_household: bool = False
) -> Indicator:
    """Return whether the household has very low work intensity (EU 2030 definition).

    The indicator concerns persons aged 0–64. Working-age members are those aged 18–64,
    except students aged 18–24, retirees (a member whose only pension is a survivor's pension
    still counts) and, in households living mainly on pensions, inactive members aged 60–64.
    Work intensity = months worked / (12 × working-age members); very low when ≤ 20 %.

    A member aged 18–64 whose activity is not recorded may or may not count; the verdict is
    given when every possibility leads to the same one, and is None otherwise.
    """
    limit = VERY_LOW_WORK_INTENSITY_LIMIT
    if not members:
        raise ValueError("a household needs at least one member")
    if all(m.age > 64 for m in members):
        return Indicator(
            value=None,
            reasons=(
                _(
                    "Very low work intensity concerns persons aged 0–64; every member of "
                    "this household is 65 or older."
                ),
            ),
            limit=limit,
            applicable=False,
        )
    certain: list[tuple[int, MemberInput]] = []
    uncertain: list[tuple[int, MemberInput]] = []
    reasons: list[str] = []
    for number, member in enumerate(members, start=1):
        if not 18 <= member.age <= 64:
            continue
        args = (member.receives_survivor_pension, pension_income_household)
        if member.activity is not None:
            if _counts_as_working_age(member.age, member.activity, *args):
                certain.append((number, member))
            elif reason := _exclusion_reason(number, member):
                reasons.append(reason)
            continue
        possible = {_counts_as_working_age(member.age, a, *args) for a in ACTIVITIES}
        if possible == {True}:
            certain.append((number, member))
        else:
            uncertain.append((number, member))
            reasons.append(
                _(
                    "Member %(number)s (age %(age)s): activity not recorded, so it is unknown "
                    "whether they count as working-age."
                )
                % _member(number, member)
            )

    return _intensity_verdict(
        certain,
        uncertain,
        reasons,
        outside=(
            _("Members aged 65 or over are outside this indicator.")
            if any(m.age > 64 for m in members)
            else None
        ),
        not_applicable=_(
            "No member counts as working-age (18–64, excluding students aged 18–24, "
            "retirees and inactive people aged 60–64 in pension households); very low "
            "work intensity does not apply."
        ),
    )


def work_intensity_eu2020(members: Sequence[MemberInput]) -> Indicator:
    """Return whether the household has very low work intensity (EU 2020 definition).

    Eurostat's Europe 2020 indicator (ilc_lvhl11, up to survey year 2020): persons aged 0–59 in
    households where the adults aged 18–59 — students aged 18–24 excluded — worked ≤ 20 % of
    their work-time potential. Households with no such adult (only children, students under 25
    and people aged 60+) are outside it. Unlike EU 2030, retirees and inactive people aged
    18–59 count. Used only for the EU 2020 AROPE, beside the EU 2030 :func:`work_intensity`.
    """
    if not members:
        raise ValueError("a household needs at least one member")
    if all(m.age >= 60 for m in members):
        return Indicator(
            value=None,
            reasons=(
                _(
                    "Very low work intensity (EU-2020) concerns persons aged 0–59; every "
                    "member of this household is 60 or older."
                ),
            ),
            limit=VERY_LOW_WORK_INTENSITY_LIMIT,
            applicable=False,
        )
    certain: list[tuple[int, MemberInput]] = []
    uncertain: list[tuple[int, MemberInput]] = []
    reasons: list[str] = []
    for number, member in enumerate(members, start=1):
        if not 18 <= member.age <= 59:
            continue
        if member.age <= 24 and member.activity == "student":
            reasons.append(
                _(
                    "Member %(number)s (age %(age)s): a student aged 18–24, not counted as "
                    "working-age."
                )
                % _member(number, member)
            )
        elif member.age <= 24 and member.activity is None:
            uncertain.append((number, member))
            reasons.append(
                _(
                    "Member %(number)s (age %(age)s): activity not recorded, so it is unknown "
                    "whether they count as working-age."
                )
                % _member(number, member)
            )
        else:
            certain.append((number, member))
    return _intensity_verdict(
        certain,
        uncertain,
        reasons,
        outside=(
            _("Members aged 60 or over are outside this indicator (EU-2020).")
            if any(m.age >= 60 for m in members)
            else None
        ),
        not_applicable=_(
            "No member counts as working-age (18–59, excluding students aged 18–24); very "
            "low work intensity (EU-2020) does not apply."
        ),
    )


def _intensity_verdict(
    certain: list[tuple[int, MemberInput]],
    uncertain: list[tuple[int, MemberInput]],
    reasons: list[str],
    *,
    outside: str | None,
    not_applicable: str,
) -> Indicator:
    """Decide very low work intensity from the members who count (or may count) as working-age.

    Shared by the EU 2030 and EU 2020 definitions, which differ only in who counts.
    """
    limit = VERY_LOW_WORK_INTENSITY_LIMIT
    # Every way the uncertain members could count: "n/a" (no working-age member), "unknown"
    # (months missing) or the verdict. Households are small, so trying each subset is cheap.
    outcomes: set[bool | str] = set()
    for k in range(len(uncertain) + 1):
        for subset in combinations(uncertain, k):
            eligible = [m for _n, m in certain] + [m for _n, m in subset]
            if not eligible:
                outcomes.add("n/a")
            elif any(m.months_worked is None for m in eligible):
                outcomes.add("unknown")
            else:
                worked = sum(m.months_worked or 0 for m in eligible)
                outcomes.add(worked / (12 * len(eligible)) <= limit)

    missing = [(n, m) for n, m in certain + uncertain if m.months_worked is None]
    for number, member in missing:
        reasons.append(
            _(
                "Member %(number)s (age %(age)s): months worked in the income reference year "
                "not recorded."
            )
            % _member(number, member)
        )
    if outside:
        reasons.append(outside)

    if outcomes == {"n/a"}:
        reasons.insert(0, not_applicable)
        return Indicator(value=None, reasons=tuple(reasons), limit=limit, applicable=False)
    if len(outcomes) != 1 or not isinstance(verdict := next(iter(outcomes)), bool):
        reasons.insert(0, _("Work intensity cannot be determined yet."))
        return Indicator(value=None, reasons=tuple(reasons), limit=limit)

    figure: float | None = None
    if not uncertain:
        worked = sum(m.months_worked or 0 for _n, m in certain)
        possible_months = 12 * len(certain)
        figure = worked / possible_months
        params = {
            "worked": worked,
            "possible": possible_months,
            "intensity": _percent(figure),
            "limit": _percent(limit),
        }
        if verdict:
            summary = _(
                "Working-age members worked %(worked)s of %(possible)s possible months "
                "(work intensity %(intensity)s %%), at or below the %(limit)s %% limit: very "
                "low work intensity."
            )
        else:
            summary = _(
                "Working-age members worked %(worked)s of %(possible)s possible months "
                "(work intensity %(intensity)s %%), above the %(limit)s %% limit."
            )
        reasons.insert(0, summary % params)
    else:
        params = {"limit": _percent(limit)}
        if verdict:
            summary = _(
                "Whoever of the members with an unrecorded activity counts as working-age, "
                "work intensity is at or below the %(limit)s %% limit: very low work intensity."
            )
        else:
            summary = _(
                "Whoever of the members with an unrecorded activity counts as working-age, "
                "work intensity stays above the %(limit)s %% limit."
            )
        reasons.insert(0, summary % params)
    return Indicator(value=verdict, reasons=tuple(reasons), figure=figure, limit=limit)


def jobless_household(members: Sequence[MemberInput]) -> Indicator:
    """Return whether no member aged 18–59 (students aged 18–24 excepted) is in work.

    In work means employed or self-employed. Not applicable when the household has no such
    member; unknown when it hinges on a member whose activity is not recorded.
    """
    if not members:
        raise ValueError("a household needs at least one member")
    relevant = [
        (n, m)
        for n, m in enumerate(members, start=1)
        if 18 <= m.age <= 59 and not (m.activity == "student" and m.age <= 24)
    ]
    working = [(n, m) for n, m in relevant if m.activity in _WORKING]
    unknown = [(n, m) for n, m in relevant if m.activity is None]
    if working:
        return Indicator(
            value=False,
            reasons=tuple(
                _("Member %(number)s (age %(age)s): in work.") % _member(n, m) for n, m in working
            ),
        )
    if unknown:
        return Indicator(
            value=None,
            reasons=tuple(
                _("Member %(number)s (age %(age)s): activity not recorded.") % _member(n, m)
                for n, m in unknown
            ),
        )
    if not relevant:
        return Indicator(
            value=None,
            reasons=(
                _(
                    "No member is aged 18–59 (students aged 18–24 aside); the jobless "
                    "household indicator does not apply."
                ),
            ),
            applicable=False,
        )
    return Indicator(
        value=True,
        reasons=(_("No member aged 18–59 (students aged 18–24 aside) is in work."),),
    )


def _count_indicator(
    answers: Mapping[str, bool | None],
    labels: Mapping[str, Label],
    limit: int,
    *,
    reached: str,
    not_reached: str,
    undecided: str,
) -> CountIndicator:
    """Count True answers against a limit, deciding early when missing answers cannot matter."""
    lacking = tuple(code for code in labels if answers.get(code) is True)
    unrecorded = tuple(code for code in labels if answers.get(code) is None)
    total = len(labels)
    recorded = total - len(unrecorded)
    count = len(lacking)
    value: bool | None
    if count >= limit:
        value = True
    elif count + len(unrecorded) < limit:
        value = False
    else:
        value = None
    template = {True: reached, False: not_reached, None: undecided}[value]
    reasons = [
        template
        % {
            "count": count,
            "recorded": recorded,
            "total": total,
            "limit": limit,
            "unrecorded": len(unrecorded),
        }
    ]
    if lacking:
        reasons.append(
            _("Recorded as lacking: %(items)s.")
            % {"items": "; ".join(str(labels[code]) for code in lacking)}
        )
    if unrecorded:
        reasons.append(
            _("Not recorded: %(items)s.")
            % {"items": "; ".join(str(labels[code]) for code in unrecorded)}
        )
    return CountIndicator(
        value=value,
        reasons=tuple(reasons),
        figure=float(count),
        limit=float(limit),
        count=count,
        recorded=recorded,
        total=total,
        lacking=lacking,
        unrecorded=unrecorded,
    )


def _deprivation_answers(
    household_items: Mapping[str, bool | None], personal_items: Mapping[str, bool | None]
) -> dict[str, bool | None]:
    for answers, known, kind in (
        (household_items, HOUSEHOLD_ITEMS, "household"),
        (personal_items, PERSONAL_ITEMS, "personal"),
    ):
        unknown = sorted(set(answers) - set(known))
        if unknown:
            raise ValueError(
                f"unknown {kind} item(s) {', '.join(unknown)}; expected {', '.join(known)}"
            )
    return {**household_items, **personal_items}


def _deprivation(
    household_items: Mapping[str, bool | None],
    personal_items: Mapping[str, bool | None],
    limit: int,
    *,
    reached: str,
    not_reached: str,
    undecided: str,
) -> CountIndicator:
    answers = _deprivation_answers(household_items, personal_items)
    labels = _labels([*HOUSEHOLD_ITEMS.items(), *PERSONAL_ITEMS.items()])
    return _count_indicator(
        answers, labels, limit, reached=reached, not_reached=not_reached, undecided=undecided
    )


def severe_material_social_deprivation(
    household_items: Mapping[str, bool | None], personal_items: Mapping[str, bool | None]
) -> CountIndicator:
    """Return whether a person lacks at least 7 of the 13 items (enforced lack).

    ``household_items`` holds codes of :data:`HOUSEHOLD_ITEMS`, ``personal_items`` codes of
    :data:`PERSONAL_ITEMS` (asked of persons aged 16+), True = cannot afford. With items
    unrecorded, the verdict is given only when they cannot change it.
    """
    return _deprivation(
        household_items,
        personal_items,
        SEVERE_DEPRIVATION_LIMIT,
        reached=_(
            "%(count)s of %(total)s items cannot be afforded; %(limit)s or more means severe "
            "material and social deprivation."
        ),
        not_reached=_(
            "%(count)s of %(total)s items cannot be afforded (%(recorded)s recorded); fewer "
            "than %(limit)s, so no severe material and social deprivation."
        ),
        undecided=_(
            "%(count)s of %(total)s items cannot be afforded and %(unrecorded)s are not "
            "recorded; severe material and social deprivation needs %(limit)s, so it is "
            "undecided until they are recorded."
        ),
    )


def material_social_deprivation(
    household_items: Mapping[str, bool | None], personal_items: Mapping[str, bool | None]
) -> CountIndicator:
    """Return whether a person lacks at least 5 of the 13 items (see the severe variant)."""
    return _deprivation(
        household_items,
        personal_items,
        MATERIAL_SOCIAL_DEPRIVATION_LIMIT,
        reached=_(
            "%(count)s of %(total)s items cannot be afforded; %(limit)s or more means "
            "material and social deprivation."
        ),
        not_reached=_(
            "%(count)s of %(total)s items cannot be afforded (%(recorded)s recorded); fewer "
            "than %(limit)s, so no material and social deprivation."
        ),
        undecided=_(
            "%(count)s of %(total)s items cannot be afforded and %(unrecorded)s are not "
            "recorded; material and social deprivation needs %(limit)s, so it is undecided "
            "until they are recorded."
        ),
    )


def severe_material_deprivation(
    household_items: Mapping[str, bool | None], eu2020_items: Mapping[str, bool | None]
) -> CountIndicator:
    """Return whether a household lacks at least 4 of the 9 EU 2020 items (enforced lack).

    Eurostat's severe material deprivation of the Europe 2020 strategy (ilc_mddd11, up to
    survey year 2020; the indicator behind source 004's 2 % for Flanders in 2018). Six items
    come from ``household_items`` (codes of :data:`HOUSEHOLD_ITEMS`; furniture is not one of
    the 9), three from ``eu2020_items`` (:data:`EU2020_ONLY_ITEMS`); True = cannot afford.
    With items unrecorded, the verdict is given only when they cannot change it.
    """
    for answers, known, kind in (
        (household_items, HOUSEHOLD_ITEMS, "household"),
        (eu2020_items, EU2020_ONLY_ITEMS, "EU 2020"),
    ):
        unknown = sorted(set(answers) - set(known))
        if unknown:
            raise ValueError(
                f"unknown {kind} item(s) {', '.join(unknown)}; expected {', '.join(known)}"
            )
    every = {**HOUSEHOLD_ITEMS, **EU2020_ONLY_ITEMS}
    return _count_indicator(
        {**household_items, **eu2020_items},
        _labels((code, every[code]) for code in SMD_ITEMS),
        SEVERE_MATERIAL_DEPRIVATION_LIMIT,
        reached=_(
            "%(count)s of %(total)s items cannot be afforded; %(limit)s or more means severe "
            "material deprivation (EU-2020 definition)."
        ),
        not_reached=_(
            "%(count)s of %(total)s items cannot be afforded (%(recorded)s recorded); fewer "
            "than %(limit)s, so no severe material deprivation (EU-2020 definition)."
        ),
        undecided=_(
            "%(count)s of %(total)s items cannot be afforded and %(unrecorded)s are not "
            "recorded; severe material deprivation (EU-2020 definition) needs %(limit)s, so "
            "it is undecided until they are recorded."
        ),
    )


def missing_items(definition: Literal["smsd", "smd"], available: Iterable[str]) -> tuple[str, ...]:
    """Return the items of a deprivation definition that a data source does not carry.

    ``available`` are the item codes the source has at all (e.g. a CSV's columns): a rate
    needs every item of its definition, so with any missing it is not computable — never
    estimated from the items that are there.
    """
    items = SMD_ITEMS if definition == "smd" else (*HOUSEHOLD_ITEMS, *PERSONAL_ITEMS)
    have = set(available)
    return tuple(code for code in items if code not in have)


def kind_en_gezin_deprivation(
    criteria: Mapping[str, bool | None], child_ages: Iterable[float]
) -> CountIndicator:
    """Return whether a family is deprived by the Kind & Gezin index (weak on ≥ 3 of 6).

    ``criteria`` holds codes of :data:`KIND_EN_GEZIN_CRITERIA`, True = weak. It applies only
    when a child under 3 lives in the household (``child_ages`` may be all members' ages).
    """
    unknown = sorted(set(criteria) - set(KIND_EN_GEZIN_CRITERIA))
    if unknown:
        raise ValueError(
            f"unknown criteria {', '.join(unknown)}; expected {', '.join(KIND_EN_GEZIN_CRITERIA)}"
        )
    ages = list(child_ages)
    for age in ages:
        _check_age(age)
    if not any(age < KIND_EN_GEZIN_AGE_LIMIT for age in ages):
        weak = tuple(c for c in KIND_EN_GEZIN_CRITERIA if criteria.get(c) is True)
        return CountIndicator(
            value=None,
            reasons=(
                _(
                    "No child under 3 lives in the household; the Kind & Gezin deprivation "
                    "index does not apply."
                ),
            ),
            limit=float(KIND_EN_GEZIN_LIMIT),
            applicable=False,
            count=len(weak),
            recorded=sum(1 for c in KIND_EN_GEZIN_CRITERIA if criteria.get(c) is not None),
            total=len(KIND_EN_GEZIN_CRITERIA),
            lacking=weak,
            unrecorded=tuple(c for c in KIND_EN_GEZIN_CRITERIA if criteria.get(c) is None),
        )
    return _count_indicator(
        criteria,
        KIND_EN_GEZIN_CRITERIA,
        KIND_EN_GEZIN_LIMIT,
        reached=_(
            "The family is weak on %(count)s of %(total)s criteria; %(limit)s or more means "
            "deprivation (Kind & Gezin)."
        ),
        not_reached=_(
            "The family is weak on %(count)s of %(total)s criteria (%(recorded)s recorded); "
            "fewer than %(limit)s, so no deprivation (Kind & Gezin)."
        ),
        undecided=_(
            "The family is weak on %(count)s of %(total)s criteria and %(unrecorded)s are not "
            "recorded; deprivation needs %(limit)s, so it is undecided until they are "
            "recorded."
        ),
    )


def arope(
    arop: Indicator,
    smsd: Indicator,
    vlwi: Indicator,
    *,
    definition: Literal["eu2030", "eu2020"] = "eu2030",
) -> Indicator:
    """Return at risk of poverty or social exclusion: any of the three components.

    True when any component is True; False only when all three are False. A component that
    does not apply (e.g. work intensity when everyone is 65+) counts as False, as in Eurostat's
    statistics; a component that is unknown leaves AROPE unknown unless another is True.

    ``definition`` names the components: EU 2030 (severe material and social deprivation,
    work intensity 18–64) or EU 2020 (Eurostat's Europe 2020 AROPE, ilc_peps01 up to 2020:
    severe material deprivation 4 of 9, work intensity 18–59). The caller passes components
    of that one definition; the reasons say which.
    """
    if definition == "eu2020":
        components = (
            (_("at risk of poverty"), arop),
            (_("severe material deprivation (EU-2020: 4 of 9 items)"), smsd),
            (_("very low work intensity (EU-2020)"), vlwi),
        )
    else:
        components = (
            (_("at risk of poverty"), arop),
            (_("severe material and social deprivation"), smsd),
            (_("very low work intensity"), vlwi),
        )
    yes = [name for name, ind in components if ind.value is True]
    unknown = [name for name, ind in components if ind.value is None and ind.applicable]
    not_applicable = [name for name, ind in components if not ind.applicable]
    reasons: list[str] = []
    value: bool | None
    if yes:
        value = True
        reasons.append(
            _("At risk of poverty or social exclusion because of: %(which)s.")
            % {"which": ", ".join(yes)}
        )
    elif unknown:
        value = None
        reasons.append(
            _("Not known yet: %(which)s cannot be determined.") % {"which": ", ".join(unknown)}
        )
    else:
        value = False
        reasons.append(
            _("Not at risk of poverty or social exclusion: none of the three components applies.")
        )
    for name in not_applicable:
        reasons.append(_("%(which)s does not apply and counts as no.") % {"which": name})
    return Indicator(value=value, reasons=tuple(reasons))


def household_indicators(
    household_income_monthly: float | None,
    members: Sequence[MemberInput],
    threshold_monthly: float,
    threshold_label: str,
    household_items: Mapping[str, bool | None] | None = None,
    personal_items: Mapping[str, bool | None] | None = None,
    kg_criteria: Mapping[str, bool | None] | None = None,
    pension_income_household: bool = False,
    scale: EquivalenceScale = MODIFIED_OECD,
    eu2020_items: Mapping[str, bool | None] | None = None,
) -> HouseholdIndicators:
    """Return every indicator of one household.

    ``household_income_monthly`` is the net disposable income in euro per month (None = not
    recorded); ``threshold_monthly`` the single-person threshold in euro per month (e.g.
    ``PovertyThreshold.single_monthly``) and ``threshold_label`` its source for the reasons.
    ``personal_items`` are one person's answers (usually the person in the trajectory);
    ``eu2020_items`` the three durables only the EU 2020 severe material deprivation asks.
    """
    if not members:
        raise ValueError("a household needs at least one member")
    if household_income_monthly is not None and not math.isfinite(household_income_monthly):
        raise ValueError("household income must be a finite number")
    ages = [m.age for m in members]
    size = equivalised_size(ages, scale)
    eq_income = None if household_income_monthly is None else household_income_monthly / size
    arop = at_risk_of_poverty(eq_income, float(threshold_monthly), threshold_label)
    vlwi = work_intensity(members, pension_income_household)
    smsd = severe_material_social_deprivation(household_items or {}, personal_items or {})
    msd = material_social_deprivation(household_items or {}, personal_items or {})
    kg = kind_en_gezin_deprivation(kg_criteria or {}, ages)
    smd = severe_material_deprivation(household_items or {}, eu2020_items or {})
    vlwi_2020 = work_intensity_eu2020(members)
    return HouseholdIndicators(
        equivalised_size=size,
        equivalised_income=eq_income,
        threshold_monthly=float(threshold_monthly),
        threshold_label=threshold_label,
        household_threshold_monthly=float(threshold_monthly) * size,
        at_risk_of_poverty=arop,
        work_intensity=vlwi,
        severe_material_social_deprivation=smsd,
        material_social_deprivation=msd,
        kind_en_gezin_deprivation=kg,
        jobless_household=jobless_household(members),
        arope=arope(arop, smsd, vlwi),
        severe_material_deprivation=smd,
        work_intensity_eu2020=vlwi_2020,
        arope_eu2020=arope(arop, smd, vlwi_2020, definition="eu2020"),
    )
