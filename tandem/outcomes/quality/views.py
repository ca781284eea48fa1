"""The data-quality page: what the checks of ``quality.checks`` find, with no person on it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.disclosure import publishes

from .checks import run_checks


@require_GET
@capability_required("report.view_aggregates")
@publishes("Data-quality findings: yearly starts per type and province or office that jump")
def quality(request: AuthenticatedRequest) -> HttpResponse:
    report = run_checks(timezone.localdate())
    return render(
        request,
        "outcomes/quality.html",
        {
            "report": report,
            "checks": [
                {"check": check, "headings": [h for _k, h in check.columns], "cells": check.cells()}
                for check in report.checks
            ],
        },
    )
