"""Where each tie of a social network map (ecogram) goes, and its label.

The participant sits in the centre; the circle is cut into four quarters, one per ``Relation``
(``summary.SECTORS``). Each tie is a node in its quarter; the stronger the tie, the closer to
the centre (three rings). Nodes of a quarter are spread evenly over its angle, and each label
takes the first free spot beside its node, so up to forty ties stay legible. Everything is
deterministic: the same ties give the same layout. The drawing itself is ``ecogram``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .summary import SECTORS, STRENGTHS, TieLike, relation_label

# Geometry, in viewBox units.
WIDTH = 400.0
CX = 200.0
CY = 214.0
OUTER = 172.0
RING_RADIUS: dict[int, float] = {3: 78.0, 2: 120.0, 1: 156.0}
# On a crowded ring, neighbours take turns on it, this far outside and this far inside it.
STAGGER = (0.0, 11.0, -11.0)
CROWDED_SPACING = 36.0
NODE_R = 7.0
FONT_SIZE = 12.5
TITLE_FONT_SIZE = 13.0
CHAR_WIDTH = 0.58  # average width of a character, in em (a little generous: no overlaps)
LABEL_CHARS = 13  # longer labels are cut short in the drawing (the table has them in full)
TITLE_CHARS = 18
LABEL_GAP = 4.0
TOP = 40.0  # room above the circle for the two upper sector titles


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


def short_label(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def text_width(value: str, size: float = FONT_SIZE) -> float:
    return len(value) * size * CHAR_WIDTH


def position(angle: float, radius: float) -> tuple[float, float]:
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
    w = text_width(text_value)
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


def centre_box(centre_label: str) -> Box:
    w = text_width(centre_label, TITLE_FONT_SIZE) + 16
    return Box(CX - w / 2, CY - 12, CX + w / 2, CY + 12)


def title_lines(relation: str, count: int) -> list[str]:
    return textwrap.wrap(f"{relation_label(relation)} ({count})", TITLE_CHARS) or [""]


def title_boxes(counts: dict[str, int]) -> dict[str, tuple[float, float, str, Box]]:
    """Each sector's title in its corner: above the circle for the upper quarters, below it
    for the lower ones; returns the x, first baseline, anchor and box of each."""
    bottom = CY + OUTER
    line = TITLE_FONT_SIZE + 3
    spots: dict[str, tuple[float, float, str, Box]] = {}
    for index, relation in enumerate(SECTORS):
        lines = title_lines(relation, counts.get(relation, 0))
        w = max(text_width(s, TITLE_FONT_SIZE) for s in lines)
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
            x, y = position(angle, radius)
            placed.append((tie, x, y, angle))

    bounds = Box(2, TOP - 4, WIDTH - 2, CY + OUTER + 2)
    obstacles: list[Box] = [
        Box(x - NODE_R - 1, y - NODE_R - 1, x + NODE_R + 1, y + NODE_R + 1)
        for _t, x, y, _a in placed
    ]
    counts = {r: sum(1 for t in ties if t.relation == r) for r in SECTORS}
    obstacles.append(centre_box(short_label(centre_label or _("Participant"))))
    obstacles.extend(spot[3] for spot in title_boxes(counts).values())

    nodes: list[Node] = []
    for tie, x, y, angle in placed:
        shown = short_label(tie.label)
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
