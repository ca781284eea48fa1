"""Read-only pages on calls and projects for programme managers and administrators.

They show budgets, targets and counts only — never a person. The one exception: a programme
manager sees on the project page the funding exceptions recorded under it (a trajectory's
reference and the reason), each shown person access-logged. The programme dashboard and the
ESF+ indicators of a project are in tandem.reporting.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common import disclosure
from tandem.common.disclosure import publishes

from . import selectors
from .funding import selectors as funding_selectors


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
@publishes("A project's trajectories and group placements by funding eligibility")
def project_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    project = selectors.project_by_code(code, detail=True)
    exceptions = None
    if has_capability(request.user, "programme.oversee"):
        exceptions = list(funding_selectors.project_funding_exceptions(project))
        log_persons_shown(
            request,
            [e.trajectory.person for e in exceptions],
            what="funding exceptions of a project",
            purpose="programme oversight",
        )
    return render(
        request,
        "programmes/project_detail.html",
        {
            "project": project,
            "funding": _funding_rows(funding_selectors.project_funding_counts(project)),
            "exceptions": exceptions,
            "can_record_exception": exceptions is not None,
            "disclosure_note": disclosure.note(),
        },
    )


def _funding_rows(counts: dict[str, funding_selectors.FundingCounts]) -> list[dict[str, Any]]:
    """Each row (trajectories, placements) with its three counts and total, small counts and
    what would give them away hidden (``tandem.common.disclosure``)."""
    labels = {"trajectories": _("Trajectories"), "placements": _("Group placements")}
    rows = []
    for key, c in counts.items():
        parts = {"funded": c.funded, "excepted": c.excepted, "refused": c.refused}
        hidden, total_hidden = disclosure.protect_one_way(parts)
        rows.append(
            {
                "label": labels[key],
                "cells": [disclosure.shown(n, name in hidden) for name, n in parts.items()],
                "total": disclosure.shown(c.total, total_hidden),
            }
        )
    return rows
