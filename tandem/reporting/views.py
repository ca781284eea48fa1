"""The programme dashboard and the ESF+ common indicators of a project, for programme managers
and administrators.

Figures only, under disclosure control — never a person — so no access log is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.dates import PeriodForm
from tandem.common.disclosure import HIDDEN, publishes, shown
from tandem.common.disclosure import note as disclosure_note
from tandem.common.exports import csv_download, xlsx_workbook
from tandem.common.svg import Series, TargetLine, line_chart
from tandem.programmes.models import Project
from tandem.programmes.selectors import project_by_code

from .dashboard import Progress, load_dashboard, protect_dashboard
from .indicators import (
    ESF_COLUMNS,
    NOT_MEASURABLE,
    IndicatorRow,
    IndicatorTable,
    project_indicators,
    protect_indicators,
)


def _cells(row: IndicatorRow, hidden: set[tuple[str, str]]) -> list[str]:
    """The four counts as published (hidden ones as the one mark), or why there is none."""
    if row.status == NOT_MEASURABLE:
        return [_("not yet measurable")] * 4
    if row.status:
        return [_("not recorded")] * 4
    return [
        shown(n, (row.code, name) in hidden)
        for name, n in zip(ESF_COLUMNS, row.counts(), strict=True)
    ]


def _note(row: IndicatorRow, hidden: set[tuple[str, str]]) -> str:
    def count(name: str) -> str:
        return shown(getattr(row, name), (row.code, name) in hidden)

    if row.not_yet_measurable and row.status != NOT_MEASURABLE:
        return _(
            "%(count)s leavers are not counted: six months after leaving lies in the future."
        ) % {"count": count("not_yet_measurable")}
    notes = []
    if row.unknown and row.code == "EECO16":
        notes.append(
            _("%(count)s participants had no screening on or before entry: not counted.")
            % {"count": count("unknown")}
        )
    elif row.unknown:
        notes.append(
            _("%(count)s participants: unknown, not counted.") % {"count": count("unknown")}
        )
    if row.not_asked:
        notes.append(
            _("%(count)s participants: not asked, not counted.") % {"count": count("not_asked")}
        )
    return " ".join(notes)


EXPORT_HEADER = ("Code", "Indicator", "Women", "Men", "Non-binary", "Total", "Note")


def _export_header() -> list[str]:
    return [_("Code"), _("Indicator"), _("Women"), _("Men"), _("Non-binary"), _("Total"), _("Note")]


def _export_rows(table: IndicatorTable) -> list[list[Any]]:
    def value(cell: str) -> Any:
        # Published counts stay numbers in the spreadsheet; the mark and the words stay text.
        return int(cell) if cell.isdigit() else cell

    hidden = protect_indicators(table)
    rows: list[list[Any]] = [
        [row.code, str(row.label), *(value(c) for c in _cells(row, hidden)), _note(row, hidden)]
        for row in table.rows
    ]
    return rows


def _title(project: Project, table: IndicatorTable) -> str:
    return _(
        "ESF+ common indicators – %(code)s %(name)s – period %(start)s to %(end)s – "
        "generated on %(today)s"
    ) % {
        "code": project.code,
        "name": project.name,
        "start": f"{table.date_from:%d/%m/%Y}",
        "end": f"{table.date_to:%d/%m/%Y}",
        "today": f"{table.as_of:%d/%m/%Y}",
    }


def _filename(project: Project, table: IndicatorTable, extension: str) -> str:
    return (
        f"esf-indicators-{project.code}-{table.date_from:%Y%m%d}-{table.date_to:%Y%m%d}.{extension}"
    )


def _csv_response(project: Project, table: IndicatorTable) -> HttpResponse:
    return csv_download(
        _export_rows(table),
        EXPORT_HEADER,
        header=_export_header(),
        filename=_filename(project, table, "csv"),
    )


def _xlsx_response(project: Project, table: IndicatorTable) -> HttpResponse:
    workbook = xlsx_workbook()
    sheet = workbook.sheet("ESF+")
    sheet.append([_title(project, table)], bold=True)
    sheet.append(_export_header(), bold=True)
    for row in _export_rows(table):
        sheet.append(row)
    sheet.append([])
    sheet.append([disclosure_note()])
    sheet.set_width("B", 70)
    sheet.set_width("G", 50)
    response = HttpResponse(
        workbook.to_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(project, table, "xlsx")}"'
    return response


@require_GET
@capability_required("report.view_aggregates")
@publishes(
    "ESF+ common indicators of a project by gender, with the notes' counts (page, CSV, XLSX)"
)
def project_indicators_view(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """ESF+ common indicators of one project for a period (the project's own period unless
    ``?from=&to=`` say otherwise); ``?format=csv`` or ``?format=xlsx`` to download them."""
    project = project_by_code(code)
    initial = {"from": project.start_date.isoformat(), "to": project.end_date.isoformat()}
    form = PeriodForm({**initial, **request.GET.dict()})
    table = None
    if form.is_valid():
        date_from: dt.date = form.cleaned_data["date_from"]
        date_to: dt.date = form.cleaned_data["date_to"]
        table = project_indicators(project, date_from, date_to, as_of=timezone.localdate())
        export = request.GET.get("format")
        if export == "csv":
            return _csv_response(project, table)
        if export == "xlsx":
            return _xlsx_response(project, table)
    query = {"from": form.data.get("from", ""), "to": form.data.get("to", "")}
    hidden = protect_indicators(table) if table else set()
    rows = (
        [
            {"row": row, "cells": _cells(row, hidden), "note": _note(row, hidden)}
            for row in table.rows
        ]
        if table
        else []
    )
    context = {
        "project": project,
        "form": form,
        "table": table,
        "rows": rows,
        "query": query,
        "disclosure_note": disclosure_note(),
    }
    return render(
        request, "reporting/project_indicators.html", context, status=200 if table else 400
    )


def _chart(item: Progress, index: int, hidden: set[Hashable]) -> dict[str, Any]:
    """One project's chart with the rows of its data table (hidden counts as the one mark,
    left out of the chart)."""
    project = item.project

    def drawn(name: str, values: list[int]) -> list[int | None]:
        return [None if (project.pk, name, k) in hidden else n for k, n in enumerate(values)]

    def text(name: str, k: int, n: int) -> str:
        return shown(n, (project.pk, name, k) in hidden)

    series = [Series(_("Participants (cumulative)"), drawn("participants", item.participants))]
    targets = []
    if item.participant_target:
        targets.append(
            TargetLine(_("Target: participants"), item.participant_target.value, dash="6 3")
        )
    if item.outcomes is not None:
        series.append(
            Series(_("Into work or training (cumulative)"), drawn("outcomes", item.outcomes))
        )
    if item.outcome_target:
        targets.append(
            TargetLine(
                _("Target: into work or training"),
                item.outcome_target.value,
                dash="2 3",
                colour="#6b2d7b",
            )
        )
    svg = (
        line_chart(
            item.quarters,
            series,
            targets=targets,
            title=_("%(project)s: cumulative counts per quarter against the targets")
            % {"project": project.name},
            description=_("Counts at the end of each quarter, up to %(until)s.")
            % {"until": f"{item.until:%d/%m/%Y}"},
            chart_id=f"chart-{index}",
            css_class="line-chart",
            none_text=HIDDEN,
        )
        if item.quarters
        else None
    )
    outcomes = item.outcomes or []
    rows = [
        {
            "quarter": quarter,
            "participants": text("participants", k, item.participants[k]),
            "outcomes": text("outcomes", k, outcomes[k]) if item.outcomes is not None else None,
        }
        for k, quarter in enumerate(item.quarters)
    ]
    return {"item": item, "svg": svg, "rows": rows, "index": index}


@require_GET
@capability_required("report.view_aggregates")
@publishes(
    "Programme dashboard: cumulative participants and outcomes per project and quarter, "
    "participants per project"
)
def programme_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """Targets against actuals per project and quarter, budgets per province and promoter,
    participants per project, under disclosure control (``protect_dashboard``)."""
    data = load_dashboard(timezone.localdate())
    hidden = protect_dashboard(data)
    return render(
        request,
        "reporting/programme_dashboard.html",
        {
            "data": data,
            "charts": [_chart(item, k, hidden) for k, item in enumerate(data.progress, start=1)],
            "participants": [
                (project, shown(count, (project.pk, "all") in hidden))
                for project, count in data.participants
            ],
            "targets": [
                {
                    "row": row,
                    "actual": None
                    if row.actual is None
                    else shown(row.actual, ("target", i) in hidden),
                }
                for i, row in enumerate(data.targets)
            ],
            "disclosure_note": disclosure_note(),
            "budget_tables": [
                {
                    "id": "budget-provinces",
                    "caption": _("Budget per province"),
                    "heading": _("Province"),
                    "rows": data.by_province,
                },
                {
                    "id": "budget-promoters",
                    "caption": _("Budget per promoter"),
                    "heading": _("Promoter"),
                    "rows": data.by_promoter,
                },
            ],
        },
    )
