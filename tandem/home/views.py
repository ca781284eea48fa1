from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.accounts.decorators import AuthenticatedRequest
from tandem.common.disclosure import publishes

from .panels import panels_for


@login_required
@publishes("Home page of programme managers: registered persons per province, with the total")
def home(request: AuthenticatedRequest) -> HttpResponse:
    """One page, with the panels the user's capabilities call for (``panels.PANELS``)."""
    panels = panels_for(request.user)
    context: dict[str, object] = {
        "panels": [panel.template for panel in panels],
        "today": timezone.localdate(),
    }
    for panel in panels:
        if panel.build is not None:
            context.update(panel.build(request))
    return render(request, "home/home.html", context)
