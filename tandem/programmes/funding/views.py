"""The programme manager records a funding exception under a project (issue 17)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from .. import selectors as programme_selectors
from . import services
from .forms import FundingExceptionForm


@capability_required("programme.oversee")
def funding_exception_create(request: AuthenticatedRequest, code: str) -> HttpResponse:
    project = programme_selectors.project_by_code(code)
    form = FundingExceptionForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.funding_exception_record(
            acting_user=request.user,
            project=project,
            trajectory=data["trajectory"],
            kind=data["kind"],
            reason=data["reason"],
        ),
        then=reverse("programmes:project_detail", kwargs={"code": project.code}),
        message=_("The funding exception is recorded."),
    )
    return done or render(
        request, "programmes/funding_exception_form.html", {"project": project, "form": form}
    )
