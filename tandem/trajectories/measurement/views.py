"""Pages of measurement: record an assessment, and see the readings with their chart and
progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.log import log_person_shown, open_trajectory
from tandem.access.scope import can_write, trajectory_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit
from tandem.common.models import LifeDomain
from tandem.common.svg import Series, profile_chart

from ..forms import errors_renamed
from ..models import Assessment
from . import selectors, services
from .forms import AssessmentForm

# The latest reading stands out (solid, filled); earlier ones are dashed or dotted, so the
# series differ in more than colour.
SERIES_LOOKS = {
    selectors.FIRST: ("series-first", "2 4", "circle", "#4a5a66"),
    selectors.PREVIOUS: ("series-previous", "9 5", "square", "#8a4a00"),
    selectors.LATEST: ("series-latest", "", "diamond", "#0f5f63"),
}


def column_heading(column: selectors.ChartColumn) -> str:
    date = column.assessment.on.strftime("%d/%m/%Y")
    if column.role == selectors.FIRST:
        return _("First reading, %(date)s") % {"date": date}
    if column.role == selectors.PREVIOUS:
        return _("Previous reading, %(date)s") % {"date": date}
    return _("Latest reading, %(date)s") % {"date": date}


def summary_chart(
    summary: selectors.ScaleSummary,
    *,
    chart_id: str,
    size: int = 560,
    roles: frozenset[str] | None = None,
) -> SafeString:
    """The chart of a summary: one axis per domain, one series per chart column (``roles``
    limits which: the panel shows only the first and the latest).

    The domains are those the user may see (role and the person's consent), so there may be
    any number: a radar from three, bars for one or two, nothing for none (see
    ``profile_chart``); the table beside the chart always gives the same readings."""
    labels = dict(LifeDomain.choices)
    axes = [str(labels[row.domain]) for row in summary.rows]
    series = []
    for index, column in enumerate(summary.columns):
        if roles is not None and column.role not in roles:
            continue
        css_class, dash, marker, colour = SERIES_LOOKS[column.role]
        values: list[float | None] = [
            None if (cell := row.cells[index]) is None else cell.value for row in summary.rows
        ]
        series.append(
            Series(
                column_heading(column), values, css_class, dash=dash, marker=marker, colour=colour
            )
        )
    return profile_chart(
        axes,
        series,
        max_value=summary.max_value,
        min_value=summary.min_value - 1,
        size=size,
        rings=[level.value for level in summary.levels],
        chart_id=chart_id,
        title=_("Readings per life domain on the scale “%(scale)s”") % {"scale": summary.scale},
        description=_("Levels from %(low)s (the lowest) to %(high)s (the highest).")
        % {"low": summary.min_value, "high": summary.max_value},
        none_text=_("not assessed"),
    )


@require_http_methods(["GET"])
@capability_required("person.read")
def measurement_readings(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="measurement readings")
    overview = selectors.measurement_overview(request.user, trajectory)
    sections = [
        {
            "summary": summary,
            "chart": summary_chart(summary, chart_id=f"measurement-chart-{index}"),
            "headings": [column_heading(c) for c in summary.columns],
        }
        for index, summary in enumerate(overview.summaries)
    ]
    return render(
        request,
        "trajectories/measurement/readings.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "overview": overview,
            "sections": sections,
            "can_record": can_write(request.user, trajectory),
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("person.read")
def measurement_record(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    readings_url = reverse(
        "trajectories:measurement_readings", kwargs={"public_id": trajectory.public_id}
    )
    scale = selectors.default_scale()
    if scale is None:
        messages.error(
            request, _("There is no default scale. Ask an administrator to mark one as default.")
        )
        return redirect(readings_url)
    log_person_shown(request, trajectory.person, what="measurement form")
    levels = selectors.scale_levels(scale)
    if request.method == "POST":
        form = AssessmentForm(request.POST, levels=levels)
    else:
        form = AssessmentForm(levels=levels)

    def save(data: dict[str, Any]) -> Assessment:
        try:
            return services.assessment_record(
                acting_user=request.user,
                trajectory=trajectory,
                on=data["on"],
                readings=form.readings(),
                agreed_with_client=data["agreed_with_client"],
                note=data["note"],
                scale=scale,
            )
        except ValidationError as exc:
            # The service names a domain; the form's field for it is its level.
            raise errors_renamed(exc, form.level_field_names()) from exc

    if done := submit(request, form, save, message=_("The readings are saved."), then=readings_url):
        return done
    return render(
        request,
        "trajectories/measurement/record.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "form": form,
            "scale": scale,
            "levels": levels,
        },
    )
