"""The figures as the API publishes them: each from the one definition the pages use, under
the same disclosure control (``tandem.common.disclosure`` through each figure's own
``publish``/``protect_*``), so a count hidden on a page is hidden here, and no hidden count
follows from the visible ones and the totals.

- outflow: ``outcomes.figures.outflow_counts`` (counted in SQL from the outcome table) →
  ``outcomes.outflow.publish`` → ``as_records``, as the outcome dashboard and the
  ``outcomes_report`` command;
- ESF+ common indicators: ``reporting.indicators.project_indicators`` with
  ``protect_indicators``, as the project's indicator page and its CSV/XLSX;
- referral figures: ``network.referrals.selectors.referral_figures`` (protected inside), as
  the referral figures page and its CSV, over the same period (the last twelve months unless
  asked otherwise);
- group work: ``groupwork.figures`` (``group_work_figures``, protected inside) read as the
  figures page's CSV rows, over every programme (what the programme manager's page shows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import translation

from tandem.common.disclosure import HIDDEN
from tandem.groupwork.figures import views as figure_pages
from tandem.groupwork.figures.selectors import group_work_figures
from tandem.groupwork.models import Programme
from tandem.network.referrals.selectors import FigureRow, referral_figures
from tandem.outcomes.figures import outflow_counts
from tandem.outcomes.outflow import as_records, publish
from tandem.programmes.models import Project
from tandem.reporting.indicators import (
    ESF_COLUMNS,
    NOTE_COUNTS,
    project_indicators,
    protect_indicators,
)


def outflow_rows(
    *,
    today: dt.date,
    months: int,
    by: str,
    province: str = "",
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
) -> list[dict[str, Any]]:
    table = outflow_counts(
        today=today,
        months=months,
        by=(by,),
        ended_from=ended_from,
        ended_to=ended_to,
        province=province,
    )
    rows = []
    for record in as_records(table, publish(table)):
        group = record.pop(by)
        rows.append({"group": group, **record})
    return rows


def project_get(project_id: int) -> Project:
    """A project by id, or 404. Projects are not person data: who may read their figures is
    the capability (``report.view_aggregates``), as on the page."""
    try:
        return Project.objects.get(pk=project_id)
    except Project.DoesNotExist as exc:
        raise Http404 from exc


def esf_rows(
    project: Project, date_from: dt.date, date_to: dt.date, *, today: dt.date
) -> tuple[Any, list[dict[str, Any]]]:
    table = project_indicators(project, date_from, date_to, as_of=today)
    hidden = protect_indicators(table)
    rows = []
    for row in table.rows:
        counts = dict(zip(ESF_COLUMNS, row.counts(), strict=True))
        notes = {name: getattr(row, name) for name in NOTE_COUNTS}
        rows.append(
            {
                "code": row.code,
                "label": str(row.label),
                "status": row.status,
                **{
                    name: None if row.status or (row.code, name) in hidden else value
                    for name, value in {**counts, **notes}.items()
                },
                "suppressed": sorted(
                    name for name in (*ESF_COLUMNS, *NOTE_COUNTS) if (row.code, name) in hidden
                ),
            }
        )
    return table, rows


def group_work_rows(
    *,
    today: dt.date,
    province: str = "",
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
) -> list[dict[str, Any]]:
    figures = group_work_figures(
        Programme.objects.order_by("province", "name"),
        today=today,
        province=province,
        starts_from=starts_from,
        starts_to=starts_to,
    )
    with translation.override("en"):  # the page's CSV rows, with their words in English
        lines = list(figure_pages._csv_rows(figures))
    rows = []
    for line in lines:
        values = dict(zip(figure_pages.CSV_FIELDS, line, strict=True))
        hidden = sorted(name for name, value in values.items() if value in WITHHELD)
        row: dict[str, Any] = {
            name: None if value in WITHHELD or value == "" else _number(value)
            for name, value in values.items()
        }
        row["level"] = LEVELS.get(str(values["level"]), str(values["level"]))
        row["upcoming"] = {"yes": True, "no": False}.get(str(values["upcoming"]))
        row["starts_on"] = values["starts_on"] or None
        for name in ("province", "programme", "module"):
            row[name] = str(values[name]) if values[name] else None
        row["suppressed"] = hidden
        rows.append(row)
    return rows


def referral_figure_rows(*, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """The referral figures page's table as rows: an organisation's row, then its services';
    a hidden count (or a median or share over too few) is ``None``."""

    def record(level: str, organisation: str, service: str | None, row: FigureRow) -> dict:
        return {
            "level": level,
            "organisation": organisation,
            "service": service,
            "referrals": None if row.sent_shown == HIDDEN else row.sent,
            "median_days_to_acceptance": row.median_days,
            "completed_share": row.share_completed,
            "no_capacity_share": row.share_no_capacity,
            "suppressed": ["referrals"] if row.sent_shown == HIDDEN else [],
        }

    rows = []
    for o in referral_figures(date_from=date_from, date_to=date_to):
        rows.append(record("organisation", o.total.name, None, o.total))
        rows.extend(record("service", o.total.name, s.name, s) for s in o.services)
    return rows


# The page's marks for a figure it does not show: a hidden count, a rate of too few.
WITHHELD = {HIDDEN, "—"}
LEVELS = {
    "All": "all",
    "Province": "province",
    "Programme": "programme",
    "Module": "module",
    "Intake moment": "intake",
}


def _number(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value
