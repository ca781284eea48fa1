"""Money rules for calls and projects (DOMAIN.md §8), as pure functions over ``Decimal``.

A budget is split into an ESF part and a co-financing part. The ESF part is rounded to the
cent (half up, as in accounting) and the co-financing part is what remains, so the two parts
always add up to the budget exactly — never a cent more or less through rounding.

And the funding rule (issue 17): whether a call, through one of its projects, pays for a
trajectory, a group placement or an outreach contact on a given day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

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


# --- who may be funded by what (issue 17) ----------------------------------------------------


class Period(NamedTuple):
    """A named period: a call's or a project's (its name for the refusal, first and last day)."""

    name: str
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class CallTerms(NamedTuple):
    """What a call funds (``Funded`` values) and when."""

    period: Period
    funds: frozenset[str]


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def funding_refusal(
    *,
    kind: str,
    day: dt.date,
    project: Period,
    call: CallTerms | None,
    participant_type: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> str | None:
    """Why ``project`` may not fund ``kind`` on ``day``, or ``None`` when it may.

    ``kind`` is a trajectory type or ``group_work`` (the ``Funded`` values); ``day`` the
    trajectory's start, the enrolment's request or placement, the outreach contact.
    ``participant_type`` is, for group work, the type of the participant's trajectory: a call
    funds group work only for people of a trajectory type it funds too (call 478: group work
    beside the W² mediators, source 000 and 004). ``labels`` names the kinds for people.

    A project without a call is not paid by a call Tandem knows (an organisation's own
    budget): only its own period applies. A call that does not say what it funds refuses
    everything, with that reason: an ESF audit accepts no expense whose eligibility was never
    stated, so an administrator ticks on the call what it funds first (the call's page in the
    admin; a programme manager reads it on the calls page).
    """
    name = (labels or {}).get
    what = name(kind, kind)
    if call is not None:
        c = call.period
        if not call.funds:
            return _(
                "The call %(call)s does not say what it funds: an administrator ticks that "
                "on the call first."
            ) % {"call": c.name}
        if kind not in call.funds:
            return _("The call %(call)s does not fund %(kind)s (it funds: %(funds)s).") % {
                "call": c.name,
                "kind": what,
                "funds": ", ".join(name(k, k) for k in sorted(call.funds)),
            }
        if participant_type is not None and participant_type not in call.funds:
            return _(
                "The call %(call)s funds %(kind)s only for participants of a trajectory it "
                "funds, not for %(type)s."
            ) % {"call": c.name, "kind": what, "type": name(participant_type, participant_type)}
    if not project.holds(day):
        return _(
            "The project %(project)s runs from %(start)s to %(end)s: %(day)s falls outside it."
        ) % {
            "project": project.name,
            "start": _d(project.start),
            "end": _d(project.end),
            "day": _d(day),
        }
    if call is not None and not call.period.holds(day):
        c = call.period
        return _(
            "The call %(call)s funds %(kind)s from %(start)s to %(end)s: %(day)s falls outside it."
        ) % {"call": c.name, "kind": what, "start": _d(c.start), "end": _d(c.end), "day": _d(day)}
    return None
