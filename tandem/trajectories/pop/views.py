"""Pages of the POP: the latest version with the list of versions, the draft form, the
sign-off and the PDF. Screen and paper render the same content partial
(``trajectories/pop/includes/pop_content.html``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.log import log_person_shown, open_trajectory
from tandem.access.scope import trajectory_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit
from tandem.common.forms import confirm_step, is_confirmed
from tandem.common.pdf import render_pdf

from ..models import PopReport, Trajectory
from ..views import trajectory_page
from . import selectors, services
from .forms import PopForm, RerouteJustificationForm, SignOffForm


def _detail_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:pop_detail", kwargs={"public_id": trajectory.public_id})


def _page_context(
    request: AuthenticatedRequest, trajectory: Trajectory, pop: PopReport | None
) -> dict[str, Any]:
    versions = selectors.pop_versions(trajectory)
    latest = versions[0] if versions else None
    can_edit = services.can_edit_pop(request.user, trajectory)
    return {
        "trajectory": trajectory,
        "person": trajectory.person,
        "pop": pop if pop is not None else latest,
        "latest": latest,
        "versions": versions,
        "can_edit": can_edit,
        "sign_off_form": SignOffForm(),
    }


@require_GET
@capability_required("person.read")
def pop_detail(
    request: AuthenticatedRequest, public_id: str, version: int | None = None
) -> HttpResponse:
    """The latest version (or the one asked for) and every version of the POP."""
    trajectory = trajectory_get_for(request.user, public_id)
    pop = selectors.pop_get(trajectory, version) if version is not None else None
    log_person_shown(request, trajectory.person, what="POP")
    return render(
        request, "trajectories/pop/pop_detail.html", _page_context(request, trajectory, pop)
    )


@require_http_methods(["GET", "POST"])
@capability_required("trajectory.write")
def pop_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Edit the draft, or start a new version from the signed-off latest one."""
    trajectory = open_trajectory(request, public_id, what="POP form")
    detail_url = _detail_url(trajectory)
    if not services.can_edit_pop(request.user, trajectory):
        return redirect(detail_url)
    versions = selectors.pop_versions(trajectory)
    latest = versions[0] if versions else None
    draft = latest if latest is not None and latest.signed_off_on is None else None
    if request.method == "POST":
        form = PopForm(request.POST)
    else:
        form = PopForm(initial=PopForm.initial_from(latest))

    def save(data: dict[str, Any]) -> PopReport:
        if draft is not None:
            return services.pop_update(acting_user=request.user, pop=draft, **data)
        return services.pop_draft(acting_user=request.user, trajectory=trajectory, **data)

    if done := submit(
        request,
        form,
        save,
        message=lambda pop: (
            _("Version %(version)s of the POP is saved.") % {"version": pop.version}
        ),
        then=detail_url,
    ):
        return done
    return render(
        request,
        "trajectories/pop/pop_form.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "form": form,
            "draft": draft,
            "latest": latest,
            "next_version": draft.version if draft else (latest.version + 1 if latest else 1),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@capability_required("trajectory.write")
def pop_sign_off(request: AuthenticatedRequest, public_id: str, version: int) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    pop = selectors.pop_get(trajectory, version)
    log_person_shown(request, trajectory.person, what="POP sign-off")
    form = SignOffForm(request.POST)
    if (
        form.is_valid()
        and not is_confirmed(request)
        and pop.signed_off_on is None
        and services.can_edit_pop(request.user, trajectory)
    ):
        return _confirm_sign_off(request, trajectory, pop, form)
    if done := submit(
        request,
        form,
        lambda data: services.pop_sign_off(acting_user=request.user, pop=pop, on=data["on"]),
        message=_("Version %(version)s of the POP is signed off.") % {"version": version},
        then=_detail_url(trajectory),
    ):
        return done
    context = _page_context(request, trajectory, pop)
    context["sign_off_form"] = form
    return render(request, "trajectories/pop/pop_detail.html", context, status=400)


def _confirm_sign_off(
    request: AuthenticatedRequest, trajectory: Trajectory, pop: PopReport, form: SignOffForm
) -> HttpResponse:
    """A signed-off version never changes again: say so, then ask again."""
    what = [
        _("Version %(version)s of the POP of %(name)s is signed off on %(date)s.")
        % {
            "version": pop.version,
            "name": trajectory.person.full_name,
            "date": form.cleaned_data["on"].strftime("%d/%m/%Y"),
        },
        _("Participation perspective: %(perspective)s.")
        % {"perspective": pop.get_perspective_display()},
        _("A signed-off version never changes: a later change starts version %(next)s.")
        % {"next": pop.version + 1},
    ]
    if pop.job_target:
        what.insert(2, _("Job target: %(target)s.") % {"target": pop.job_target})
    return confirm_step(
        request,
        form=form,
        title=_("Sign off this version of the POP?"),
        what=what,
        button=_("Sign off"),
        action=reverse(
            "trajectories:pop_sign_off",
            kwargs={"public_id": trajectory.public_id, "version": pop.version},
        ),
        cancel_url=_detail_url(trajectory),
        back_label=_("POP"),
    )


@require_GET
@capability_required("person.read")
def pop_pdf(request: AuthenticatedRequest, public_id: str, version: int) -> HttpResponse:
    """One version as a PDF download, from the same content partial as the screen.

    The file name carries only the version: names and national numbers stay out of file
    names, which end up in download folders, mail attachments and logs.
    """
    trajectory = trajectory_get_for(request.user, public_id)
    pop = selectors.pop_get(trajectory, version)
    log_person_shown(request, trajectory.person, what="POP PDF")
    pdf = render_pdf(
        "trajectories/pop/pop_pdf.html",
        {"trajectory": trajectory, "person": trajectory.person, "pop": pop},
        request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pop-v{pop.version}.pdf"'
    return response


@require_POST
@capability_required("trajectory.write")
def pop_reroute_justify(
    request: AuthenticatedRequest, public_id: str, version: int
) -> HttpResponse:
    """The duo's written answer to the re-routing prompt on the trajectory page: why the W²
    trajectory continues although the signed-off POP calls for re-routing."""
    trajectory = open_trajectory(request, public_id, what="POP re-routing")
    pop = selectors.pop_get(trajectory, version)
    form = RerouteJustificationForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.pop_reroute_justify(
            acting_user=request.user, pop=pop, reason=data["reason"]
        ),
        message=_("Why the trajectory continues is saved."),
        then=reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id}),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, reroute_form=form)
