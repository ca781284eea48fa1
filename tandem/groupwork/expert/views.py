"""The coach's page for an experience expert: the requests made for the participant with their
answer, and the form to ask (while the participant is placed in the group)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.log import log_person_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit
from tandem.trajectories.forms import ExpertRequestForm

from ..enrolment.selectors import enrolment_get_for
from ..selectors import is_coach
from .selectors import expert_requests_of_enrolment
from .services import can_ask_expert, enrolment_expert_request


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.request_expert")
def enrolment_expert(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """A coach of the programme asks an experience expert for a participant of their group,
    and sees the answers; another programme's enrolment is a 404."""
    enrolment = enrolment_get_for(request.user, public_id)
    if not is_coach(request.user, enrolment.module.programme):
        raise PermissionDenied
    person = enrolment.trajectory.person
    log_person_shown(request, person, what="group work: experience-expert request")
    here = reverse("groupwork:enrolment_expert", kwargs={"public_id": enrolment.public_id})
    posted = request.method == "POST"
    form = ExpertRequestForm(request.POST if posted else None)
    if done := submit(
        request,
        form,
        lambda data: enrolment_expert_request(
            acting_user=request.user, enrolment=enrolment, question=data["question"]
        ),
        message=_("Your request is sent to the experience experts."),
        then=here,
    ):
        return done
    return render(
        request,
        "groupwork/expert/requests.html",
        {
            "enrolment": enrolment,
            "person": person,
            "requests": expert_requests_of_enrolment(enrolment),
            "can_ask": can_ask_expert(request.user, enrolment),
            "form": form,
        },
        status=400 if posted else 200,
    )
