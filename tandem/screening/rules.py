"""Screening rules as pure functions over plain data (DESIGN.md habit 5).

Traffic lights per life domain come from the weights of the signals that are present. What to
do next comes from one decision (``decide``): the route, and the advice that follows from the
route (``ADVICE_FOR_ROUTE``), so the two can never disagree on a screen. The rules, in the
order they are tried, each with its source:

1. **A pronounced medical, mental, psychological or psychiatric (MMPPS) problem → work and
   care.** A W² trajectory is for people *without* a pronounced ("uitgesproken") MMPPS problem
   (source 003, answer 1). Whether a signal points to MMPPS is the signal's own flag, not its
   life domain: postponing medical care for money is a signal of poverty, not of a medical
   problem. The problem is pronounced when a severe MMPPS signal (weight 3) is present, or when
   the MMPPS signals clearly dominate: together they weigh at least as much as a red domain (3)
   and at least twice the poverty-related signals.
2. **A welfare need so great → work and care.** When the need for support on welfare and care is
   so great ("dermate groot"), people in poverty go to the activation trajectories for people
   with medical, mental, psychological, psychiatric and/or social problems (source 004, §4a):
   social problems count too. So great = red in at least ``WELFARE_NEED_RED_DOMAINS`` (4) life
   domains at once: W² already works on poverty "in several life domains at the same time"
   (source 004, §4a), so the bar lies above that.
3. **No poverty-related barrier → regular mediation.** A barrier is a red domain or at least
   two orange domains, counted over the poverty-related signals only: poverty is exclusion
   "over several areas of life" (source 004, §1, the decree's definition), and signals lead to a
   referral only when they stand in the way of work (source 004, §4a). One orange domain is
   followed up in regular guidance.
4. **Youth 18–25 with high needs → the youth track**, while a call that funds it runs on the
   screening day (WIJ3, 1 Oct 2017 – 30 Jun 2021, source 004, §4c). A route that exists only
   through a call (``CALL_ONLY_ROUTES``: youth, outreach) is offered only while one funds it;
   otherwise the reasons say so and the next rule applies. W², work and care and regular
   mediation are VDAB's standing offer (W² by VDAB's own mediators, source 003 answer 1 and 004
   §6; work and care by decree, source 003 answer 2, financed by VDAB and WVG, source 004 §4a).
5. **W²** when the person has sufficient motivation to work and is expected to move on to
   training or work within two years (source 003, answer 1); otherwise regular mediation for
   now, to be screened again when that changes.

Not being registered with VDAB marks the person non-active, whatever the route. Every result
carries its reasons in plain language, so the screen can say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tandem.common.models import LifeDomain

from .models import Advice, Light, Motivation, Outlook, Route

# A domain's light: the summed weight of its present signals. 0 green, 1–2 orange, 3+ red.
ORANGE_FROM = 1
RED_FROM = 3
# A signal of this weight is "a severe barrier on its own" (the checklist's weight help text).
SEVERE = 3
# MMPPS signals clearly dominate when they weigh at least a red domain's worth …
PRONOUNCED_FROM = RED_FROM
# … and at least this many times the poverty-related signals.
DOMINATES_BY = 2
# The welfare need is "so great" (source 004, §4a) with this many red life domains at once.
WELFARE_NEED_RED_DOMAINS = 4
# The youth track's ages (WIJ3, source 004, §4c) and what makes the needs high.
YOUTH_AGES = (18, 25)
YOUTH_RED_DOMAINS = 2
YOUTH_NON_GREEN_DOMAINS = 4

# Routes that exist only through a call for projects: offered only while a call funds them.
CALL_ONLY_ROUTES = frozenset({Route.YOUTH.value, Route.OUTREACH.value})

# The advice that goes with each route: one decision, two views of it.
ADVICE_FOR_ROUTE: Mapping[str, str] = {
    Route.W2.value: Advice.REFER_MEDIATOR.value,
    Route.YOUTH.value: Advice.REFER_MEDIATOR.value,
    Route.OUTREACH.value: Advice.REFER_MEDIATOR.value,
    Route.WORK_CARE.value: Advice.EXPLORE_WORK_CARE.value,
    Route.REGULAR.value: Advice.REGULAR.value,
}


@dataclass(frozen=True)
class SignalFact:
    code: str
    domain: str
    weight: int
    mmpps: bool = False
    question: str = ""


@dataclass(frozen=True)
class DomainLight:
    domain: str
    light: str
    score: int
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weights:
    """The summed weights of the present signals, split by each signal's own MMPPS flag."""

    mmpps: int
    poverty: int
    severe_mmpps_domains: tuple[str, ...]

    @property
    def pronounced(self) -> bool:
        if self.severe_mmpps_domains:
            return True
        return self.mmpps >= PRONOUNCED_FROM and self.mmpps >= DOMINATES_BY * self.poverty


@dataclass(frozen=True)
class Decision:
    """What the rules conclude from one screening: the route, the advice that goes with it,
    the reasons for each, and whether the person is to be marked non-active."""

    route: str
    advice: str
    route_reasons: tuple[str, ...]
    advice_reasons: tuple[str, ...]
    non_active: bool


def _light(score: int) -> Light:
    if score >= RED_FROM:
        return Light.RED
    if score >= ORANGE_FROM:
        return Light.ORANGE
    return Light.GREEN


def domain_lights(signals: Sequence[SignalFact], present: Iterable[str]) -> dict[str, DomainLight]:
    """Return a light for every life domain from the signals that are present."""
    present_codes = set(present)
    result: dict[str, DomainLight] = {}
    for domain in LifeDomain:
        hits = [s for s in signals if s.domain == domain and s.code in present_codes]
        score = sum(s.weight for s in hits)
        result[domain.value] = DomainLight(
            domain=domain.value,
            light=_light(score).value,
            score=score,
            signals=tuple(s.code for s in hits),
        )
    return result


def weights(signals: Sequence[SignalFact], present: Iterable[str]) -> Weights:
    """Sum the present signals' weights by their own MMPPS flag (not by their life domain)."""
    present_codes = set(present)
    hits = [s for s in signals if s.code in present_codes]
    severe = {s.domain for s in hits if s.mmpps and s.weight >= SEVERE}
    return Weights(
        mmpps=sum(s.weight for s in hits if s.mmpps),
        poverty=sum(s.weight for s in hits if not s.mmpps),
        severe_mmpps_domains=tuple(d.value for d in LifeDomain if d.value in severe),
    )


def mmpps_pronounced(signals: Sequence[SignalFact], present: Iterable[str]) -> bool:
    """A pronounced MMPPS problem (source 003): a severe MMPPS signal (weight 3), or MMPPS
    signals that weigh at least 3 and at least twice the poverty-related signals."""
    return weights(signals, present).pronounced


def _names(domains: Iterable[str]) -> str:
    labels = dict(LifeDomain.choices)
    return ", ".join(str(labels[d]) for d in domains)


def _in_order(domains: Iterable[str]) -> list[str]:
    chosen = set(domains)
    return [d.value for d in LifeDomain if d.value in chosen]


def decide(
    signals: Sequence[SignalFact],
    present: Iterable[str],
    *,
    age: int,
    registered: bool,
    motivation: str,
    outflow_within_two_years: str,
    funded: frozenset[str],
    day: dt.date,
) -> Decision:
    """Decide the route after a screening, and with it the advice (see the module's rules).

    ``funded`` holds what some call pays for on ``day`` (``programmes.models.Funded`` values,
    which are the route codes for trajectories): the caller reads it, the rule stays pure.
    """
    present_codes = set(present)
    lights = domain_lights(signals, present_codes)
    poverty_lights = domain_lights([s for s in signals if not s.mmpps], present_codes)
    weight = weights(signals, present_codes)
    red = _in_order(d for d, v in lights.items() if v.light == Light.RED)
    non_green = _in_order(d for d, v in lights.items() if v.light != Light.GREEN)
    poverty_red = _in_order(d for d, v in poverty_lights.items() if v.light == Light.RED)
    poverty_orange = _in_order(d for d, v in poverty_lights.items() if v.light == Light.ORANGE)

    non_active = not registered
    route_reasons: list[str] = []
    if non_active:
        route_reasons.append(
            _(
                "Not registered with VDAB as a job seeker: marked as non-active. "
                "Registration is needed before a trajectory can start."
            )
        )

    def conclude(route: str, advice_reasons: Sequence[str]) -> Decision:
        return Decision(
            route=route,
            advice=ADVICE_FOR_ROUTE[route],
            route_reasons=tuple(route_reasons),
            advice_reasons=tuple(advice_reasons),
            non_active=non_active,
        )

    # 1. A pronounced MMPPS problem (source 003).
    if weight.pronounced:
        if weight.severe_mmpps_domains:
            route_reasons.append(
                _(
                    "A severe signal of a medical, mental, psychological or psychiatric "
                    "problem in: %(domains)s."
                )
                % {"domains": _names(weight.severe_mmpps_domains)}
            )
        else:
            route_reasons.append(
                _(
                    "Signals of a medical, mental, psychological or psychiatric problem weigh "
                    "%(mmpps)s, at least twice the poverty-related signals (%(poverty)s): the "
                    "problem is pronounced."
                )
                % {"mmpps": weight.mmpps, "poverty": weight.poverty}
            )
        route_reasons.append(
            _(
                "A pronounced medical, mental, psychological or psychiatric "
                "problem rules out a W² trajectory."
            )
        )
        route_reasons.append(_("Care needs dominate: a work-and-care trajectory fits best."))
        return conclude(
            Route.WORK_CARE,
            [
                _(
                    "There are signs of a pronounced medical, mental, psychological or "
                    "psychiatric problem: explore a work-and-care trajectory with a "
                    "work-welfare mediator."
                )
            ],
        )
    if weight.mmpps:
        route_reasons.append(
            _(
                "Signals of a medical, mental or psychological problem weigh %(mmpps)s "
                "against %(poverty)s for the poverty-related ones: not a pronounced problem."
            )
            % {"mmpps": weight.mmpps, "poverty": weight.poverty}
        )

    # 2. A welfare need so great (source 004, §4a), social problems included.
    if len(red) >= WELFARE_NEED_RED_DOMAINS:
        route_reasons.append(
            _(
                "Red in %(n)s life domains (%(domains)s): the need for support on welfare and "
                "care is so great that a work-and-care trajectory, for medical, mental, "
                "psychological, psychiatric and/or social problems, fits best."
            )
            % {"n": len(red), "domains": _names(red)}
        )
        return conclude(
            Route.WORK_CARE,
            [
                _(
                    "The need for support on welfare and care is so great (red in %(n)s life "
                    "domains): explore a work-and-care trajectory with a work-welfare mediator."
                )
                % {"n": len(red)}
            ],
        )

    # 3. A poverty-related barrier: a red domain or two orange ones (source 004, §1 and §4a).
    if not poverty_red and len(poverty_orange) < 2:
        if poverty_orange:
            advice_reasons = [
                _("Only one domain is orange (%(domains)s): follow it up in regular guidance.")
                % {"domains": _names(poverty_orange)}
            ]
        else:
            advice_reasons = [_("No signals of poverty-related barriers.")]
        route_reasons.append(_("No poverty-related barriers: regular mediation."))
        return conclude(Route.REGULAR, advice_reasons)
    found = []
    if poverty_red:
        found.append(_("Red in: %(domains)s.") % {"domains": _names(poverty_red)})
    if poverty_orange:
        found.append(_("Orange in: %(domains)s.") % {"domains": _names(poverty_orange)})
    refer = _(
        "Poverty-related problems stand in the way of work: refer to a work-welfare mediator."
    )

    # 4. The youth track, while a call funds it (source 004, §4c).
    young = YOUTH_AGES[0] <= age <= YOUTH_AGES[1]
    if young and (len(red) >= YOUTH_RED_DOMAINS or len(non_green) >= YOUTH_NON_GREEN_DOMAINS):
        if Route.YOUTH in funded:
            route_reasons.append(
                _(
                    "Aged %(age)s with high needs (%(n)s life domains not green): the "
                    "youth track of 18 months fits best."
                )
                % {"age": age, "n": len(non_green)}
            )
            return conclude(Route.YOUTH, [*found, refer])
        route_reasons.append(
            _(
                "Aged %(age)s with high needs, but the youth track is not funded on "
                "%(date)s: no call that pays for it runs then."
            )
            % {"age": age, "date": day.strftime("%d/%m/%Y")}
        )

    # 5. W² (source 003): sufficient motivation and work or training within two years.
    blockers = []
    if motivation != Motivation.SUFFICIENT:
        blockers.append(
            _(
                "a W² trajectory needs sufficient motivation to work, and it is "
                "recorded as not (yet) sufficient"
            )
        )
    if outflow_within_two_years != Outlook.YES:
        blockers.append(
            _(
                "a W² trajectory is for people expected to move on to training "
                "or work within two years, and that is not expected (yet)"
            )
        )
    barriers = _in_order([*poverty_red, *poverty_orange])
    if not blockers:
        route_reasons.append(
            _(
                "Poverty-related barriers in %(domains)s, no pronounced medical or "
                "psychological problem, sufficient motivation and work or training "
                "expected within two years: a W² trajectory."
            )
            % {"domains": _names(barriers)}
        )
        return conclude(Route.W2, [*found, refer])
    why = "; ".join(blockers)
    route_reasons.append(
        _(
            "Poverty-related barriers, but %(why)s: regular mediation for now; "
            "screen again when this changes."
        )
        % {"why": why}
    )
    return conclude(
        Route.REGULAR,
        [
            *found,
            _(
                "Poverty-related problems stand in the way of work, but %(why)s: regular "
                "guidance for now; screen again when this changes."
            )
            % {"why": why},
        ],
    )


@dataclass(frozen=True)
class DomainChange:
    domain: str
    before: str
    after: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def changes(
    previous: Mapping[str, Mapping[str, object]], current: Mapping[str, Mapping[str, object]]
) -> list[DomainChange]:
    """Compare two screenings' stored lights: which domains changed colour or signals."""
    result = []
    for domain in LifeDomain:
        before = previous.get(domain.value, {"light": Light.GREEN, "signals": []})
        after = current.get(domain.value, {"light": Light.GREEN, "signals": []})
        b_signals = set(before.get("signals", []))  # type: ignore[call-overload]
        a_signals = set(after.get("signals", []))  # type: ignore[call-overload]
        if before.get("light") != after.get("light") or b_signals != a_signals:
            result.append(
                DomainChange(
                    domain=domain.value,
                    before=str(before.get("light")),
                    after=str(after.get("light")),
                    added=tuple(sorted(a_signals - b_signals)),
                    removed=tuple(sorted(b_signals - a_signals)),
                )
            )
    return result
