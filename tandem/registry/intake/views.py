"""The intake queue page of a VDAB office (its mediators) and the decision posted from it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from . import selectors, services
from .forms import IntakeDecisionForm, prefix_for
from .models import Intake, IntakeSource, IntakeStatus


def _form(
    request: AuthenticatedRequest, intake: Intake, extra: dict[str, Any]
) -> IntakeDecisionForm:
    return IntakeDecisionForm(
        request.POST if request.method == "POST" else None,
        prefix=prefix_for(intake),
        colleagues=extra["colleagues"],
        offices=extra["offices"],
        me=request.user,
        forward=intake.source != IntakeSource.REFERRAL,
    )


def _queue(
    request: AuthenticatedRequest, failed: IntakeDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    items = selectors.annotate_waiting(selectors.queue_for(user))
    log_persons_shown(request, [i.person for i in items], what="intake queue")
    assert user.organisation_id is not None  # queue_for is empty otherwise
    extra = {
        "colleagues": selectors.colleagues(user.organisation_id),
        "offices": selectors.other_offices(user.organisation_id),
    }
    rows = []
    for item in items:
        form = failed if failed is not None and failed.prefix == prefix_for(item) else None
        rows.append({"item": item, "form": form or _form(request, item, extra)})
    return render(
        request,
        "registry/intake_queue.html",
        {"rows": rows, "flag_after": selectors.flag_after()},
        status=status,
    )


@require_GET
@capability_required("intake.queue")
def intake_queue(request: AuthenticatedRequest) -> HttpResponse:
    return _queue(request)


@require_POST
@capability_required("intake.queue")
def intake_decide(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    intake = selectors.intake_get_for(request.user, public_id)
    assert request.user.organisation_id is not None  # intake_get_for raised otherwise
    form = _form(
        request,
        intake,
        {
            "colleagues": selectors.colleagues(request.user.organisation_id),
            "offices": selectors.other_offices(request.user.organisation_id),
        },
    )
    if done := submit(
        request,
        form,
        lambda data: services.intake_decide(
            acting_user=request.user,
            intake=intake,
            decision=data["decision"],
            assignee_id=data["assignee"],
            office_id=data.get("office"),
            reason=data["reason"],
        ),
        message=lambda result: _message(intake, result),
        then=reverse("registry:intake_queue"),
    ):
        return done
    return _queue(request, failed=form, status=400)


def _message(intake: Intake, result: Intake) -> str:
    if intake.status == IntakeStatus.TAKEN and intake.source == IntakeSource.REFERRAL:
        return _("%(name)s is taken: the referral is accepted.") % {"name": intake.person}
    if intake.status == IntakeStatus.TAKEN:
        return _("%(name)s is taken; start a trajectory from the caseload.") % {
            "name": intake.person
        }
    if intake.source == IntakeSource.REFERRAL:
        return _("%(name)s is sent back: the referral is declined.") % {"name": intake.person}
    if intake.status == IntakeStatus.FORWARDED:
        return _("%(name)s is forwarded to %(office)s.") % {
            "name": intake.person,
            "office": result.office,
        }
    return _("%(name)s is sent back to the sender.") % {"name": intake.person}
