"""The honest comparison of group work with individual-only mediation (DOMAIN.md §7).

Group participants start weaker, so a raw difference in outflow mixes what group work does
with who was sent to it. The adjusted figure reweights the individual-only participants so
that their mix of recorded traits matches the group participants' (raking: iterative
proportional fitting on each trait's distribution), then compares. It removes differences in
those traits only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import rules
from .outflow import NOT_DUE, Measurement

TRAITS: dict[str, Callable[[Measurement], str]] = {
    "age_band": lambda m: rules.age_band(m.row.birth_date, m.row.start),
    "education": lambda m: m.row.education,
    "benefit": lambda m: m.row.benefit,
    "first_reading": lambda m: rules.reading_band(m.row.first_reading),
    "months_unemployed": lambda m: rules.months_band(m.months_unemployed),
}
# Raking stops when every margin is within TOLERANCE of its target, or after ITERATIONS.
ITERATIONS = 200
TOLERANCE = 1e-9


def trait_title(trait: str) -> str:
    return {
        "age_band": _("age band"),
        "education": _("education"),
        "benefit": _("benefit"),
        "first_reading": _("first self-sufficiency reading"),
        "months_unemployed": _("months unemployed before the start"),
    }[trait]


def rake(
    reference: Sequence[dict[str, str]], target: Sequence[dict[str, str]], traits: Sequence[str]
) -> list[float]:
    """Weights for ``reference`` whose weighted distribution of every trait matches
    ``target``'s. Levels the reference lacks cannot be matched and are left out."""
    weights = [1.0] * len(reference)
    if not reference or not target:
        return weights
    for _round in range(ITERATIONS):
        worst = 0.0
        for trait in traits:
            wanted = Counter(item[trait] for item in target)
            present = {item[trait] for item in reference}
            wanted_total = sum(n for level, n in wanted.items() if level in present)
            have: dict[str, float] = dict.fromkeys(present, 0.0)
            for weight, item in zip(weights, reference, strict=True):
                have[item[trait]] += weight
            have_total = sum(have.values())
            factors: dict[str, float] = {}
            for level in present:
                share_wanted = wanted.get(level, 0) / wanted_total if wanted_total else 0
                share_have = have[level] / have_total if have_total else 0
                worst = max(worst, abs(share_wanted - share_have))
                factors[level] = share_wanted / share_have if share_have else 0
            weights = [w * factors[item[trait]] for w, item in zip(weights, reference, strict=True)]
        if worst < TOLERANCE:
            break
    return weights


@dataclass(frozen=True)
class Difference:
    outcome: str  # "out" or "work"
    group_share: float
    individual_share: float
    individual_adjusted: float

    @property
    def raw(self) -> float:
        return self.group_share - self.individual_share

    @property
    def adjusted(self) -> float:
        return self.group_share - self.individual_adjusted


@dataclass(frozen=True)
class Comparison:
    months: int
    group_measured: int
    individual_measured: int
    differences: tuple[Difference, ...]
    traits: tuple[str, ...]
    effective_individual: float  # Kish's effective sample size after reweighting


def compare(
    measurements: Sequence[Measurement], months: int, traits: Sequence[str] = tuple(TRAITS)
) -> Comparison | None:
    """Raw and adjusted differences (group − individual only) at +``months``, or None when
    either side has nobody measured."""
    measured = [m for m in measurements if m.at[months] not in (None, NOT_DUE)]
    group = [m for m in measured if m.row.group_work]
    individual = [m for m in measured if not m.row.group_work]
    if not group or not individual:
        return None
    profile = [{t: TRAITS[t](m) for t in traits} for m in individual]
    target = [{t: TRAITS[t](m) for t in traits} for m in group]
    weights = rake(profile, target, traits)
    total_weight = sum(weights)
    squares = sum(w * w for w in weights)
    differences = []
    for outcome, test in (("out", rules.out_of_unemployment), ("work", rules.into_work)):
        group_share = sum(test(str(m.at[months])) for m in group) / len(group)
        individual_share = sum(test(str(m.at[months])) for m in individual) / len(individual)
        adjusted = (
            sum(w for w, m in zip(weights, individual, strict=True) if test(str(m.at[months])))
            / total_weight
            if total_weight
            else individual_share
        )
        differences.append(Difference(outcome, group_share, individual_share, adjusted))
    return Comparison(
        months,
        len(group),
        len(individual),
        tuple(differences),
        tuple(traits),
        total_weight * total_weight / squares if squares else 0.0,
    )


def points(share: float) -> str:
    return f"{share * 100:+.1f}".replace("-", "−")


def explain(comparison: Comparison) -> str:
    """The plain sentence: what the adjustment does and what it does not prove."""
    out = comparison.differences[0]
    traits = ", ".join(trait_title(t) for t in comparison.traits)
    return _(
        "Out of unemployment at %(months)d months, group participants differ from "
        "individual-only participants by %(raw)s percentage points. Compared with "
        "individual-only participants reweighted to the same mix of %(traits)s, the "
        "difference is %(adjusted)s points. The adjustment only evens out these recorded "
        "traits; it cannot even out what was not recorded (motivation, health, the situation "
        "at home) and it does not prove that group work causes the difference."
    ) % {
        "months": comparison.months,
        "raw": points(out.raw),
        "adjusted": points(out.adjusted),
        "traits": traits,
    }
