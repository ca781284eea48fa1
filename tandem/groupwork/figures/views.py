"""The group-work figures page and its CSV: aggregates only, for programme managers (every
programme) and group coaches (the programmes they coach). Counts under the disclosure threshold
(5 unless ``TANDEM_DISCLOSURE_THRESHOLD`` says otherwise), and the counts hidden so that they
cannot be worked out from a total, are shown as "x" (``disclosure.HIDDEN``); a rate or waiting
time over fewer than 5 participants or over a hidden count is not shown ("—"), on the page and
in the CSV alike (see ``selectors.protect_figures``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.disclosure import note as disclosure_note
from tandem.common.disclosure import publishes, threshold
from tandem.common.exports import csv_download
from tandem.common.models import Province

from .forms import FigureFilterForm
from .pops import pops_delivered
from .selectors import (
    FigureRow,
    GroupWorkFigures,
    figure_programme_choices,
    group_work_figures,
)


@dataclass(frozen=True)
class Cell:
    """One figure as shown: ``value`` ``None`` is a dash, with ``too_few`` when it is hidden
    (fewer than 5 participants stand behind it, or it would give a hidden count away)."""

    value: float | int | str | None
    too_few: bool = False
    percent: bool = False

    @property
    def csv(self) -> float | int | str:
        if self.value is None:
            return "—" if self.too_few else ""
        return self.value


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Cell]
    level: str = ""  # "total" or "sub" for the template's emphasis


def _cells(row: FigureRow) -> list[Cell]:
    """Participants, places, fill rate, median and mean wait, attendance, excused, completed,
    ended, completion rate."""
    return [
        Cell(row.participants_shown),
        Cell(row.capacity),
        Cell(row.fill_rate, too_few=row.fill_too_few, percent=True),
        Cell(row.waiting_median, too_few=row.waiting_too_few),
        Cell(row.waiting_mean, too_few=row.waiting_too_few),
        Cell(row.attendance_rate, too_few=row.attendance_too_few, percent=True),
        Cell(row.excused_share, too_few=row.attendance_too_few, percent=True),
        Cell(row.completed_shown),
        Cell(row.ended_shown),
        Cell(row.completion_rate, too_few=row.completion_too_few, percent=True),
    ]


UPCOMING_CELLS = 5  # participants, places, fill, median and mean wait


@dataclass(frozen=True)
class Table:
    """One table of the page: rows in groups (a ``<tbody>`` each, with an optional heading)."""

    key: str
    title: str
    caption: str
    first: str  # the header of the first column
    groups: list[tuple[str, list[Line]]]
    empty: str
    upcoming: bool = False


def _tables(figures: GroupWorkFigures) -> list[Table]:
    provinces = [Line(_("All"), _cells(figures.total), "total")] + [
        Line(row.name, _cells(row)) for row in figures.provinces
    ]
    programmes = [
        (
            "",
            [Line(f"{p.row.name} ({Province(p.province).label})", _cells(p.row), "total")]
            + [Line(m.row.name, _cells(m.row), "sub") for m in p.modules],
        )
        for p in figures.programmes
    ]

    def intakes(upcoming: bool) -> list[tuple[str, list[Line]]]:
        return [
            (
                f"{p.row.name} · {m.row.name}",
                [
                    Line(
                        f"{i.starts_on:%d/%m/%Y}", _cells(i)[: UPCOMING_CELLS if upcoming else None]
                    )
                    for i in (m.upcoming if upcoming else m.intakes)
                ],
            )
            for p in figures.programmes
            for m in p.modules
            if (m.upcoming if upcoming else m.intakes)
        ]

    return [
        Table(
            key="province",
            title=_("Per province"),
            caption=_("Group-work figures per province"),
            first=_("Province"),
            groups=[("", provinces)],
            empty="",
        ),
        Table(
            key="programme",
            title=_("Per programme and module"),
            caption=_("Group-work figures per programme and module"),
            first=_("Programme and module"),
            groups=programmes,
            empty="",
        ),
        Table(
            key="intake",
            title=_("Per intake moment"),
            caption=_("Group-work figures per intake moment that has started"),
            first=_("Start date"),
            groups=intakes(upcoming=False),
            empty=_("No intake moment has started yet."),
        ),
        Table(
            key="upcoming",
            title=_("Upcoming intake moments"),
            caption=_("Upcoming intake moments and how full they are now"),
            first=_("Start date"),
            groups=intakes(upcoming=True),
            empty=_("No upcoming intake moments."),
            upcoming=True,
        ),
    ]


@require_GET
@capability_required("groupwork.view_figures")
@publishes(
    "Group-work figures per province, programme, module and intake moment (page, CSV); "
    "POPs delivered per partner and participation perspective (page)"
)
def group_work_figures_view(request: AuthenticatedRequest) -> HttpResponse:
    """Fill rate, waiting time, attendance and completion per province, programme, module and
    intake moment; ``?format=csv`` gives the same figures as a CSV file."""
    programmes = figure_programme_choices(request.user)
    form = FigureFilterForm(request.GET or None, programmes=programmes)
    today = timezone.localdate()
    figures = pops = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        filters: dict[str, Any] = {
            "programme": data.get("programme"),
            "province": data.get("province") or "",
            "starts_from": data.get("starts_from"),
            "starts_to": data.get("starts_to"),
        }
        figures = group_work_figures(programmes, today=today, **filters)
        if request.GET.get("format") == "csv":
            return _csv_response(figures)
        pops = pops_delivered(programmes, **filters)
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "form": form,
        "figures": figures,
        "today": today,
        "csv_query": query.urlencode(),
        "tables": _tables(figures) if figures is not None else [],
        "pops": pops,
        "limit": threshold(),
        "disclosure_note": disclosure_note(),
    }
    return render(
        request, "groupwork/figures.html", context, status=200 if figures is not None else 400
    )


# --- CSV -------------------------------------------------------------------------------------

CSV_FIELDS = [
    "level",
    "province",
    "programme",
    "module",
    "starts_on",
    "upcoming",
    "participants",
    "places",
    "fill_rate",
    "waiting_median",
    "waiting_mean",
    "attendance_rate",
    "excused_share",
    "completed",
    "ended",
    "completion_rate",
]


def _csv_header() -> list[str]:
    return [
        _("Level"),
        _("Province"),
        _("Programme"),
        _("Module"),
        _("Intake moment"),
        _("Upcoming"),
        _("Participants"),
        _("Places offered"),
        _("Fill rate (%)"),
        _("Waiting days (median)"),
        _("Waiting days (mean)"),
        _("Attendance rate (%)"),
        _("Excused (%)"),
        _("Completed"),
        _("Ended"),
        _("Completion rate (%)"),
    ]


def _csv_rows(figures: GroupWorkFigures) -> Iterator[list[Any]]:
    def line(
        level: str,
        row: FigureRow,
        province: str = "",
        programme: str = "",
        module: str = "",
        starts_on: dt.date | None = None,
    ) -> list[Any]:
        upcoming = "" if starts_on is None else (_("no") if row.started else _("yes"))
        return [level, province, programme, module, starts_on, upcoming] + [
            cell.csv for cell in _cells(row)
        ]

    yield line(_("All"), figures.total)
    for row in figures.provinces:
        yield line(_("Province"), row, province=row.name)
    for p in figures.programmes:
        province = Province(p.province).label
        yield line(_("Programme"), p.row, province, p.row.name)
        for m in p.modules:
            yield line(_("Module"), m.row, province, p.row.name, m.row.name)
            for i in m.intakes + m.upcoming:
                yield line(_("Intake moment"), i, province, p.row.name, m.row.name, i.starts_on)


def _csv_response(figures: GroupWorkFigures) -> HttpResponse:
    return csv_download(
        _csv_rows(figures),
        CSV_FIELDS,
        header=_csv_header(),
        filename=f"group-work-figures-{figures.today:%Y%m%d}.csv",
    )
