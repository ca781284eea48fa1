"""Reads of POP versions. A POP is reached through its trajectory, so ``trajectory_get_for``
has already decided whether the user may see it."""

from __future__ import annotations

from django.http import Http404

from ..models import PopReport, Trajectory


def pop_versions(trajectory: Trajectory) -> list[PopReport]:
    """Return every version of the trajectory's POP, newest first, in one query."""
    return list(trajectory.pops.select_related("drafted_by").order_by("-version"))


def pop_get(trajectory: Trajectory, version: int) -> PopReport:
    """Return one version of the trajectory's POP, or 404."""
    try:
        return trajectory.pops.select_related("drafted_by").get(version=version)
    except PopReport.DoesNotExist as exc:
        raise Http404 from exc
