"""Read-only pages on calls and projects for programme managers and administrators.

They show budgets and targets only — never a person — so no access log is written. The
programme dashboard and the ESF+ indicators of a project are in tandem.reporting.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from tandem.accounts.decorators import AuthenticatedRequest, capability_required

from . import selectors


@capability_required("report.view_aggregates")
def call_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = []
    for call in selectors.call_list():
        totals = call.totals
        in_tandem = len(call.projects.all())
        rows.append(
            {
                "call": call,
                "totals": totals,
                "shortfall": -totals.difference,
                "split": call.split,
                "in_tandem": in_tandem,
                "not_in_tandem": (call.planned_projects or 0) - in_tandem,
            }
        )
    return render(
        request,
        "programmes/call_list.html",
        {"rows": rows, "loose_projects": list(selectors.projects_without_call())},
    )


@capability_required("report.view_aggregates")
def project_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    project = selectors.project_by_code(code, detail=True)
    return render(request, "programmes/project_detail.html", {"project": project})
