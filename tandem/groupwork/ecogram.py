"""The social network map (ecogram) as server-side SVG, and the numbers that compare a start
map with an end map.

The participant sits in the centre; the circle is cut into four quarters, one per
``Relation`` (clockwise from the top right: family, friends and neighbours, work, school and
leisure, professional help and services). Each tie is a node in its quarter: a circle for a
person, a square for an organisation. The stronger the tie, the closer to the centre (three
rings) and the thicker the line to the centre; a strained tie is drawn dashed. Nodes of a
quarter are spread evenly over its angle, and each label takes the first free spot beside its
node, so up to forty ties stay legible. Everything is deterministic: the same ties give the
same drawing.

The drawing follows ``tandem.common.svg``: no inline style or script (the CSP forbids them),
presentation attributes only, every text escaped, one ``role="img"`` with a ``<title>`` and a
``<desc>`` that says in words what the map holds; the page shows a table of the ties as well.
The viewBox is about 400 units wide and the SVG scales to its container (``width="100%"``), so
the labels stay readable on a 390-pixel phone screen.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.common.svg import COLOURS, GRID, INK, INK_SOFT, text

from .models import Relation, TieKind

# The quarters, clockwise from twelve o'clock.
SECTORS: tuple[str, ...] = (
    Relation.FAMILY,
    Relation.FRIENDS,
    Relation.WORK_SCHOOL,
    Relation.PROFESSIONAL,
)
SECTOR_COLOURS: dict[str, str] = dict(zip(SECTORS, COLOURS, strict=True))
STRENGTHS: tuple[int, ...] = (3, 2, 1)  # strong first, as tables list them

# Geometry, in viewBox units.
WIDTH = 400.0
CX = 200.0
CY = 214.0
OUTER = 172.0
RING_RADIUS: dict[int, float] = {3: 78.0, 2: 120.0, 1: 156.0}
# On a crowded ring, neighbours take turns on it, this far outside and this far inside it.
STAGGER = (0.0, 11.0, -11.0)
CROWDED_SPACING = 36.0
LINE_WIDTH: dict[int, float] = {3: 4.5, 2: 2.75, 1: 1.25}
STRAINED_DASH = "6 4"
NODE_R = 7.0
FONT_SIZE = 12.5
TITLE_FONT_SIZE = 13.0
CHAR_WIDTH = 0.58  # average width of a character, in em (a little generous: no overlaps)
LABEL_CHARS = 13  # longer labels are cut short in the drawing (the table has them in full)
TITLE_CHARS = 18
LABEL_GAP = 4.0
TOP = 40.0  # room above the circle for the two upper sector titles
LEGEND_ROW = 18.0

_CHART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


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


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def outside(self, bounds: Box) -> float:
        """How far the box sticks out of ``bounds``, summed over the four sides."""
        return (
            max(0.0, bounds.x0 - self.x0)
            + max(0.0, self.x1 - bounds.x1)
            + max(0.0, bounds.y0 - self.y0)
            + max(0.0, self.y1 - bounds.y1)
        )


@dataclass(frozen=True)
class Node:
    """A tie placed on the map, with where its label goes."""

    tie: TieLike
    x: float
    y: float
    angle: float  # degrees clockwise from twelve o'clock
    text: str  # the label as drawn (cut short when long)
    text_x: float
    text_y: float  # the baseline
    anchor: str  # start, middle or end
    label_box: Box


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _text_width(value: str, size: float = FONT_SIZE) -> float:
    return len(value) * size * CHAR_WIDTH


def _position(angle: float, radius: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return CX + radius * math.sin(rad), CY - radius * math.cos(rad)


def _sector_order(ties: list[TieLike]) -> list[TieLike]:
    """The order of a sector's ties along its arc. Each ring's ties (by label) are spread
    evenly through the sequence, so neighbours on the arc tend to sit on different rings and
    leave room for each other's labels."""
    groups = [
        sorted((t for t in ties if t.strength == s), key=lambda t: (t.label.casefold(), t.label))
        for s in STRENGTHS
    ]
    # Ties with a strength outside 1..3 (never saved) go on the weak ring rather than vanish.
    groups[-1].extend(t for t in ties if t.strength not in STRENGTHS)
    keyed = [
        ((j + 0.5) / len(group), ring, j, tie)
        for ring, group in enumerate(groups)
        for j, tie in enumerate(group)
    ]
    return [tie for *_key, tie in sorted(keyed, key=lambda item: item[:3])]


def _label_spots(x: float, y: float, text_value: str) -> list[tuple[float, float, str, Box]]:
    """Where a label may go, best first: outward beside the node, then above or below it,
    then inward."""
    w = _text_width(text_value)
    h = FONT_SIZE
    off = NODE_R + LABEL_GAP
    base = FONT_SIZE * 0.35  # baseline below the middle of the text
    outward = 1 if x >= CX else -1

    def beside(direction: int, dy: float) -> tuple[float, float, str, Box]:
        ty = y + dy + base
        if direction > 0:
            tx = x + off
            return tx, ty, "start", Box(tx - 1, ty - h * 0.8, tx + w + 1, ty + h * 0.25)
        tx = x - off
        return tx, ty, "end", Box(tx - w - 1, ty - h * 0.8, tx + 1, ty + h * 0.25)

    def over(dy: float) -> tuple[float, float, str, Box]:
        ty = y + dy + base
        return x, ty, "middle", Box(x - w / 2 - 1, ty - h * 0.8, x + w / 2 + 1, ty + h * 0.25)

    return [
        beside(outward, 0),
        over(-(off + h / 2)),
        over(off + h / 2),
        beside(outward, -h * 0.75),
        beside(outward, h * 0.75),
        beside(-outward, 0),
        beside(-outward, -h * 0.75),
        beside(-outward, h * 0.75),
        beside(outward, -h * 1.5),
        beside(outward, h * 1.5),
        beside(-outward, -h * 1.5),
        beside(-outward, h * 1.5),
    ]


def _centre_box(centre_label: str) -> Box:
    w = _text_width(centre_label, TITLE_FONT_SIZE) + 16
    return Box(CX - w / 2, CY - 12, CX + w / 2, CY + 12)


def _title_lines(relation: str, count: int) -> list[str]:
    return textwrap.wrap(f"{relation_label(relation)} ({count})", TITLE_CHARS) or [""]


def _title_boxes(counts: dict[str, int]) -> dict[str, tuple[float, float, str, Box]]:
    """Each sector's title in its corner: above the circle for the upper quarters, below it
    for the lower ones; returns the x, first baseline, anchor and box of each."""
    bottom = CY + OUTER
    line = TITLE_FONT_SIZE + 3
    spots: dict[str, tuple[float, float, str, Box]] = {}
    for index, relation in enumerate(SECTORS):
        lines = _title_lines(relation, counts.get(relation, 0))
        w = max(_text_width(s, TITLE_FONT_SIZE) for s in lines)
        upper = index in (0, 3)
        right = index in (0, 1)
        x = WIDTH - 6 if right else 6.0
        first = 16.0 if upper else bottom + 16
        x0, x1 = (x - w, x) if right else (x, x + w)
        box = Box(x0 - 2, first - TITLE_FONT_SIZE, x1 + 2, first + line * (len(lines) - 1) + 4)
        spots[relation] = (x, first, "end" if right else "start", box)
    return spots


def layout(ties: Sequence[TieLike], centre_label: str = "") -> list[Node]:
    """Place every tie and its label. Sectors in order; within a sector the nodes are spread
    evenly over its quarter; each label takes the first spot that overlaps nothing already on
    the map (nodes, the centre, titles, earlier labels), or else the spot that overlaps
    least."""
    placed: list[tuple[TieLike, float, float, float]] = []
    for index, relation in enumerate(SECTORS):
        in_sector = _sector_order([t for t in ties if t.relation == relation])
        n = len(in_sector)
        on_ring: dict[float, int] = {}
        for i, tie in enumerate(in_sector):
            angle = index * 90.0 + (i + 0.5) * 90.0 / n
            radius = RING_RADIUS.get(tie.strength, RING_RADIUS[1])
            k = on_ring[radius] = on_ring.get(radius, -1) + 1
            ring_count = sum(
                1 for t in in_sector if RING_RADIUS.get(t.strength, RING_RADIUS[1]) == radius
            )
            if radius * math.pi / 2 / ring_count < CROWDED_SPACING:
                radius += STAGGER[k % len(STAGGER)]
            x, y = _position(angle, radius)
            placed.append((tie, x, y, angle))

    bounds = Box(2, TOP - 4, WIDTH - 2, CY + OUTER + 2)
    obstacles: list[Box] = [
        Box(x - NODE_R - 1, y - NODE_R - 1, x + NODE_R + 1, y + NODE_R + 1)
        for _t, x, y, _a in placed
    ]
    counts = {r: sum(1 for t in ties if t.relation == r) for r in SECTORS}
    obstacles.append(_centre_box(_short(centre_label or _("Participant"))))
    obstacles.extend(spot[3] for spot in _title_boxes(counts).values())

    nodes: list[Node] = []
    for tie, x, y, angle in placed:
        shown = _short(tie.label)
        best: tuple[float, float, str, Box] | None = None
        best_score = math.inf
        own = Box(x - NODE_R - 1, y - NODE_R - 1, x + NODE_R + 1, y + NODE_R + 1)
        for spot in _label_spots(x, y, shown):
            box = spot[3]
            score = sum(box.overlap(o) for o in obstacles if o != own)
            score += 1000 * box.outside(bounds)
            if score < best_score:
                best, best_score = spot, score
            if score == 0:
                break
        assert best is not None
        obstacles.append(best[3])
        nodes.append(
            Node(
                tie=tie,
                x=x,
                y=y,
                angle=angle,
                text=shown,
                text_x=best[0],
                text_y=best[1],
                anchor=best[2],
                label_box=best[3],
            )
        )
    return nodes


# --- drawing ---------------------------------------------------------------------------------


def _n(value: float) -> str:
    formatted = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if formatted in ("-0", "") else formatted


def _node_shape(node: Node, colour: str) -> str:
    tie = node.tie
    attrs = f' fill="{colour}" stroke="#ffffff" stroke-width="1.5"'
    if tie.kind == TieKind.ORGANISATION:
        s = NODE_R * 0.9
        return (
            f'<rect class="ecogram-organisation" x="{_n(node.x - s)}" y="{_n(node.y - s)}" '
            f'width="{_n(2 * s)}" height="{_n(2 * s)}"{attrs}/>'
        )
    return (
        f'<circle class="ecogram-person" cx="{_n(node.x)}" cy="{_n(node.y)}" '
        f'r="{_n(NODE_R)}"{attrs}/>'
    )


def _sector_path(index: int) -> str:
    x1, y1 = _position(index * 90.0, OUTER)
    x2, y2 = _position((index + 1) * 90.0, OUTER)
    return (
        f"M{_n(CX)},{_n(CY)} L{_n(x1)},{_n(y1)} A{_n(OUTER)},{_n(OUTER)} 0 0 1 {_n(x2)},{_n(y2)} Z"
    )


def _legend(top: float) -> tuple[list[str], float]:
    """Shapes, line widths and the dashed line explained; returns the elements and the
    height used."""
    # Translated outside the f-strings below: makemessages does not look inside them.
    person, organisation, strained = _("person"), _("organisation"), _("strained")
    closer = _("Closer to the centre: a stronger tie.")
    out = [f'<g class="ecogram-legend" fill="{INK}" font-size="{_n(FONT_SIZE)}">']
    y = top + LEGEND_ROW / 2
    x = 8.0
    out.append(f'<circle cx="{_n(x + 6)}" cy="{_n(y)}" r="6" fill="{INK_SOFT}"/>')
    out.append(f'<text x="{_n(x + 16)}" y="{_n(y + 4)}">{text(person)}</text>')
    x += 30 + _text_width(person)
    out.append(f'<rect x="{_n(x)}" y="{_n(y - 5.5)}" width="11" height="11" fill="{INK_SOFT}"/>')
    out.append(f'<text x="{_n(x + 16)}" y="{_n(y + 4)}">{text(organisation)}</text>')
    x += 30 + _text_width(organisation)
    out.append(
        f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 24)}" y2="{_n(y)}" stroke="{INK_SOFT}" '
        f'stroke-width="2" stroke-dasharray="{STRAINED_DASH}"/>'
    )
    out.append(f'<text x="{_n(x + 30)}" y="{_n(y + 4)}">{text(strained)}</text>')

    y += LEGEND_ROW
    x = 8.0
    for strength in STRENGTHS:
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 24)}" y2="{_n(y)}" '
            f'stroke="{INK_SOFT}" stroke-width="{_n(LINE_WIDTH[strength])}"/>'
        )
        label = strength_label(strength)
        out.append(f'<text x="{_n(x + 30)}" y="{_n(y + 4)}">{text(label)}</text>')
        x += 44 + _text_width(label)
    y += LEGEND_ROW
    out.append(f'<text x="8" y="{_n(y + 4)}" fill="{INK_SOFT}">{text(closer)}</text>')
    out.append("</g>")
    return out, 3 * LEGEND_ROW + 6


def ecogram_svg(
    ties: Sequence[TieLike],
    *,
    title: str = "",
    chart_id: str = "ecogram",
    centre_label: str = "",
    empty_text: str = "",
) -> SafeString:
    """Draw the network map of ``ties`` (see the module docstring).

    ``chart_id`` must be unique on the page (it names the title and description elements);
    ``centre_label`` is what the centre says ("Participant" unless given); ``empty_text`` is
    the note on a map without ties.
    """
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} is not a valid XML id.")
    ties = list(ties)
    centre_label = _short(centre_label or _("Participant"))
    summary = summarise(ties)
    nodes = layout(ties, centre_label)
    legend_top = CY + OUTER + 2 * (TITLE_FONT_SIZE + 3) + 14
    legend, legend_height = _legend(legend_top)
    height = legend_top + legend_height
    title = title or _("Social network map")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(WIDTH)} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'class="ecogram" font-family="sans-serif" font-size="{_n(FONT_SIZE)}">',
        f'<title id="{title_id}">{text(title)}</title>',
        f'<desc id="{desc_id}">{text(summary.sentence())}</desc>',
    ]

    # The quarters, faintly tinted, the rings and the dividing lines.
    out.append('<g class="ecogram-sectors" stroke="none">')
    for index, relation in enumerate(SECTORS):
        out.append(
            f'<path class="ecogram-sector sector-{relation}" d="{_sector_path(index)}" '
            f'fill="{SECTOR_COLOURS[relation]}" fill-opacity="0.07"/>'
        )
    out.append("</g>")
    out.append(f'<g class="ecogram-grid" fill="none" stroke="{GRID}" stroke-width="1">')
    for strength in STRENGTHS:
        out.append(
            f'<circle class="ecogram-ring" cx="{_n(CX)}" cy="{_n(CY)}" '
            f'r="{_n(RING_RADIUS[strength])}" stroke-dasharray="2 3"/>'
        )
    out.append(f'<circle class="ecogram-outline" cx="{_n(CX)}" cy="{_n(CY)}" r="{_n(OUTER)}"/>')
    out.append(
        f'<line x1="{_n(CX)}" y1="{_n(CY - OUTER)}" x2="{_n(CX)}" y2="{_n(CY + OUTER)}"/>'
        f'<line x1="{_n(CX - OUTER)}" y1="{_n(CY)}" x2="{_n(CX + OUTER)}" y2="{_n(CY)}"/>'
    )
    out.append("</g>")

    # Lines to the centre, thicker for stronger ties, dashed when strained.
    out.append('<g class="ecogram-lines" fill="none" stroke-linecap="round">')
    for node in nodes:
        tie = node.tie
        dash = f' stroke-dasharray="{STRAINED_DASH}"' if tie.strained else ""
        css = "ecogram-line ecogram-strained" if tie.strained else "ecogram-line"
        out.append(
            f'<line class="{css}" x1="{_n(CX)}" y1="{_n(CY)}" x2="{_n(node.x)}" '
            f'y2="{_n(node.y)}" stroke="{SECTOR_COLOURS.get(tie.relation, INK_SOFT)}" '
            f'stroke-width="{_n(LINE_WIDTH.get(tie.strength, LINE_WIDTH[1]))}"{dash}/>'
        )
    out.append("</g>")

    # The participant in the centre.
    box = _centre_box(centre_label)
    out.append(
        f'<g class="ecogram-centre"><rect x="{_n(box.x0)}" y="{_n(box.y0)}" '
        f'width="{_n(box.x1 - box.x0)}" height="{_n(box.y1 - box.y0)}" rx="12" '
        f'fill="{INK}"/><text x="{_n(CX)}" y="{_n(CY + 4)}" text-anchor="middle" '
        f'fill="#ffffff" font-size="{_n(TITLE_FONT_SIZE)}" font-weight="bold">'
        f"{text(centre_label)}</text></g>"
    )

    # The nodes, each with its full label as a tooltip, and the labels on a light backing.
    out.append('<g class="ecogram-nodes">')
    for node in nodes:
        tie = node.tie
        details = ", ".join(
            [
                relation_label(tie.relation),
                strength_label(tie.strength),
                *([_("strained")] if tie.strained else []),
            ]
        )
        out.append(
            f'<g class="ecogram-node" data-relation="{text(tie.relation)}" '
            f'data-strength="{text(tie.strength)}">'
            f"<title>{text(tie.label)} ({text(details)})</title>"
            f"{_node_shape(node, SECTOR_COLOURS.get(tie.relation, INK_SOFT))}</g>"
        )
    out.append("</g>")
    out.append(f'<g class="ecogram-labels" fill="{INK}">')
    for node in nodes:
        b = node.label_box
        out.append(
            f'<rect x="{_n(b.x0)}" y="{_n(b.y0)}" width="{_n(b.x1 - b.x0)}" '
            f'height="{_n(b.y1 - b.y0)}" rx="2" fill="#ffffff" fill-opacity="0.85"/>'
            f'<text class="ecogram-label" x="{_n(node.text_x)}" y="{_n(node.text_y)}" '
            f'text-anchor="{node.anchor}">{text(node.text)}</text>'
        )
    out.append("</g>")

    if not nodes:
        note = empty_text or _("No ties drawn yet.")
        out.append(
            f'<text class="ecogram-empty" x="{_n(CX)}" y="{_n(CY + 40)}" text-anchor="middle" '
            f'fill="{INK_SOFT}">{text(note)}</text>'
        )

    # The sector titles in the corners, with the number of ties in each.
    out.append(
        f'<g class="ecogram-titles" fill="{INK}" font-size="{_n(TITLE_FONT_SIZE)}" '
        'font-weight="bold">'
    )
    for relation, (x, first, anchor, _box) in _title_boxes(summary.by_relation).items():
        lines = _title_lines(relation, summary.by_relation[relation])
        tspans = "".join(
            f'<tspan x="{_n(x)}" y="{_n(first + k * (TITLE_FONT_SIZE + 3))}">{text(s)}</tspan>'
            for k, s in enumerate(lines)
        )
        out.append(
            f'<text class="ecogram-title sector-{relation}" text-anchor="{anchor}">{tspans}</text>'
        )
    out.append("</g>")

    out.extend(legend)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through text()
