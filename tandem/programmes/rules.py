"""Money rules for calls and projects (DOMAIN.md §8), as pure functions over ``Decimal``.

A budget is split into an ESF part and a co-financing part. The ESF part is rounded to the
cent (half up, as in accounting) and the co-financing part is what remains, so the two parts
always add up to the budget exactly — never a cent more or less through rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


class Split(NamedTuple):
    esf: Decimal
    cofinancing: Decimal


class CallTotals(NamedTuple):
    """The sum of a call's projects against the call's own stated total."""

    projects_total: Decimal
    stated_total: Decimal
    difference: Decimal  # projects_total − stated_total: negative when the projects fall short


def percentages_complete(esf_percent: Decimal, cofinancing_percent: Decimal) -> bool:
    """Tell whether the ESF share and the co-financing share make up exactly 100 %."""
    return esf_percent + cofinancing_percent == HUNDRED


def split_budget(budget: Decimal, esf_percent: Decimal) -> Split:
    """Split ``budget`` by the ESF share ``esf_percent`` (0–100) into ESF and co-financing.

    The ESF part is ``budget × esf_percent / 100`` rounded to the cent; co-financing is the
    remainder, so ``esf + cofinancing == budget`` always holds.
    """
    if budget < 0:
        raise ValueError("A budget cannot be negative.")
    if not Decimal(0) <= esf_percent <= HUNDRED:
        raise ValueError("The ESF share must lie between 0 and 100 %.")
    budget = budget.quantize(CENT, rounding=ROUND_HALF_UP)
    esf = (budget * esf_percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return Split(esf=esf, cofinancing=budget - esf)


def split_complete(budget: Decimal, esf: Decimal, cofinancing: Decimal) -> bool:
    """Tell whether an ESF part and a co-financing part add up to the budget to the cent."""
    return (esf + cofinancing).quantize(CENT) == budget.quantize(CENT)


def call_totals(stated_total: Decimal, budgets: Iterable[Decimal]) -> CallTotals:
    """Sum the project budgets of a call and compare the sum with the call's stated total."""
    total = sum(budgets, Decimal(0))
    return CallTotals(
        projects_total=total, stated_total=stated_total, difference=total - stated_total
    )
