"""The outcome dashboard: outflow at +6, +12 and +24 months after the end of a trajectory, by
months, by type and by province, each as a server-side SVG chart with its data table, and the
honest comparison of group work with individual-only mediation (DOMAIN.md §7).

Figures only, under disclosure control: a hidden count (small, or hidden so that a small one
elsewhere cannot be worked out) is shown as "x", as in the yearly report, and its share is
neither shown nor drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.dates import EventDateField
from tandem.common.disclosure import HIDDEN, publishes, threshold
from tandem.common.models import Province
from tandem.common.svg import Series, bar_chart
from tandem.outcomes import figures, rules, selectors
from tandem.outcomes.comparison import Comparison, explain, points
from tandem.outcomes.outflow import OutflowTable, PublishedRow, dimension_title, publish

OUTCOMES = ("out", "work")


class DashboardForm(forms.Form):
    """The filters, as GET parameters; all optional (everything, at 24 months)."""

    filters_a_list = True

    province = forms.ChoiceField(
        label=gettext_lazy("Province"),
        required=False,
        choices=[("", gettext_lazy("All provinces")), *Province.choices],
    )
    ended_from = EventDateField(label=gettext_lazy("Trajectories ended from"), required=False)
    ended_to = EventDateField(
        label=gettext_lazy("Trajectories ended up to (inclusive)"), required=False
    )
    months = forms.TypedChoiceField(
        label=gettext_lazy("Months after the end, for the tables"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, n) for n in rules.MEASURE_MONTHS],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("ended_from"), data.get("ended_to")
        if start and end and start > end:
            self.add_error("ended_to", _("The end of the period cannot be before its start."))
        return data


@dataclass(frozen=True)
class Cell:
    """A count as published: the number, or the text that stands for a hidden one."""

    text: str
    hidden: bool


@dataclass(frozen=True)
class ShareCell:
    share: float | None  # None: hidden, or nothing measured
    interval: tuple[float, float] | None

    @property
    def text(self) -> str:
        if self.share is None:
            return ""
        if self.interval is None:
            return f"{_percent(self.share)} %"
        low, high = self.interval
        return f"{_percent(self.share)} % ({_percent(low)}–{_percent(high)} %)"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}"


def _cell(row: PublishedRow, name: str) -> Cell:
    value = row.value(name)
    if value is not None:
        return Cell(str(value), False)
    # One mark for every hidden count: a separate one for those hidden second would say they
    # are 5 or more, and with a total that can give the small one away.
    return Cell(HIDDEN, True)


@dataclass(frozen=True)
class TableRow:
    label: str
    is_total: bool
    counts: dict[str, Cell]
    shares: dict[str, ShareCell]


def _table_rows(published: Sequence[PublishedRow], labels: Sequence[str]) -> list[TableRow]:
    rows = []
    for index, (item, label) in enumerate(zip(published, labels, strict=True)):
        rows.append(
            TableRow(
                label,
                index == len(published) - 1,
                {
                    name: _cell(item, name)
                    for name in ("ended", "measured", "unknown", "out", "work", "too_recent")
                },
                {name: ShareCell(item.share(name), item.interval(name)) for name in OUTCOMES},
            )
        )
    return rows


def _outcome_title(name: str) -> str:
    return _("Out of unemployment") if name == "out" else _("Into work")


def _point(share: ShareCell) -> tuple[float | None, Any]:
    """A share as the chart draws it: percent, and its interval in percent (None: hidden)."""
    value = None if share.share is None else round(share.share * 100)
    interval = None if share.interval is None else tuple(round(v * 100) for v in share.interval)
    return value, interval


def _shares(rows: Sequence[TableRow], name: str) -> tuple[list[float | None], list[Any]]:
    points = [_point(row.shares[name]) for row in rows]
    return [value for value, _i in points], [interval for _v, interval in points]


def _breakdown(table: OutflowTable, dimension: str, chart_id: str, title: str) -> dict[str, Any]:
    months = table.months
    published = publish(table)
    labels = [row.labels[0] for row in table.rows] + [_("Total")]
    rows = _table_rows(published, labels)
    series = []
    intervals = []
    for name in OUTCOMES:
        values, whiskers = _shares(rows, name)
        series.append(Series(_outcome_title(name), values))
        intervals.append(whiskers)
    svg = bar_chart(
        labels,
        series,
        max_value=100,
        intervals=intervals,
        unit=" %",
        title=title,
        description=_(
            "Share of the measured trajectories at %(months)d months after the end, with the "
            "95 %% confidence interval. A hidden share is left out."
        )
        % {"months": months},
        chart_id=chart_id,
        none_text=_("hidden"),
    )
    shown = {
        "id": f"table-{dimension}",
        "caption": _("%(title)s: counts, shares and 95 %% intervals") % {"title": title},
        "heading": dimension_title(dimension),
        "rows": rows,
    }
    return {"id": chart_id, "title": title, "svg": svg, "tables": [shown]}


def _by_months(tables: dict[int, OutflowTable]) -> dict[str, Any]:
    """Chart 1: both outcomes at each of 6, 12 and 24 months, individual only against group."""
    sides = (("individual", _("Individual only")), ("group", _("With group work")))
    rows: list[dict[str, Any]] = []
    groups = [_("%(months)d months") % {"months": n} for n in rules.MEASURE_MONTHS]
    values: dict[tuple[str, str], list[float | None]] = {}
    whiskers: dict[tuple[str, str], list[Any]] = {}
    for n in rules.MEASURE_MONTHS:
        table = tables[n]
        published = publish(table)
        by_value = dict(zip([row.values[0] for row in table.rows], published, strict=False))
        labels = []
        items = []
        for code, label in sides:
            if code in by_value:
                items.append(by_value[code])
                labels.append(label)
        items.append(published[-1])
        labels.append(_("Total"))
        table_rows = _table_rows(items, labels)
        rows.append(
            {
                "id": f"table-months-{n}",
                "caption": _(
                    "At %(months)d months after the end: counts, shares and 95 %% intervals"
                )
                % {"months": n},
                "heading": _("Group work"),
                "rows": table_rows,
            }
        )
        shown = {row.label: row for row in table_rows}
        for code, label in sides:
            for name in OUTCOMES:
                row = shown.get(label)
                value, interval = _point(row.shares[name] if row else ShareCell(None, None))
                values.setdefault((code, name), []).append(value)
                whiskers.setdefault((code, name), []).append(interval)
    series = []
    intervals = []
    for name in OUTCOMES:
        for code, label in sides:
            series.append(Series(f"{_outcome_title(name)} – {label}", values[(code, name)]))
            intervals.append(whiskers[(code, name)])
    title = _("Outflow by months after the end: individual only and with group work")
    svg = bar_chart(
        groups,
        series,
        max_value=100,
        intervals=intervals,
        unit=" %",
        title=title,
        description=_(
            "Share of the measured trajectories out of unemployment and into work at 6, 12 "
            "and 24 months after the end, with the %(level)d %% confidence interval. A hidden "
            "share is left out."
        )
        % {"level": 95},
        chart_id="chart-months",
        none_text=_("hidden"),
        width=720,
    )
    return {"id": "chart-months", "title": title, "svg": svg, "tables": rows}


@dataclass(frozen=True)
class ComparisonBox:
    comparison: Comparison | None
    reason: str  # why no comparison is shown, "" when it is
    sentence: str
    differences: list[dict[str, str]]


def _comparison(comparison: Comparison | None, months: int) -> ComparisonBox:
    if comparison is None:
        return ComparisonBox(
            None,
            _(
                "No comparison: nobody with group work or nobody with individual-only "
                "mediation was measured at %(months)d months."
            )
            % {"months": months},
            "",
            [],
        )
    limit = threshold()
    if comparison.group_measured < limit or comparison.individual_measured < limit:
        return ComparisonBox(
            None,
            _(
                "No comparison: fewer than %(limit)d trajectories were measured at %(months)d "
                "months on one side, too few to show without pointing at a person."
            )
            % {"limit": limit, "months": months},
            "",
            [],
        )
    differences = [
        {
            "outcome": _outcome_title(d.outcome),
            "group": _percent(d.group_share),
            "individual": _percent(d.individual_share),
            "adjusted_share": _percent(d.individual_adjusted),
            "raw": points(d.raw),
            "adjusted": points(d.adjusted),
        }
        for d in comparison.differences
    ]
    return ComparisonBox(comparison, "", explain(comparison), differences)


def _report_box(request: AuthenticatedRequest, province: str, today: dt.date) -> dict[str, Any]:
    """The yearly report's years (those with a start), the chosen one (``?report_year=``, by
    default the last complete year) and its download links, for the province shown."""
    years = sorted(selectors.start_years(province), reverse=True)
    complete = [year for year in years if year < today.year]
    chosen = complete[0] if complete else (years[0] if years else None)
    error = ""
    raw = request.GET.get("report_year", "").strip()
    if raw and years:
        if raw.isdigit() and int(raw) in years:
            chosen = int(raw)
        else:
            error = _("Choose one of the years listed.")
    query = urlencode({"year": chosen, "province": province}) if chosen else ""
    # The other filters, carried by the year form so that choosing a year keeps them.
    keep = [
        (name, request.GET[name])
        for name in ("province", "ended_from", "ended_to", "months")
        if request.GET.get(name)
    ]
    return {
        "years": years,
        "chosen": chosen,
        "error": error,
        "keep": keep,
        "pdf": f"{reverse('reporting:report_pdf')}?{query}",
        "xlsx": f"{reverse('reporting:report_xlsx')}?{query}",
    }


@require_GET
@capability_required("report.view_aggregates")
@publishes("Outcome dashboard: outflow at +N months by breakdown and by months (tables, charts)")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """Outflow after the end of trajectories, filtered by province and end date."""
    query = request.GET.copy()
    if not query.get("months"):
        query["months"] = "24"  # so that the select shows what the tables use
    form = DashboardForm(query)
    today = timezone.localdate()
    context: dict[str, Any] = {"form": form, "threshold": threshold()}
    if not form.is_valid():
        return render(request, "reporting/outcomes_dashboard.html", context, status=400)
    data = form.cleaned_data
    province = data.get("province") or ""
    months = data.get("months") or 24
    # Counted in SQL from the outcome table: one GROUP BY per breakdown (outcomes.figures).
    rows = figures.outcomes(data.get("ended_from"), data.get("ended_to"), province)
    context.update(
        {
            "province": province,
            "province_label": Province(province).label if province else _("All provinces"),
            "months": months,
            "ended_from": data.get("ended_from"),
            "ended_to": data.get("ended_to"),
            "charts": [
                _by_months(
                    figures.outflow_tables(rows, rules.MEASURE_MONTHS, ("group_work",), today=today)
                ),
                _breakdown(
                    figures.outflow_tables(rows, (months,), ("type",), today=today)[months],
                    "type",
                    "chart-type",
                    _("Outflow at %(months)d months by type of trajectory") % {"months": months},
                ),
                _breakdown(
                    figures.outflow_tables(rows, (months,), ("province",), today=today)[months],
                    "province",
                    "chart-province",
                    _("Outflow at %(months)d months by province") % {"months": months},
                ),
            ],
            "comparison": _comparison(figures.comparison(rows, months, today=today), months),
            "report": _report_box(request, province, today),
        }
    )
    return render(request, "reporting/outcomes_dashboard.html", context)
