"""Pages of the plan: add a goal, an action under it, change an action's status, record a
contact or note, plan a contact, mark a planned contact cancelled or missed. Each posts from
the trajectory page (planned contacts also from the agenda), which is shown again (400) with
the form's errors when the form or the service refuses."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.access.log import log_person_shown, open_trajectory
from tandem.access.scope import can_write, trajectory_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from ..views import trajectory_page
from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    ContactForm,
    ContactStatusForm,
    GoalForm,
    PlannedContactForm,
)


def agenda_url(day: dt.date) -> str:
    """The agenda's week of ``day``, at that day."""
    year, week, _weekday = day.isocalendar()
    return f"{reverse('home:agenda')}?week={year}-W{week:02d}#day-{day.isoformat()}"


def _page(public_id: object, anchor: str) -> str:
    """The trajectory page, at ``anchor``."""
    return reverse("trajectories:trajectory_detail", kwargs={"public_id": public_id}) + anchor


@require_POST
@capability_required("person.read")
def goal_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="plan goal")
    form = GoalForm(request.POST, prefix="goal")
    if done := submit(
        request,
        form,
        lambda data: services.goal_create(
            acting_user=request.user,
            trajectory=trajectory,
            domain=data["domain"],
            description=data["description"],
        ),
        message=_("The goal is added."),
        then=_page(public_id, "#plan-title"),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, goal_form=form)


@require_POST
@capability_required("person.read")
def action_create(request: AuthenticatedRequest, public_id: str, goal_id: int) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    goal = selectors.goal_get(trajectory, goal_id)
    log_person_shown(request, trajectory.person, what="plan action")
    form = ActionForm(request.POST, prefix=f"goal{goal.pk}")
    if done := submit(
        request,
        form,
        lambda data: services.action_create(
            acting_user=request.user,
            goal=goal,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
        ),
        message=_("The action is added."),
        then=_page(public_id, f"#goal-{goal.pk}"),
    ):
        return done
    return trajectory_page(
        request, trajectory, status=400, action_form=form, action_form_goal=goal.pk
    )


@require_POST
@capability_required("person.read")
def action_update(request: AuthenticatedRequest, public_id: str, action_id: int) -> HttpResponse:
    """Mark an action done or dropped. The page's small form has no room for errors: they
    come back as a message above the plan."""
    trajectory = trajectory_get_for(request.user, public_id)
    action = selectors.action_get(trajectory, action_id)
    log_person_shown(request, trajectory.person, what="plan action")
    form = ActionStatusForm(request.POST, prefix=f"action{action.pk}")
    if form.is_valid():
        try:
            services.action_set_status(
                acting_user=request.user,
                action=action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action is updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(_page(public_id, f"#goal-{action.goal_id}"))


@require_POST
@capability_required("person.read")
def contact_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="contact")
    form = ContactForm(
        request.POST, prefix="contact", planned=selectors.planned_contacts_of(trajectory)
    )
    if done := submit(
        request,
        form,
        lambda data: services.contact_record(
            acting_user=request.user,
            trajectory=trajectory,
            kind=data["kind"],
            on=data["on"],
            place=data["place"],
            domain=data["domain"],
            text=data["text"],
            planned=data.get("planned"),
            next_on=data["next_on"],
            next_at=data["next_at"],
            next_kind=data["next_kind"],
        ),
        message=_("The contact is saved."),
        then=_page(public_id, "#contacts-title"),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, contact_form=form)


@require_POST
@capability_required("person.read")
def contact_plan(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Plan a contact; the agenda then opens at its day."""
    trajectory = open_trajectory(request, public_id, what="plan a contact")
    form = PlannedContactForm(request.POST, prefix="plan")
    if done := submit(
        request,
        form,
        lambda data: services.contact_plan(
            acting_user=request.user,
            trajectory=trajectory,
            kind=data["kind"],
            on=data["on"],
            at=data["at"],
            minutes=data["minutes"],
            place=data["place"],
            purpose=data["purpose"],
        ),
        message=_("The contact is planned."),
        then=lambda contact: agenda_url(contact.on),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, plan_form=form)


@require_POST
@capability_required("person.read")
def contact_status(request: AuthenticatedRequest, public_id: str, contact_id: int) -> HttpResponse:
    """Mark a planned contact cancelled or missed, from the trajectory page or the agenda
    (``back=agenda`` returns there). Errors come back as a message."""
    trajectory = trajectory_get_for(request.user, public_id)
    contact = selectors.planned_contact_get(trajectory, contact_id)
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    log_person_shown(request, trajectory.person, what="planned contact")
    form = ContactStatusForm(request.POST, prefix=f"contact{contact.pk}")
    if form.is_valid():
        try:
            services.contact_set_status(
                acting_user=request.user,
                contact=contact,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The planned contact is updated."))
    else:
        messages.error(request, _("Choose what happened."))
    if request.POST.get("back") == "agenda":
        return redirect(agenda_url(contact.on))
    return redirect(_page(public_id, "#contacts-title"))
