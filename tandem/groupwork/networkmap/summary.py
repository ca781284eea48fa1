"""The numbers of a social network map (ecogram) and the comparison of a start map with an
end map: the ties as the drawing and the tables see them, the counts per sector, strength and
kind, and what changed in plain sentences.

The quarters of the map are the four ``Relation`` values, clockwise from the top right:
family, friends and neighbours, work, school and leisure, professional help and services
(``SECTORS``); the drawing (``ecogram``) and the layout (``layout``) follow the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Relation, TieKind

# The quarters, clockwise from twelve o'clock.
SECTORS: tuple[str, ...] = (
    Relation.FAMILY,
    Relation.FRIENDS,
    Relation.WORK_SCHOOL,
    Relation.PROFESSIONAL,
)
STRENGTHS: tuple[int, ...] = (3, 2, 1)  # strong first, as tables list them


class TieLike(Protocol):
    """What a tie needs for the drawing: a ``NetworkTie``, a ``Tie`` or anything alike."""

    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def relation(self) -> str: ...
    @property
    def strength(self) -> int: ...
    @property
    def strained(self) -> bool: ...


@dataclass(frozen=True)
class Tie:
    label: str
    kind: str
    relation: str
    strength: int
    strained: bool = False


def strength_label(strength: int) -> str:
    return {3: _("strong"), 2: _("medium"), 1: _("weak")}.get(strength, str(strength))


def relation_label(relation: str) -> str:
    try:
        return str(Relation(relation).label)
    except ValueError:
        return relation


# --- summary and comparison ------------------------------------------------------------------


@dataclass(frozen=True)
class MapSummary:
    """The counts of one map: per sector (in sector order), per strength (strong first), strong
    ties per sector, strained ties, persons and organisations."""

    total: int
    by_relation: dict[str, int]
    by_strength: dict[int, int]
    strong_by_relation: dict[str, int]
    strained: int
    persons: int
    organisations: int

    def sentence(self) -> str:
        """The map in words, for the SVG's description and the page."""
        if not self.total:
            return _("No ties on this map.")
        relations = "; ".join(
            f"{relation_label(r)} {self.by_relation[r]}" for r in SECTORS if self.by_relation[r]
        )
        head = ngettext("%(count)s tie", "%(count)s ties", self.total) % {"count": self.total}
        return _(
            "%(ties)s: %(relations)s. Strong %(strong)s, medium %(medium)s, weak %(weak)s. "
            "Strained %(strained)s. Persons %(persons)s, organisations %(organisations)s."
        ) % {
            "ties": head,
            "relations": relations,
            "strong": self.by_strength[3],
            "medium": self.by_strength[2],
            "weak": self.by_strength[1],
            "strained": self.strained,
            "persons": self.persons,
            "organisations": self.organisations,
        }


def summarise(ties: Iterable[TieLike]) -> MapSummary:
    ties = list(ties)
    return MapSummary(
        total=len(ties),
        by_relation={r: sum(1 for t in ties if t.relation == r) for r in SECTORS},
        by_strength={s: sum(1 for t in ties if t.strength == s) for s in STRENGTHS},
        strong_by_relation={
            r: sum(1 for t in ties if t.relation == r and t.strength == 3) for r in SECTORS
        },
        strained=sum(1 for t in ties if t.strained),
        persons=sum(1 for t in ties if t.kind == TieKind.PERSON),
        organisations=sum(1 for t in ties if t.kind == TieKind.ORGANISATION),
    )


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    start: int | None
    end: int | None

    @property
    def difference(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    @property
    def difference_text(self) -> str:
        """``+2``, ``−1`` (a real minus sign) or ``0``; empty when a map is missing."""
        d = self.difference
        if d is None:
            return ""
        return f"+{d}" if d > 0 else (f"\u2212{-d}" if d < 0 else "0")


@dataclass(frozen=True)
class Comparison:
    relations: list[ComparisonRow]
    strengths: list[ComparisonRow]
    others: list[ComparisonRow]
    sentences: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.relations) and self.relations[0].difference is not None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _total_sentence(start: int, end: int) -> str:
    d = end - start
    if d > 0:
        return ngettext(
            "%(count)s more tie at the end than at the start.",
            "%(count)s more ties at the end than at the start.",
            d,
        ) % {"count": d}
    if d < 0:
        return ngettext(
            "%(count)s tie fewer at the end than at the start.",
            "%(count)s ties fewer at the end than at the start.",
            -d,
        ) % {"count": -d}
    return _("As many ties at the end as at the start: %(count)s.") % {"count": end}


def _strong_sentence(d: int, relation: str) -> str:
    values = {"count": abs(d), "relation": relation_label(relation).lower()}
    if d > 0:
        return (
            ngettext(
                "%(count)s strong tie more in %(relation)s.",
                "%(count)s strong ties more in %(relation)s.",
                d,
            )
            % values
        )
    return (
        ngettext(
            "%(count)s strong tie fewer in %(relation)s.",
            "%(count)s strong ties fewer in %(relation)s.",
            -d,
        )
        % values
    )


def _strained_sentence(d: int) -> str:
    if d > 0:
        return ngettext("%(count)s strained tie more.", "%(count)s strained ties more.", d) % {
            "count": d
        }
    return ngettext("%(count)s strained tie fewer.", "%(count)s strained ties fewer.", -d) % {
        "count": -d
    }


def compare(start: MapSummary | None, end: MapSummary | None) -> Comparison:
    """Start and end side by side, with the difference (end minus start) and the changes
    that matter in plain sentences: the number of ties, strong ties per sector, strained
    ties. A missing map gives empty cells and a sentence saying which map is missing."""

    def row(key: str, label: str, get: Callable[[MapSummary], int]) -> ComparisonRow:
        return ComparisonRow(
            key=key,
            label=label,
            start=get(start) if start is not None else None,
            end=get(end) if end is not None else None,
        )

    def in_relation(relation: str) -> Callable[[MapSummary], int]:
        return lambda s: s.by_relation[relation]

    def of_strength(strength: int) -> Callable[[MapSummary], int]:
        return lambda s: s.by_strength[strength]

    relations = [row(r, relation_label(r), in_relation(r)) for r in SECTORS]
    strengths = [row(str(n), strength_label(n).capitalize(), of_strength(n)) for n in STRENGTHS]
    others = [
        row("total", _("All ties"), lambda s: s.total),
        row("strained", _("Strained ties"), lambda s: s.strained),
        row("persons", _("Persons"), lambda s: s.persons),
        row("organisations", _("Organisations"), lambda s: s.organisations),
    ]
    sentences: list[str] = []
    if start is None and end is None:
        sentences.append(_("Neither map has been drawn yet."))
    elif start is None:
        sentences.append(_("The start map has not been drawn: there is nothing to compare."))
    elif end is None:
        sentences.append(
            _("The end map has not been drawn yet: the comparison follows when it is.")
        )
    else:
        sentences.append(_total_sentence(start.total, end.total))
        for r in SECTORS:
            d = end.strong_by_relation[r] - start.strong_by_relation[r]
            if d:
                sentences.append(_strong_sentence(d, r))
        if end.strained != start.strained:
            sentences.append(_strained_sentence(end.strained - start.strained))
    return Comparison(relations=relations, strengths=strengths, others=others, sentences=sentences)
