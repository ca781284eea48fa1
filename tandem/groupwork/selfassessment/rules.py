"""The self-assessment's statements, its scale and the comparison of start and end: pure rules.

Group work aims at self-insight, a visualised social network and more draagkracht (source 004,
"Evaluatie vorige tender": "het verhogen van het zelfinzicht, een visualisatie van het sociale
netwerk en het verhogen van de draagkracht van de deelnemers"). The network map shows the
network; these statements show self-image and draagkracht. Their wording follows source 004's
empowerment paragraph: people "weer greep krijgen op hun leven", "een positiever zelfbeeld
hebben, geloven iemand te zijn en een plaats te hebben in de maatschappij".

The scale has the shape of the measurement scale (DOMAIN.md §4): five levels, 1 the lowest and
5 the highest, progress = the later reading − the first. Its labels are not the
self-sufficiency levels (those describe a life domain, not a statement about oneself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import ITEM_FIELDS, LEVEL_MAX, LEVEL_MIN

SELF_IMAGE = "self_image"
DRAAGKRACHT = "draagkracht"

DIMENSIONS: dict[str, Promise] = {
    SELF_IMAGE: _("Self-image"),
    DRAAGKRACHT: _("Draagkracht (what one can carry)"),
}

# field → (dimension, where the statement comes from)
ITEMS: dict[str, tuple[str, str]] = {
    "self_worth": (SELF_IMAGE, "source 004: een positiever zelfbeeld hebben"),
    "own_strengths": (SELF_IMAGE, "source 004: het verhogen van het zelfinzicht"),
    "belonging": (SELF_IMAGE, "source 004: geloven iemand te zijn en een plaats te hebben"),
    "setbacks": (DRAAGKRACHT, "source 004: het verhogen van de draagkracht"),
    "grip": (DRAAGKRACHT, "source 004: weer greep krijgen op hun leven"),
    "energy": (DRAAGKRACHT, "source 004: zelfsturend leren zijn in het traject naar werk"),
}
assert tuple(ITEMS) == ITEM_FIELDS

SCALE: dict[int, Promise] = {
    1: _("Not at all"),
    2: _("Hardly"),
    3: _("Partly"),
    4: _("Mostly"),
    5: _("Fully"),
}
assert min(SCALE) == LEVEL_MIN and max(SCALE) == LEVEL_MAX


def items_of(dimension: str) -> list[str]:
    return [name for name, (dim, _source) in ITEMS.items() if dim == dimension]


def level_problems(levels: Mapping[str, object]) -> dict[str, str]:
    """Which statements lack a level of the scale: field → the kind of problem."""
    problems = {}
    for name in ITEMS:
        value = levels.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            problems[name] = "missing"
        elif not LEVEL_MIN <= value <= LEVEL_MAX:
            problems[name] = "out_of_scale"
    return problems


def mean(values: list[int]) -> Decimal:
    """The mean of the levels, to one decimal (half up)."""
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score(levels: Mapping[str, int], dimension: str) -> Decimal:
    return mean([levels[name] for name in items_of(dimension)])


@dataclass(frozen=True)
class Row:
    key: str
    start: Decimal | int | None
    end: Decimal | int | None

    @property
    def difference(self) -> Decimal | int | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    @property
    def difference_text(self) -> str:
        """``+1``, ``−0.5`` (a real minus sign) or ``0``; empty when a moment is missing."""
        d = self.difference
        if d is None:
            return ""
        if d > 0:
            return f"+{localize(d)}"
        return f"\u2212{localize(-d)}" if d < 0 else "0"


@dataclass(frozen=True)
class Comparison:
    """Per dimension its score (the mean of its statements) and per statement its level, at
    the start and at the end; ``None`` where a moment is not filled in."""

    dimensions: list[Row]
    items: list[Row]

    @property
    def complete(self) -> bool:
        return bool(self.dimensions) and self.dimensions[0].difference is not None


def compare(start: Mapping[str, int] | None, end: Mapping[str, int] | None) -> Comparison:
    return Comparison(
        dimensions=[
            Row(
                dim,
                score(start, dim) if start is not None else None,
                score(end, dim) if end is not None else None,
            )
            for dim in DIMENSIONS
        ],
        items=[
            Row(
                name,
                start[name] if start is not None else None,
                end[name] if end is not None else None,
            )
            for name in ITEMS
        ],
    )
