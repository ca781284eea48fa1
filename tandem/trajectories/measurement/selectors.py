"""Reads of measurement: the scales, a trajectory's assessments as the user may see them, and
the summaries the pages show. The rules (progress, which assessments the chart compares) are
plain functions over plain data at the top of the file.

Readings on special-category domains (mental and physical health, substance use, justice) and
the free-text notes of an assessment are shown only to the duo, like special-category contact
notes (DOMAIN.md §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Prefetch

from tandem.access.scope import domains_visible_to, is_duo
from tandem.accounts.models import User
from tandem.common.models import LifeDomain

from ..models import Assessment, Reading, Scale, ScaleLevel, Trajectory

T = TypeVar("T")

# --- rules: pure functions over plain data --------------------------------------------------


@dataclass(frozen=True)
class DomainProgress:
    """The readings of one life domain over time: the first, the one before the latest, the
    latest, and how many there are."""

    first: int | None = None
    previous: int | None = None
    latest: int | None = None
    count: int = 0

    @property
    def progress(self) -> int | None:
        """Latest reading minus the first one; ``None`` with fewer than two readings."""
        if self.count < 2 or self.first is None or self.latest is None:
            return None
        return self.latest - self.first


def progress_by_domain(
    history: Sequence[Mapping[str, int]], domains: Iterable[str]
) -> dict[str, DomainProgress]:
    """Summarise each domain over ``history``, the readings of successive assessments in
    chronological order (domain → level; a domain left out was not assessed that time)."""
    result: dict[str, DomainProgress] = {}
    for domain in domains:
        levels = [reading[domain] for reading in history if domain in reading]
        result[domain] = DomainProgress(
            first=levels[0] if levels else None,
            previous=levels[-2] if len(levels) >= 2 else None,
            latest=levels[-1] if levels else None,
            count=len(levels),
        )
    return result


FIRST, PREVIOUS, LATEST = "first", "previous", "latest"


def chart_points(items: Sequence[T]) -> list[tuple[str, T]]:
    """The items a chart compares, oldest first: the first, the previous and the latest.

    One item is only the latest; two are the first and the latest; three or more add the one
    before the latest.
    """
    if not items:
        return []
    if len(items) == 1:
        return [(LATEST, items[0])]
    points = [(FIRST, items[0])]
    if len(items) >= 3:
        points.append((PREVIOUS, items[-2]))
    points.append((LATEST, items[-1]))
    return points


def format_progress(delta: int | None) -> str:
    """Progress as people write it: "+2", "0", "−1" (a real minus sign); "—" for none."""
    if delta is None:
        return "—"
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"−{-delta}"
    return "0"


# --- reads ----------------------------------------------------------------------------------


def default_scale() -> Scale | None:
    """The scale new assessments use, with its levels; ``None`` if none is marked default."""
    return Scale.objects.filter(is_default=True).prefetch_related("levels").first()


def scale_levels(scale: Scale) -> list[ScaleLevel]:
    """The levels of a scale, lowest first (uses a prefetch when there is one)."""
    return sorted(scale.levels.all(), key=lambda level: level.value)


def visible_domains(user: User, trajectory: Trajectory) -> list[str]:
    """The life domains whose readings this user may see, in the fixed domain order."""
    allowed = domains_visible_to(user, trajectory)
    return [d.value for d in LifeDomain if d.value in allowed]


def assessments_for(user: User, trajectory: Trajectory) -> list[Assessment]:
    """The trajectory's assessments, oldest first, with the readings the user may see, the
    scale and its levels: three queries whatever the number of assessments.

    An assessment none of whose readings the user may see is left out.
    """
    domains = visible_domains(user, trajectory)
    assessments = list(
        Assessment.objects.filter(trajectory=trajectory)
        .select_related("scale", "by")
        .prefetch_related(
            Prefetch(
                "readings",
                queryset=Reading.objects.filter(domain__in=domains),
                to_attr="visible_readings",
            ),
            "scale__levels",
        )
        .order_by("on", "pk")
    )
    return [a for a in assessments if a.visible_readings]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Cell:
    """One reading in a table: the level and its label."""

    value: int
    label: str


@dataclass(frozen=True)
class ChartColumn:
    role: str  # FIRST, PREVIOUS or LATEST
    assessment: Assessment


@dataclass(frozen=True)
class DomainRow:
    domain: str
    label: str
    cells: list[Cell | None]  # one per chart column
    progress: int | None
    progress_text: str
    count: int


@dataclass(frozen=True)
class ScaleSummary:
    """What a page shows of the assessments made with one scale."""

    scale: Scale
    levels: list[ScaleLevel]
    assessments: list[Assessment]  # oldest first
    columns: list[ChartColumn]
    rows: list[DomainRow]

    @property
    def latest(self) -> Assessment:
        return self.assessments[-1]

    @property
    def improved(self) -> int:
        """How many domains are higher now than at their first reading."""
        return sum(1 for row in self.rows if row.progress is not None and row.progress > 0)

    @property
    def worsened(self) -> int:
        return sum(1 for row in self.rows if row.progress is not None and row.progress < 0)

    @property
    def min_value(self) -> int:
        return self.levels[0].value if self.levels else 0

    @property
    def max_value(self) -> int:
        return self.levels[-1].value if self.levels else 0


def levels_of(assessment: Assessment) -> dict[str, int]:
    """The visible readings of an assessment from ``assessments_for``: domain → level."""
    readings: list[Reading] = assessment.visible_readings  # type: ignore[attr-defined]
    return {r.domain: r.level for r in readings}


def summarise(assessments: Sequence[Assessment], domains: Sequence[str]) -> list[ScaleSummary]:
    """Group assessments by scale (the scale of the latest assessment first) and summarise
    each: the chart's columns and, per domain, its readings in them and its progress.

    Progress is computed within one scale only: levels of different instruments do not
    compare.
    """
    by_scale: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_scale.setdefault(assessment.scale_id, []).append(assessment)
    labels = dict(LifeDomain.choices)
    summaries = []
    for items in sorted(by_scale.values(), key=lambda xs: (xs[-1].on, xs[-1].pk), reverse=True):
        scale = items[0].scale
        levels = scale_levels(scale)
        level_labels = {level.value: level.label for level in levels}
        history = [levels_of(a) for a in items]
        columns = [ChartColumn(role, a) for role, a in chart_points(items)]
        column_levels = [levels_of(c.assessment) for c in columns]
        progress = progress_by_domain(history, domains)
        rows = []
        for domain in domains:
            cells: list[Cell | None] = []
            for levels_in_column in column_levels:
                value = levels_in_column.get(domain)
                cells.append(
                    None if value is None else Cell(value, level_labels.get(value, str(value)))
                )
            p = progress[domain]
            rows.append(
                DomainRow(
                    domain=domain,
                    label=str(labels[domain]),
                    cells=cells,
                    progress=p.progress,
                    progress_text=format_progress(p.progress),
                    count=p.count,
                )
            )
        summaries.append(
            ScaleSummary(scale=scale, levels=levels, assessments=items, columns=columns, rows=rows)
        )
    return summaries


@dataclass(frozen=True)
class MeasurementOverview:
    """Everything the readings page and the trajectory panel need, read in one go."""

    summaries: list[ScaleSummary]
    domains: list[str]
    hides_special_categories: bool
    shows_notes: bool

    @property
    def assessment_count(self) -> int:
        return sum(len(s.assessments) for s in self.summaries)

    @property
    def current(self) -> ScaleSummary | None:
        return self.summaries[0] if self.summaries else None

    @property
    def last_assessed_on(self) -> dt.date | None:
        return self.current.latest.on if self.current else None


def measurement_overview(user: User, trajectory: Trajectory) -> MeasurementOverview:
    """The assessments of a trajectory as ``user`` may see them, summarised per scale."""
    domains = visible_domains(user, trajectory)
    duo = is_duo(user, trajectory)
    return MeasurementOverview(
        summaries=summarise(assessments_for(user, trajectory), domains),
        domains=domains,
        hides_special_categories=not duo or len(domains) < len(LifeDomain),
        shows_notes=duo,
    )
