"""The mediator changes the project that funds a trajectory (issue 17)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.access.log import open_trajectory
from tandem.access.scope import can_write
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from .. import services
from .forms import ProjectForm


@capability_required("trajectory.start")
def trajectory_project(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="trajectory funding project")
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, initial={"project": trajectory.project_id})
    done = submit(
        request,
        form,
        lambda data: services.trajectory_set_project(
            acting_user=request.user, trajectory=trajectory, project=data["project"]
        ),
        then=reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id}),
        message=_("The funding project is saved."),
    )
    return done or render(
        request, "trajectories/project_form.html", {"trajectory": trajectory, "form": form}
    )
