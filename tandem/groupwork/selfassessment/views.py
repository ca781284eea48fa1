"""The form on which the coach fills in the self-assessment with the participant. Who may: the
same as for the network map (a coach of the programme; the participant placed or completed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tandem.access.log import log_person_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from ..enrolment.selectors import enrolment_get_for
from ..models import MapMoment
from ..networkmap.services import can_draw
from ..selectors import is_coach
from .forms import SelfAssessmentForm
from .rules import DIMENSIONS, items_of
from .selectors import self_assessments_by_moment
from .services import self_assessment_save

TITLES = {
    MapMoment.START: gettext_lazy("Self-assessment at the start of group work"),
    MapMoment.END: gettext_lazy("Self-assessment at the end of group work"),
}
SAVED = {
    MapMoment.START: gettext_lazy("The self-assessment at the start is saved."),
    MapMoment.END: gettext_lazy("The self-assessment at the end is saved."),
}


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.view_enrolment")
def self_assessment_edit(
    request: AuthenticatedRequest, public_id: str, moment_code: str
) -> HttpResponse:
    """The coach fills in (or corrects) the self-assessment of one moment with the participant."""
    moment = moment_code
    if moment not in MapMoment.values:
        raise Http404
    enrolment = enrolment_get_for(request.user, public_id)
    if not is_coach(request.user, enrolment.module.programme):
        raise PermissionDenied
    person = enrolment.trajectory.person
    log_person_shown(request, person, what="group work: self-assessment form")
    back = reverse("groupwork:network_maps", kwargs={"public_id": enrolment.public_id})
    if not can_draw(request.user, enrolment):
        messages.error(
            request,
            _(
                "A self-assessment is filled in with participants placed in the group or who "
                "completed it."
            ),
        )
        return redirect(back)
    assessment = self_assessments_by_moment(enrolment).get(moment)
    posted = request.method == "POST"
    form = (
        SelfAssessmentForm(request.POST)
        if posted
        else SelfAssessmentForm(initial=SelfAssessmentForm.initial_from(assessment))
    )
    if done := submit(
        request,
        form,
        lambda data: self_assessment_save(
            acting_user=request.user,
            enrolment=enrolment,
            moment=moment,
            levels=form.levels(),
            with_participant=data["with_participant"],
            assessed_on=data["assessed_on"],
        ),
        message=str(SAVED[MapMoment(moment)]),
        then=back + "#self-assessment",
    ):
        return done
    return render(
        request,
        "groupwork/selfassessment/form.html",
        {
            "enrolment": enrolment,
            "person": person,
            "moment": moment,
            "title": TITLES[MapMoment(moment)],
            "assessment": assessment,
            "form": form,
            "groups": [
                (label, [form[name] for name in items_of(dimension)])
                for dimension, label in DIMENSIONS.items()
            ],
        },
        status=400 if posted else 200,
    )
