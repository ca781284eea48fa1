"""Screening rules as pure functions over plain data (DESIGN.md habit 5).

Traffic lights per life domain come from the weights of the signals that are present; the
advice and the route follow DOMAIN.md §2.3 and §9 (source 003: a W² trajectory is for people
without a pronounced medical, mental, psychological or psychiatric problem, with sufficient
motivation, expected to move on to training or work within two years). Every result carries
its reasons in plain language, so the screen can say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tandem.common.models import LifeDomain

from .models import Advice, Light, Motivation, Outlook, Route

# A domain's light: the summed weight of its present signals. 0 green, 1–2 orange, 3+ red.
ORANGE_FROM = 1
RED_FROM = 3

# Domains where problems point to medical, mental, psychological or psychiatric (MMPPS) needs.
MMPPS_DOMAINS = frozenset(
    {LifeDomain.MENTAL_HEALTH, LifeDomain.PHYSICAL_HEALTH, LifeDomain.ADDICTION, LifeDomain.ADL}
)
# Everything else is where poverty shows itself: money, housing, family, network, language, …
POVERTY_DOMAINS = frozenset(set(LifeDomain) - MMPPS_DOMAINS)

YOUTH_AGES = (18, 25)


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
class Outcome:
    code: str
    reasons: tuple[str, ...] = field(default_factory=tuple)


def domain_lights(signals: Sequence[SignalFact], present: Iterable[str]) -> dict[str, DomainLight]:
    """Return a light for every life domain from the signals that are present."""
    present_codes = set(present)
    result: dict[str, DomainLight] = {}
    for domain in LifeDomain:
        hits = [s for s in signals if s.domain == domain and s.code in present_codes]
        score = sum(s.weight for s in hits)
        if score >= RED_FROM:
            light = Light.RED
        elif score >= ORANGE_FROM:
            light = Light.ORANGE
        else:
            light = Light.GREEN
        result[domain.value] = DomainLight(
            domain=domain.value,
            light=light.value,
            score=score,
            signals=tuple(s.code for s in hits),
        )
    return result


def _names(domains: Iterable[str]) -> str:
    labels = dict(LifeDomain.choices)
    return ", ".join(str(labels[d]) for d in domains)


def mmpps_pronounced(signals: Sequence[SignalFact], present: Iterable[str]) -> bool:
    """A pronounced MMPPS problem: a severe (weight 3) MMPPS signal, or a red MMPPS domain."""
    present_codes = set(present)
    hits = [s for s in signals if s.code in present_codes and s.mmpps]
    if any(s.weight >= RED_FROM for s in hits):
        return True
    lights = domain_lights(signals, present_codes)
    return any(lights[d].light == Light.RED for d in MMPPS_DOMAINS if d in lights)


def advice(lights: Mapping[str, DomainLight], *, pronounced_mmpps: bool) -> Outcome:
    """Advise what to do after the first conversation."""
    red = [d for d in POVERTY_DOMAINS if lights[d].light == Light.RED]
    orange = [d for d in POVERTY_DOMAINS if lights[d].light == Light.ORANGE]
    red, orange = sorted(red), sorted(orange)
    if pronounced_mmpps:
        return Outcome(
            Advice.EXPLORE_WORK_CARE,
            (
                _(
                    "There are signs of a pronounced medical, mental, psychological or psychiatric "
                    "problem: explore a work-and-care trajectory with a work-welfare mediator."
                ),
            ),
        )
    if red or len(orange) >= 2:
        reasons = []
        if red:
            reasons.append(_("Red in: %(domains)s.") % {"domains": _names(red)})
        if orange:
            reasons.append(_("Orange in: %(domains)s.") % {"domains": _names(orange)})
        reasons.append(
            _(
                "Poverty-related problems stand in the way of work: refer to a "
                "work-welfare mediator."
            )
        )
        return Outcome(Advice.REFER_MEDIATOR, tuple(reasons))
    if orange:
        return Outcome(
            Advice.REGULAR,
            (
                _("Only one domain is orange (%(domains)s): follow it up in regular guidance.")
                % {"domains": _names(orange)},
            ),
        )
    return Outcome(Advice.REGULAR, (_("No signals of poverty-related barriers."),))


def route(
    *,
    age: int,
    registered: bool,
    lights: Mapping[str, DomainLight],
    pronounced_mmpps: bool,
    motivation: str,
    outflow_within_two_years: str,
) -> tuple[Outcome, bool]:
    """Suggest a route; also return whether the person is to be marked non-active."""
    reasons: list[str] = []
    non_green = [d for d, light in lights.items() if light.light != Light.GREEN]
    red = [d for d, light in lights.items() if light.light == Light.RED]
    poverty_barriers = [d for d in non_green if d in POVERTY_DOMAINS]
    mmpps_scores = sum(lights[d].score for d in MMPPS_DOMAINS if d in lights)
    poverty_scores = sum(lights[d].score for d in POVERTY_DOMAINS if d in lights)
    non_active = not registered
    if non_active:
        reasons.append(
            _(
                "Not registered with VDAB as a job seeker: marked as non-active. "
                "Registration is needed before a trajectory can start."
            )
        )

    if pronounced_mmpps or (mmpps_scores and mmpps_scores > poverty_scores):
        if pronounced_mmpps:
            reasons.append(
                _(
                    "A pronounced medical, mental, psychological or psychiatric "
                    "problem rules out a W² trajectory."
                )
            )
        else:
            reasons.append(
                _(
                    "Medical, mental or psychological problems weigh more than the "
                    "poverty-related ones."
                )
            )
        reasons.append(_("Care needs dominate: a work-and-care trajectory fits best."))
        return Outcome(Route.WORK_CARE, tuple(reasons)), non_active

    young = YOUTH_AGES[0] <= age <= YOUTH_AGES[1]
    if young and (len(red) >= 2 or len(non_green) >= 4):
        reasons.append(
            _(
                "Aged %(age)s with high needs (%(n)s life domains not green): the "
                "youth track of 18 months fits best."
            )
            % {"age": age, "n": len(non_green)}
        )
        return Outcome(Route.YOUTH, tuple(reasons)), non_active

    if poverty_barriers:
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
        if not blockers:
            reasons.append(
                _(
                    "Poverty-related barriers in %(domains)s, no pronounced medical or "
                    "psychological problem, sufficient motivation and work or training "
                    "expected within two years: a W² trajectory."
                )
                % {"domains": _names(sorted(poverty_barriers))}
            )
            return Outcome(Route.W2, tuple(reasons)), non_active
        reasons.append(
            _(
                "Poverty-related barriers, but %(why)s: regular mediation for now; "
                "screen again when this changes."
            )
            % {"why": "; ".join(blockers)}
        )
        return Outcome(Route.REGULAR, tuple(reasons)), non_active

    reasons.append(_("No poverty-related barriers: regular mediation."))
    return Outcome(Route.REGULAR, tuple(reasons)), non_active


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
