"""What the trajectory page shows of the POP (merged into its context): the latest version,
how many versions there are and whether the user may edit. One query (two for a group coach)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.accounts.models import User

from ..models import PopReport, Trajectory
from .services import can_edit_pop


@dataclass(frozen=True)
class PopPanel:
    latest: PopReport | None
    version_count: int
    can_edit: bool


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    versions = list(
        trajectory.pops.only(
            "pk", "trajectory_id", "version", "job_target", "perspective", "signed_off_on"
        ).order_by("-version")
    )
    return {
        "pop_panel": PopPanel(
            latest=versions[0] if versions else None,
            version_count=len(versions),
            can_edit=can_edit_pop(user, trajectory),
        )
    }
