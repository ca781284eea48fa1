"""Charts as SVG text, drawn on the server.

Server-side SVG works in pages, in PDFs (WeasyPrint) and under a strict Content Security
Policy: no script, no inline ``style`` attribute, no ``<style>`` element. Colours and line
styles are SVG presentation attributes, so a chart looks right on its own; the stylesheet may
override them through the CSS classes. Series are told apart by dash pattern and marker shape
as well as by colour, so the chart does not rely on colour alone.

Every text is escaped. The chart is one ``role="img"`` with a ``<title>`` and a ``<desc>`` that
gives the data in words; pages put a data table next to it as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

# Default looks, by the series' position: solid, dashed, dotted, dash-dot.
DASH_PATTERNS: tuple[str, ...] = ("", "9 5", "2 4", "12 4 2 4")
MARKERS: tuple[str, ...] = ("circle", "square", "triangle", "diamond")
COLOURS: tuple[str, ...] = ("#0f5f63", "#8a4a00", "#4a5a66", "#6b2d7b")
INK = "#1d2a33"
INK_SOFT = "#4a5a66"
GRID = "#b9b3a8"
_MARKER_ATTRS = ' class="radar-marker" stroke-width="1"'
_LINE_MARKER_ATTRS = ' class="line-marker" stroke-width="1"'
_BAR_MARKER_ATTRS = ' class="bar-marker" stroke="#ffffff" stroke-width="1"'

FONT_SIZE = 13
LINE_HEIGHT = 15
LABEL_CHARS = 20  # wrap axis labels at about this many characters per line
LABEL_LINES = 2
CHAR_WIDTH = 0.56  # average width of a character, in em, of a sans-serif font


@dataclass(frozen=True)
class Series:
    """One line of a chart: a label for the legend, one value per axis (``None``: no value).

    ``dash`` (an SVG ``stroke-dasharray``, ``""`` for solid), ``marker`` (circle, square,
    triangle or diamond) and ``colour`` are chosen from the series' position when not given.
    """

    label: str
    values: Sequence[float | None]
    css_class: str = ""
    dash: str | None = None
    marker: str | None = None
    colour: str | None = None


def text(value: object) -> str:
    """Escape ``value`` for XML text and attribute values, dropping characters XML refuses."""
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no needless zeros."""
    formatted = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if formatted in ("-0", "") else formatted


def _is_value(value: float | None) -> bool:
    """A number to draw: not ``None`` and not NaN."""
    return value is not None and not math.isnan(value)


def _format_value(value: float | None, none_text: str) -> str:
    if value is None or not _is_value(value):
        return none_text
    return _num(float(value))


def _wrap(label: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """Break a label at spaces into at most ``lines`` lines of about ``width`` characters."""
    words = label.split()
    result: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
    return result or [""]


def _marker(shape: str, x: float, y: float, attrs: str) -> str:
    r = 3.6
    if shape == "square":
        return (
            f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(2 * r)}" '
            f'height="{_num(2 * r)}"{attrs}/>'
        )
    if shape == "triangle":
        h = r * 1.2
        points = f"{_num(x)},{_num(y - h)} {_num(x + h)},{_num(y + h)} {_num(x - h)},{_num(y + h)}"
        return f'<polygon points="{points}"{attrs}/>'
    if shape == "diamond":
        d = r * 1.3
        points = (
            f"{_num(x)},{_num(y - d)} {_num(x + d)},{_num(y)} "
            f"{_num(x)},{_num(y + d)} {_num(x - d)},{_num(y)}"
        )
        return f'<polygon points="{points}"{attrs}/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"{attrs}/>'


def _look(index: int, series: Series) -> tuple[str, str, str]:
    """The colour, dash attribute and marker shape of the series at ``index``."""
    colour = series.colour or COLOURS[index % len(COLOURS)]
    dash = series.dash if series.dash is not None else DASH_PATTERNS[index % len(DASH_PATTERNS)]
    shape = series.marker or MARKERS[index % len(MARKERS)]
    return text(colour), (f' stroke-dasharray="{text(dash)}"' if dash else ""), shape


def _class(*names: str) -> str:
    joined = " ".join(n for n in names if n)
    return f' class="{text(joined)}"' if joined else ""


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    max_value: float,
    min_value: float = 0,
    size: int = 560,
    *,
    title: str = "",
    description: str = "",
    rings: Sequence[float] | None = None,
    chart_id: str = "radar",
    css_class: str = "radar-chart",
    none_text: str = "–",
    show_legend: bool = True,
) -> SafeString:
    """Draw a radar (spider) chart: one axis per label, clockwise from the top.

    ``min_value`` lies at the centre and ``max_value`` on the outer ring; a concentric ring is
    drawn at each value of ``rings`` (by default every whole step). Each series is a polygon
    through its values; a ``None`` (or NaN) value is left out of the polygon (it joins the
    neighbouring known values), and every known value has a marker, so a missing value never
    looks like a low one. The ``<desc>`` lists every value, ``none_text`` standing for a
    missing one.

    ``size`` sets the scale: the outer ring's diameter is half of it. The drawing is wider,
    leaving room beside the ring for axis labels of about ``LABEL_CHARS`` characters a line.
    ``chart_id`` must be unique on the page: it names the title and description elements.
    """
    if len(axes) < 3:
        raise ValueError("A radar chart needs at least three axes.")
    if max_value <= min_value:
        raise ValueError("max_value must be greater than min_value.")
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} is not a valid XML id.")
    for s in series:
        if len(s.values) != len(axes):
            raise ValueError(f"Series {s.label!r} has {len(s.values)} values for {len(axes)} axes.")
    if rings is None:
        span = max_value - min_value
        step = 1.0 if span <= 10 else span / 5
        rings = [min_value + step * i for i in range(1, round(span / step) + 1)]
    rings = sorted(r for r in rings if min_value < r <= max_value)

    n = len(axes)
    radius = size / 4
    label_gap = 10.0
    # Room beside the outer ring for a label line of LABEL_CHARS characters.
    label_room = LABEL_CHARS * FONT_SIZE * CHAR_WIDTH
    width = 2 * (radius + label_gap + label_room)
    top = radius + label_gap + LABEL_LINES * LINE_HEIGHT + 6
    cx, cy = width / 2, top
    chart_height = 2 * top
    legend_row = 20
    legend_height = (len(series) * legend_row + 10) if (series and show_legend) else 0
    height = chart_height + legend_height

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        clamped = min(max(value, min_value), max_value)
        r = radius * (clamped - min_value) / (max_value - min_value)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc_parts = [description] if description else []
    for s in series:
        values = ", ".join(
            f"{axis}: {_format_value(v, none_text)}" for axis, v in zip(axes, s.values, strict=True)
        )
        desc_parts.append(f"{s.label}. {values}.")
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{title_id if title else desc_id}" aria-describedby="{desc_id}"'
        f"{_class(css_class)} "
        f'font-size="{FONT_SIZE}" font-family="sans-serif">',
    ]
    if title:
        out.append(f'<title id="{title_id}">{text(title)}</title>')
    out.append(f'<desc id="{desc_id}">{text(" ".join(desc_parts))}</desc>')

    # Grid: rings, then spokes, then the ring values along the first (top) spoke.
    out.append(f'<g class="radar-grid" fill="none" stroke="{GRID}" stroke-width="1">')
    for ring in rings:
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in (point(i, ring) for i in range(n)))
        out.append(f'<polygon class="radar-ring" points="{points}"/>')
    for i in range(n):
        x, y = point(i, max_value)
        out.append(
            f'<line class="radar-spoke" x1="{_num(cx)}" y1="{_num(cy)}" '
            f'x2="{_num(x)}" y2="{_num(y)}"/>'
        )
    out.append("</g>")
    out.append(f'<g class="radar-ring-labels" fill="{INK_SOFT}" font-size="11">')
    for ring in rings:
        x, y = point(0, ring)
        out.append(f'<text x="{_num(x + 4)}" y="{_num(y + 4)}">{text(_num(ring))}</text>')
    out.append("</g>")

    # Axis labels outside the outer ring, anchored away from the centre.
    out.append(f'<g class="radar-axis-labels" fill="{INK}">')
    for i, axis in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        dx, dy = math.cos(angle), math.sin(angle)
        lx, ly = cx + (radius + label_gap) * dx, cy + (radius + label_gap) * dy
        anchor = "middle" if abs(dx) < 0.2 else ("start" if dx > 0 else "end")
        lines = _wrap(axis)
        # The label block moves away from the centre with the spoke: above the top spoke,
        # centred beside the side ones, below the bottom one.
        block = len(lines) * LINE_HEIGHT
        block_top = ly + dy * block / 2 - block / 2
        first_y = block_top + FONT_SIZE * 0.8
        tspans = "".join(
            f'<tspan x="{_num(lx)}" y="{_num(first_y + k * LINE_HEIGHT)}">{text(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(f'<text text-anchor="{anchor}">{tspans}</text>')
    out.append("</g>")

    # One polygon per series, with a marker on each known value.
    for index, s in enumerate(series):
        colour, dash_attr, shape = _look(index, s)
        known = [
            point(i, float(v)) for i, v in enumerate(s.values) if v is not None and _is_value(v)
        ]
        out.append(f'<g{_class("radar-series", s.css_class)} stroke="{colour}" fill="{colour}">')
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in known)
        if len(known) >= 3:
            out.append(
                f'<polygon class="radar-area" points="{points}" fill-opacity="0.08" '
                f'stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>'
            )
        elif len(known) == 2:
            out.append(
                f'<polyline class="radar-area" points="{points}" fill="none" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for x, y in known:
            out.append(_marker(shape, x, y, _MARKER_ATTRS))
        out.append("</g>")

    if legend_height:
        out.append(f'<g class="radar-legend" fill="{INK}">')
        for index, s in enumerate(series):
            colour, dash_attr, shape = _look(index, s)
            y = chart_height + 4 + index * legend_row + legend_row / 2
            x0 = 16.0
            out.append(
                f'<g{_class("radar-legend-item", s.css_class)} stroke="{colour}" fill="{colour}">'
                f'<line x1="{_num(x0)}" y1="{_num(y)}" x2="{_num(x0 + 36)}" y2="{_num(y)}" '
                f'stroke-width="2.5"{dash_attr}/>'
                f"{_marker(shape, x0 + 18, y, _MARKER_ATTRS)}"
                "</g>"
                f'<text x="{_num(x0 + 46)}" y="{_num(y + 4)}">{text(s.label)}</text>'
            )
        out.append("</g>")

    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through text()


@dataclass(frozen=True)
class TargetLine:
    """A horizontal line at ``value`` across a line chart (a target to reach), with its label."""

    label: str
    value: float
    css_class: str = ""
    dash: str = "6 3"
    colour: str = "#a3261b"


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts ``span`` into about ``ticks``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1.0, factor * power)
    return max(1.0, 10 * power)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    targets: Sequence[TargetLine] = (),
    title: str = "",
    description: str = "",
    chart_id: str = "line",
    css_class: str = "line-chart",
    none_text: str = "–",
    width: int = 640,
    plot_height: int = 240,
    show_legend: bool = True,
) -> SafeString:
    """Draw a line chart: one point per x label (quarters, say) for each series, counts upwards.

    The y axis starts at 0 and reaches past the highest value and every target; a horizontal
    line is drawn at each target's value, labelled. Each series is a polyline with a marker on
    every known value; a ``None`` (or NaN) value breaks the line, so a missing value never looks
    like zero. With many x labels only every n-th is written under the axis (all are in the
    ``<desc>``). ``chart_id`` must be unique on the page.
    """
    if not x_labels:
        raise ValueError("A line chart needs at least one x label.")
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} is not a valid XML id.")
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(
                f"Series {s.label!r} has {len(s.values)} values for {len(x_labels)} x labels."
            )
    known_values = [float(v) for s in series for v in s.values if v is not None and _is_value(v)]
    top_value = max([*known_values, *(t.value for t in targets), 1.0])
    step = _nice_step(top_value)
    max_value = step * math.ceil(top_value / step)
    if max_value <= top_value and targets:
        max_value += step  # room above a target line for its label
    ticks = [step * i for i in range(round(max_value / step) + 1)]

    left, right, top = 56.0, 16.0, 16.0
    axis_label_room = 40.0
    plot_width = width - left - right
    bottom = top + plot_height
    n = len(x_labels)
    legend_row = 20
    legend_items = len(series) + len(targets)
    legend_height = (legend_items * legend_row + 10) if (legend_items and show_legend) else 0
    height = bottom + axis_label_room + legend_height

    def x_of(index: int) -> float:
        return left + (plot_width * (index + 0.5) / n)

    def y_of(value: float) -> float:
        return bottom - plot_height * min(max(value, 0.0), max_value) / max_value

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc_parts = [description] if description else []
    for s in series:
        values = ", ".join(
            f"{label}: {_format_value(v, none_text)}"
            for label, v in zip(x_labels, s.values, strict=True)
        )
        desc_parts.append(f"{s.label}. {values}.")
    for t in targets:
        desc_parts.append(f"{t.label}: {_num(t.value)}.")
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{title_id if title else desc_id}" aria-describedby="{desc_id}"'
        f"{_class(css_class)} "
        f'font-size="{FONT_SIZE}" font-family="sans-serif">',
    ]
    if title:
        out.append(f'<title id="{title_id}">{text(title)}</title>')
    out.append(f'<desc id="{desc_id}">{text(" ".join(desc_parts))}</desc>')

    # Grid lines and y values.
    out.append(f'<g class="line-grid" stroke="{GRID}" stroke-width="1">')
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(width - right)}" y2="{_num(y)}"/>'
        )
    out.append("</g>")
    out.append(f'<g class="line-y-labels" fill="{INK_SOFT}" font-size="11" text-anchor="end">')
    for tick in ticks:
        out.append(
            f'<text x="{_num(left - 6)}" y="{_num(y_of(tick) + 4)}">{text(_num(tick))}</text>'
        )
    out.append("</g>")
    # X labels: at most about one per 56 pixels.
    every = max(1, math.ceil(n / max(1, plot_width // 56)))
    out.append(f'<g class="line-x-labels" fill="{INK}" font-size="11" text-anchor="middle">')
    for index, label in enumerate(x_labels):
        if index % every == 0:
            out.append(
                f'<text x="{_num(x_of(index))}" y="{_num(bottom + 18)}">{text(label)}</text>'
            )
    out.append("</g>")
    out.append(
        f'<line class="line-axis" x1="{_num(left)}" y1="{_num(bottom)}" '
        f'x2="{_num(width - right)}" y2="{_num(bottom)}" stroke="{INK}" stroke-width="1"/>'
    )

    # Target lines, labelled at their right end.
    for t in targets:
        y = y_of(t.value)
        colour = text(t.colour)
        dash_attr = f' stroke-dasharray="{text(t.dash)}"' if t.dash else ""
        out.append(
            f'<g{_class("line-target", t.css_class)} stroke="{colour}" fill="{colour}">'
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(width - right)}" y2="{_num(y)}" '
            f'stroke-width="2"{dash_attr}/>'
            f'<text x="{_num(width - right - 4)}" y="{_num(y - 5)}" text-anchor="end" '
            f'stroke="none">{text(t.label)}: {text(_num(t.value))}</text>'
            "</g>"
        )

    # One polyline per run of known values, with a marker on each.
    for index, s in enumerate(series):
        colour, dash_attr, shape = _look(index, s)
        out.append(f'<g{_class("line-series", s.css_class)} stroke="{colour}" fill="{colour}">')
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is not None and _is_value(v):
                runs[-1].append((x_of(i), y_of(float(v))))
            elif runs[-1]:
                runs.append([])
        for run in runs:
            if len(run) >= 2:
                points = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
                out.append(
                    f'<polyline class="line-path" points="{points}" fill="none" '
                    f'stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>'
                )
            for x, y in run:
                out.append(_marker(shape, x, y, _LINE_MARKER_ATTRS))
        out.append("</g>")

    if legend_height:
        out.append(f'<g class="line-legend" fill="{INK}">')
        x0 = 16.0
        for index, s in enumerate(series):
            colour, dash_attr, shape = _look(index, s)
            y = bottom + axis_label_room + index * legend_row + legend_row / 2
            out.append(
                f'<g{_class("line-legend-item", s.css_class)} stroke="{colour}" fill="{colour}">'
                f'<line x1="{_num(x0)}" y1="{_num(y)}" x2="{_num(x0 + 36)}" y2="{_num(y)}" '
                f'stroke-width="2.5"{dash_attr}/>'
                f"{_marker(shape, x0 + 18, y, _LINE_MARKER_ATTRS)}"
                "</g>"
                f'<text x="{_num(x0 + 46)}" y="{_num(y + 4)}">{text(s.label)}</text>'
            )
        for k, t in enumerate(targets):
            y = bottom + axis_label_room + (len(series) + k) * legend_row + legend_row / 2
            dash_attr = f' stroke-dasharray="{text(t.dash)}"' if t.dash else ""
            out.append(
                f"<g{_class('line-legend-item', 'line-target', t.css_class)} "
                f'stroke="{text(t.colour)}">'
                f'<line x1="{_num(x0)}" y1="{_num(y)}" x2="{_num(x0 + 36)}" y2="{_num(y)}" '
                f'stroke-width="2"{dash_attr}/></g>'
                f'<text x="{_num(x0 + 46)}" y="{_num(y + 4)}">{text(t.label)}</text>'
            )
        out.append("</g>")

    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through text()


def bar_chart(
    groups: Sequence[str],
    series: Sequence[Series],
    *,
    max_value: float | None = None,
    intervals: Sequence[Sequence[tuple[float, float] | None]] | None = None,
    unit: str = "",
    title: str = "",
    description: str = "",
    chart_id: str = "bars",
    css_class: str = "bar-chart",
    none_text: str = "–",
    width: int = 640,
    plot_height: int = 220,
    show_legend: bool = True,
) -> SafeString:
    """Draw a grouped bar chart: for each group (an x label) one bar per series, upwards from 0.

    A ``None`` (or NaN) value draws no bar: the gap is marked with ``none_text`` on the axis, so
    a missing value never looks like zero. ``intervals`` (one sequence per series, parallel to
    ``groups``) adds a whisker from low to high on each bar, such as a 95 % confidence interval.
    Each bar carries its value and a marker whose shape tells the series apart (as does the
    legend), so the chart does not rely on colour alone. ``unit`` follows every value (" %").
    ``chart_id`` must be unique on the page.
    """
    if not groups:
        raise ValueError("A bar chart needs at least one group.")
    if not series:
        raise ValueError("A bar chart needs at least one series.")
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} is not a valid XML id.")
    for s in series:
        if len(s.values) != len(groups):
            raise ValueError(
                f"Series {s.label!r} has {len(s.values)} values for {len(groups)} groups."
            )
    if intervals is not None and (
        len(intervals) != len(series) or any(len(i) != len(groups) for i in intervals)
    ):
        raise ValueError("intervals must hold one value per series and group.")
    known = [float(v) for s in series for v in s.values if v is not None and _is_value(v)]
    if intervals is not None:
        known += [high for per in intervals for item in per if item is not None for high in item]
    if max_value is None:
        top_value = max([*known, 1.0])
        step = _nice_step(top_value)
        max_value = step * math.ceil(top_value / step)
    else:
        step = _nice_step(max_value)
    if max_value <= 0:
        raise ValueError("max_value must be greater than 0.")
    ticks = [step * i for i in range(round(max_value / step) + 1) if step * i <= max_value]

    left, right, top = 56.0, 16.0, 24.0
    axis_label_room = 44.0
    plot_width = width - left - right
    bottom = top + plot_height
    legend_row = 20
    legend_height = (len(series) * legend_row + 10) if show_legend else 0
    height = bottom + axis_label_room + legend_height
    group_width = plot_width / len(groups)
    bar_width = min(56.0, group_width * 0.8 / len(series))

    def y_of(value: float) -> float:
        return bottom - plot_height * min(max(value, 0.0), max_value) / max_value

    def x_of(group: int, index: int) -> float:
        """The left edge of the bar of series ``index`` in ``group``."""
        start = left + group_width * group + (group_width - bar_width * len(series)) / 2
        return start + bar_width * index

    def shown(value: float | None) -> str:
        return f"{_format_value(value, none_text)}{unit}" if _is_value(value) else none_text

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc_parts = [description] if description else []
    for k, s in enumerate(series):
        parts = []
        for g, (label, v) in enumerate(zip(groups, s.values, strict=True)):
            item = f"{label}: {shown(v)}"
            interval = intervals[k][g] if intervals is not None else None
            if interval is not None and _is_value(v):
                item += f" ({_num(interval[0])}–{_num(interval[1])}{unit})"
            parts.append(item)
        desc_parts.append(f"{s.label}. {', '.join(parts)}.")
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{title_id if title else desc_id}" aria-describedby="{desc_id}"'
        f"{_class(css_class)} "
        f'font-size="{FONT_SIZE}" font-family="sans-serif">',
    ]
    if title:
        out.append(f'<title id="{title_id}">{text(title)}</title>')
    out.append(f'<desc id="{desc_id}">{text(" ".join(desc_parts))}</desc>')

    out.append(f'<g class="bar-grid" stroke="{GRID}" stroke-width="1">')
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(width - right)}" y2="{_num(y)}"/>'
        )
    out.append("</g>")
    out.append(f'<g class="bar-y-labels" fill="{INK_SOFT}" font-size="11" text-anchor="end">')
    for tick in ticks:
        out.append(
            f'<text x="{_num(left - 6)}" y="{_num(y_of(tick) + 4)}">'
            f"{text(_num(tick))}{text(unit)}</text>"
        )
    out.append("</g>")
    out.append(f'<g class="bar-x-labels" fill="{INK}" font-size="11" text-anchor="middle">')
    for g, label in enumerate(groups):
        cx = left + group_width * (g + 0.5)
        lines = _wrap(label, width=max(8, int(group_width / (11 * CHAR_WIDTH))))
        tspans = "".join(
            f'<tspan x="{_num(cx)}" y="{_num(bottom + 16 + k * 13)}">{text(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(f"<text>{tspans}</text>")
    out.append("</g>")

    for k, s in enumerate(series):
        colour, _dash, shape = _look(k, s)
        out.append(f'<g{_class("bar-series", s.css_class)} fill="{colour}" stroke="{colour}">')
        for g, v in enumerate(s.values):
            x = x_of(g, k)
            middle = x + bar_width / 2
            if v is None or not _is_value(v):
                # A gap, said in words: no bar, the none text upright from the axis.
                out.append(
                    f'<text class="bar-gap" x="{_num(middle + 4)}" y="{_num(bottom - 4)}" '
                    f'transform="rotate(-90 {_num(middle + 4)} {_num(bottom - 4)})" '
                    f'font-size="11" fill="{INK}" stroke="none">{text(none_text)}</text>'
                )
                continue
            y = y_of(float(v))
            out.append(
                f'<rect class="bar" x="{_num(x + 1)}" y="{_num(y)}" '
                f'width="{_num(bar_width - 2)}" height="{_num(bottom - y)}" '
                f'fill-opacity="0.85" stroke-width="1"/>'
            )
            label_y = y - 6
            interval = intervals[k][g] if intervals is not None else None
            if interval is not None:
                low, high = y_of(interval[0]), y_of(interval[1])
                out.append(
                    f'<path class="bar-interval" d="M{_num(middle)},{_num(low)}V{_num(high)}'
                    f"M{_num(middle - 4)},{_num(low)}H{_num(middle + 4)}"
                    f'M{_num(middle - 4)},{_num(high)}H{_num(middle + 4)}" '
                    f'stroke="{INK}" stroke-width="1.5" fill="none"/>'
                )
                label_y = min(label_y, high - 6)
            out.append(_marker(shape, middle, y, _BAR_MARKER_ATTRS))
            out.append(
                f'<text class="bar-value" x="{_num(middle)}" y="{_num(max(label_y, 11))}" '
                f'text-anchor="middle" font-size="11" fill="{INK}" stroke="none">'
                f"{text(shown(v))}</text>"
            )
        out.append("</g>")
    out.append(
        f'<line class="bar-axis" x1="{_num(left)}" y1="{_num(bottom)}" '
        f'x2="{_num(width - right)}" y2="{_num(bottom)}" stroke="{INK}" stroke-width="1"/>'
    )

    if legend_height:
        out.append(f'<g class="bar-legend" fill="{INK}">')
        x0 = 16.0
        for k, s in enumerate(series):
            colour, _dash, shape = _look(k, s)
            y = bottom + axis_label_room + k * legend_row + legend_row / 2
            out.append(
                f'<g{_class("bar-legend-item", s.css_class)} fill="{colour}" stroke="{colour}">'
                f'<rect x="{_num(x0)}" y="{_num(y - 6)}" width="28" height="12" '
                f'fill-opacity="0.85"/>'
                f"{_marker(shape, x0 + 14, y, _BAR_MARKER_ATTRS)}"
                "</g>"
                f'<text x="{_num(x0 + 38)}" y="{_num(y + 4)}">{text(s.label)}</text>'
            )
        out.append("</g>")

    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through text()


RADAR_MIN_AXES = 3


def profile_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    max_value: float,
    min_value: float = 0,
    size: int = 560,
    *,
    title: str = "",
    description: str = "",
    rings: Sequence[float] | None = None,
    chart_id: str = "profile",
    none_text: str = "–",
    show_legend: bool = True,
) -> SafeString:
    """Draw values per axis on one scale with the chart that suits the number of axes.

    A radar needs at least three axes to enclose anything, but what a person's readings may
    show depends on consent and role, so the number of axes is not ours to choose: three or
    more give a radar chart (``radar_chart``), one or two a bar chart (one group per axis, one
    bar per series, up to ``max_value``), and none gives an empty string — the page says in
    words why there is nothing to draw. ``description`` and ``title`` are used by both.
    """
    if len(axes) >= RADAR_MIN_AXES:
        return radar_chart(
            axes,
            series,
            max_value,
            min_value,
            size,
            title=title,
            description=description,
            rings=rings,
            chart_id=chart_id,
            none_text=none_text,
            show_legend=show_legend,
        )
    if not axes or not series:
        return mark_safe("")
    return bar_chart(
        axes,
        series,
        max_value=max_value,
        title=title,
        description=description,
        chart_id=chart_id,
        css_class="bar-chart profile-chart",
        none_text=none_text,
        width=max(size, 320),
        show_legend=show_legend,
    )
