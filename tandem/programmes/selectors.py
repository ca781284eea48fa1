"""Reads for calls and projects: figures only, no person data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Call, Funded, Project


def _projects() -> QuerySet[Project]:
    return Project.objects.select_related("promoter").prefetch_related("targets")


def call_list() -> QuerySet[Call]:
    """Every call with its projects (promoter, targets) and its own targets, in few queries."""
    return Call.objects.prefetch_related(
        Prefetch("projects", queryset=_projects().order_by("province", "name")), "targets"
    )


def projects_without_call() -> QuerySet[Project]:
    return _projects().filter(call__isnull=True).order_by("name")


def project_detail_queryset() -> QuerySet[Project]:
    return _projects().select_related("call").prefetch_related("partners")


def project_list() -> QuerySet[Project]:
    """Every project with its promoter, by province and name (the programme manager's home)."""
    return Project.objects.select_related("promoter").order_by("province", "name")


def project_by_code(code: str, *, detail: bool = False) -> Project:
    """One project by its code, or 404. Projects are not person data: who may open one is the
    page's capability (programme oversight or aggregate reports), not a scope."""
    return get_object_or_404(project_detail_queryset() if detail else Project.objects, code=code)


def funded_on(day: dt.date) -> frozenset[str]:
    """What some call pays for on ``day`` (``Funded`` values): the kinds of a call running then.

    A call's ``funds`` is a short list and there are few calls, so this reads them all.
    """
    kinds: set[str] = set()
    for call in Call.objects.filter(start_date__lte=day, end_date__gte=day).only("funds"):
        kinds.update(k for k in call.funds or [] if k in Funded.values)
    return frozenset(kinds)
