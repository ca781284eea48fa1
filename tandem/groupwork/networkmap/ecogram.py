"""The social network map (ecogram) as server-side SVG.

The participant sits in the centre; the circle is cut into four quarters, one per
``Relation`` (clockwise from the top right: family, friends and neighbours, work, school and
leisure, professional help and services). Each tie is a node in its quarter: a circle for a
person, a square for an organisation. The stronger the tie, the closer to the centre (three
rings) and the thicker the line to the centre; a strained tie is drawn dashed. Where the nodes
and labels go is ``layout``; the counts the description gives and the comparison of a start
map with an end map are ``summary``. Everything is deterministic: the same ties give the
same drawing.

The drawing follows ``tandem.common.svg``: no inline style or script (the CSP forbids them),
presentation attributes only, every text escaped, one ``role="img"`` with a ``<title>`` and a
``<desc>`` that says in words what the map holds; the page shows a table of the ties as well.
The viewBox is about 400 units wide and the SVG scales to its container (``width="100%"``), so
the labels stay readable on a 390-pixel phone screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tandem.common.svg import COLOURS, GRID, INK, INK_SOFT, text

from ..models import TieKind
from .layout import (
    CX,
    CY,
    FONT_SIZE,
    NODE_R,
    OUTER,
    RING_RADIUS,
    TITLE_FONT_SIZE,
    WIDTH,
    Node,
    centre_box,
    layout,
    position,
    short_label,
    text_width,
    title_boxes,
    title_lines,
)
from .summary import SECTORS, STRENGTHS, TieLike, relation_label, strength_label, summarise

SECTOR_COLOURS: dict[str, str] = dict(zip(SECTORS, COLOURS, strict=True))
LINE_WIDTH: dict[int, float] = {3: 4.5, 2: 2.75, 1: 1.25}
STRAINED_DASH = "6 4"
LEGEND_ROW = 18.0

_CHART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


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
    x1, y1 = position(index * 90.0, OUTER)
    x2, y2 = position((index + 1) * 90.0, OUTER)
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
    x += 30 + text_width(person)
    out.append(f'<rect x="{_n(x)}" y="{_n(y - 5.5)}" width="11" height="11" fill="{INK_SOFT}"/>')
    out.append(f'<text x="{_n(x + 16)}" y="{_n(y + 4)}">{text(organisation)}</text>')
    x += 30 + text_width(organisation)
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
        x += 44 + text_width(label)
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
    centre_label = short_label(centre_label or _("Participant"))
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
    box = centre_box(centre_label)
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
    for relation, (x, first, anchor, _box) in title_boxes(summary.by_relation).items():
        lines = title_lines(relation, summary.by_relation[relation])
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
