"""The household page's poverty indicators: registry data in, the pure indicators out.

This module only translates between the stored household and the plain inputs of
``indicators``; every rule lives there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tandem.common.dates import age_on
from tandem.registry.models import Activity, Household, IncomeKind

from . import indicators
from .models import PovertyThreshold


@dataclass(frozen=True)
class HouseholdReport:
    indicators: indicators.HouseholdIndicators | None
    threshold: PovertyThreshold | None
    income_recorded: bool


def member_inputs(household: Household, day: dt.date) -> list[indicators.MemberInput]:
    result = []
    for member in household.members.all():
        activity: str | None = member.activity or None
        survivor = activity == Activity.SURVIVOR_PENSION
        if survivor:
            activity = "retired"
        result.append(
            indicators.MemberInput(
                age=max(0, age_on(member.birth_date, day)),
                activity=activity,
                months_worked=member.months_worked,
                receives_survivor_pension=survivor,
            )
        )
    return result


def _pension_income_household(household: Household) -> bool:
    """A household whose largest income is a pension (for the 60–64 exclusion)."""
    components = list(household.income_components.all())
    if not components:
        return False
    largest = max(components, key=lambda c: c.monthly_amount)
    return largest.kind == IncomeKind.PENSION


def household_report(household: Household, *, day: dt.date) -> HouseholdReport:
    """Compute the indicators of a household against the latest official threshold."""
    threshold = PovertyThreshold.objects.order_by("-survey_year").first()
    members = member_inputs(household, day)
    components = list(household.income_components.all())
    if threshold is None or not members:
        return HouseholdReport(None, threshold, bool(components))
    income = sum((c.monthly_amount for c in components), Decimal("0"))
    deprivation = household.deprivation or {}
    result = indicators.household_indicators(
        household_income_monthly=float(income) if components else None,
        members=members,
        threshold_monthly=float(threshold.single_monthly),
        threshold_label=f"EU-SILC {threshold.survey_year}",
        household_items={k: deprivation.get(k) for k in indicators.HOUSEHOLD_ITEMS},
        personal_items={k: deprivation.get(k) for k in indicators.PERSONAL_ITEMS},
        eu2020_items={k: deprivation.get(k) for k in indicators.EU2020_ONLY_ITEMS},
        kg_criteria=dict(household.kind_en_gezin or {}),
        pension_income_household=_pension_income_household(household),
    )
    return HouseholdReport(result, threshold, bool(components))
