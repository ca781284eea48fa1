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
    reference: Sequence[dict[str, str]],
    target: Sequence[dict[str, str]],
    traits: Sequence[str],
    *,
    reference_counts: Sequence[int] | None = None,
    target_counts: Sequence[int] | None = None,
) -> list[float]:
    """Weights for ``reference`` whose weighted distribution of every trait matches
    ``target``'s. Levels the reference lacks cannot be matched and are left out.

    An item may stand for several alike (``*_counts``, one each by default): its weight is
    then the weight of each of them, as if they were listed one by one."""
    weights = [1.0] * len(reference)
    if not reference or not target:
        return weights
    ref_counts = list(reference_counts) if reference_counts is not None else [1] * len(reference)
    tgt_counts = list(target_counts) if target_counts is not None else [1] * len(target)
    for _round in range(ITERATIONS):
        worst = 0.0
        for trait in traits:
            wanted: Counter[str] = Counter()
            for item, n in zip(target, tgt_counts, strict=True):
                wanted[item[trait]] += n
            present = {item[trait] for item in reference}
            wanted_total = sum(n for level, n in wanted.items() if level in present)
            have: dict[str, float] = dict.fromkeys(present, 0.0)
            for weight, item, n in zip(weights, reference, ref_counts, strict=True):
                have[item[trait]] += weight * n
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


@dataclass(frozen=True, slots=True)
class Cell:
    """Measured trajectories alike in group work and in every trait: how many, and how many
    of them out of unemployment and into work."""

    group_work: bool
    traits: tuple[str, ...]  # one level per trait compared, in their order
    n: int
    out: int
    work: int


def cells(measurements: Sequence[Measurement], months: int, traits: Sequence[str]) -> list[Cell]:
    """The measured trajectories at +``months`` counted into cells (what the SQL of
    ``outcomes.figures.comparison_cells`` counts from the outcome table)."""
    counts: dict[tuple[bool, tuple[str, ...]], list[int]] = {}
    for m in measurements:
        status = m.at[months]
        if status in (None, NOT_DUE):
            continue
        key = (m.row.group_work, tuple(TRAITS[t](m) for t in traits))
        cell = counts.setdefault(key, [0, 0, 0])
        cell[0] += 1
        cell[1] += rules.out_of_unemployment(str(status))
        cell[2] += rules.into_work(str(status))
    return [Cell(group, levels, *values) for (group, levels), values in counts.items()]


def compare(
    measurements: Sequence[Measurement], months: int, traits: Sequence[str] = tuple(TRAITS)
) -> Comparison | None:
    """Raw and adjusted differences (group − individual only) at +``months``, or None when
    either side has nobody measured."""
    return compare_cells(cells(measurements, months, traits), months, traits)


def compare_cells(
    found: Sequence[Cell], months: int, traits: Sequence[str] = tuple(TRAITS)
) -> Comparison | None:
    """``compare`` over counted cells: the individual-only cells are raked to the group's mix
    of ``traits`` (each cell's weight holds for every trajectory in it)."""
    found = sorted(found, key=lambda c: (c.group_work, c.traits))
    group = [c for c in found if c.group_work and c.n]
    individual = [c for c in found if not c.group_work and c.n]
    if not group or not individual:
        return None
    profile = [dict(zip(traits, c.traits, strict=True)) for c in individual]
    target = [dict(zip(traits, c.traits, strict=True)) for c in group]
    weights = rake(
        profile,
        target,
        traits,
        reference_counts=[c.n for c in individual],
        target_counts=[c.n for c in group],
    )
    total_weight = sum(w * c.n for w, c in zip(weights, individual, strict=True))
    squares = sum(w * w * c.n for w, c in zip(weights, individual, strict=True))
    group_n = sum(c.n for c in group)
    individual_n = sum(c.n for c in individual)
    differences = []
    for outcome in ("out", "work"):
        group_share = sum(getattr(c, outcome) for c in group) / group_n
        individual_share = sum(getattr(c, outcome) for c in individual) / individual_n
        adjusted = (
            sum(w * getattr(c, outcome) for w, c in zip(weights, individual, strict=True))
            / total_weight
            if total_weight
            else individual_share
        )
        differences.append(Difference(outcome, group_share, individual_share, adjusted))
    return Comparison(
        months,
        group_n,
        individual_n,
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
