"""Pages of the social network map: the start and end maps side by side with their comparison
and, beside it, the self-assessment of self-image and draagkracht (for the coach and for the
mediator or welfare partner who sees the trajectory), and the form on which the coach draws a
map with the participant."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.log import log_person_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from ..enrolment.selectors import enrolment_get_for, is_trajectory_side
from ..models import MapMoment, NetworkMap, NetworkTie
from ..selectors import is_coach
from ..selfassessment.selectors import self_assessment_panel
from . import ecogram
from .forms import NetworkMapForm, TieFormSet
from .selectors import network_maps_by_moment, ordered_ties
from .services import can_draw, network_map_save
from .summary import MapSummary, compare, summarise

TITLES = {
    MapMoment.START: gettext_lazy("Network map at the start of group work"),
    MapMoment.END: gettext_lazy("Network map at the end of group work"),
}
CAPTIONS = {
    MapMoment.START: gettext_lazy("Ties at the start"),
    MapMoment.END: gettext_lazy("Ties at the end"),
}
SAVED = {
    MapMoment.START: gettext_lazy("The network map at the start is saved."),
    MapMoment.END: gettext_lazy("The network map at the end is saved."),
}


@dataclass(frozen=True)
class MapPanel:
    moment: str
    heading: str
    caption: str
    network_map: NetworkMap | None
    ties: list[NetworkTie]
    summary: MapSummary
    svg: SafeString | None
    edit_url: str


@require_GET
@capability_required("groupwork.view_enrolment")
def network_maps(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The start and end maps side by side, each with a table of its ties, and what changed."""
    enrolment = enrolment_get_for(request.user, public_id)
    person = enrolment.trajectory.person
    log_person_shown(request, person, what="group work: network map")
    maps = network_maps_by_moment(enrolment)
    panels = []
    for moment in MapMoment:
        network_map = maps.get(moment.value)
        ties = ordered_ties(network_map)
        panels.append(
            MapPanel(
                moment=moment.value,
                heading=str(moment.label),
                caption=str(CAPTIONS[moment]),
                network_map=network_map,
                ties=ties,
                summary=summarise(ties),
                svg=ecogram.ecogram_svg(
                    ties,
                    title=str(TITLES[moment]),
                    chart_id=f"ecogram-{moment.value}",
                    centre_label=person.first_name,
                    empty_text=_("No ties on this map."),
                )
                if network_map is not None
                else None,
                edit_url=reverse(
                    "groupwork:network_map_edit",
                    kwargs={"public_id": enrolment.public_id, "moment_code": moment.value},
                ),
            )
        )
    start, end = panels
    comparison = compare(
        start.summary if start.network_map else None, end.summary if end.network_map else None
    )
    return render(
        request,
        "groupwork/network/maps.html",
        {
            "enrolment": enrolment,
            "person": person,
            "panels": panels,
            "comparison": comparison,
            "can_draw": can_draw(request.user, enrolment),
            "trajectory_side": is_trajectory_side(request.user, enrolment),
            **self_assessment_panel(enrolment),
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.view_enrolment")
def network_map_edit(
    request: AuthenticatedRequest, public_id: str, moment_code: str
) -> HttpResponse:
    """The coach draws (or redraws) the map of one moment with the participant."""
    moment = moment_code
    if moment not in MapMoment.values:
        raise Http404
    enrolment = enrolment_get_for(request.user, public_id)
    if not is_coach(request.user, enrolment.module.programme):
        raise PermissionDenied
    person = enrolment.trajectory.person
    log_person_shown(request, person, what="group work: network map form")
    if not can_draw(request.user, enrolment):
        messages.error(
            request,
            _("A network map is drawn with participants placed in the group or who completed it."),
        )
        return redirect("groupwork:network_maps", public_id=enrolment.public_id)
    network_map = network_maps_by_moment(enrolment).get(moment)
    posted = request.method == "POST"
    if posted:
        map_form = NetworkMapForm(request.POST)
        formset = TieFormSet(request.POST, prefix="ties")
    else:
        map_form = NetworkMapForm(initial=NetworkMapForm.initial_from(network_map))
        formset = TieFormSet(
            prefix="ties", initial=TieFormSet.initial_from(ordered_ties(network_map))
        )
    # The ties are checked on the formset first; the date and the service's refusal land on
    # the map's form.
    if (
        posted
        and formset.is_valid()
        and (
            done := submit(
                request,
                map_form,
                lambda data: network_map_save(
                    acting_user=request.user,
                    enrolment=enrolment,
                    moment=moment,
                    ties=formset.ties(),
                    drawn_on=data["drawn_on"],
                ),
                message=str(SAVED[MapMoment(moment)]),
                then=reverse("groupwork:network_maps", kwargs={"public_id": enrolment.public_id}),
            )
        )
    ):
        return done
    return render(
        request,
        "groupwork/network/map_form.html",
        {
            "enrolment": enrolment,
            "person": person,
            "moment": moment,
            "moment_label": MapMoment(moment).label,
            "title": TITLES[MapMoment(moment)],
            "network_map": network_map,
            "map_form": map_form,
            "formset": formset,
        },
        status=400 if posted else 200,
    )
