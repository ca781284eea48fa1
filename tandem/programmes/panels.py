"""What the trajectory page shows of its funding (a panel of the page, ``tandem.common.panels``):
which project and call fund the trajectory, whether the rule lets them (issue 17), and the
exceptions recorded for it. Two queries at most."""

from __future__ import annotations

from typing import Any

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.common.panels import register_panel

from .funding import selectors
from .models import Funded


@register_panel("trajectory", order=1)
def panel_context(user: User, trajectory: Any) -> dict[str, Any]:
    project = trajectory.project
    exceptions = list(selectors.trajectory_funding_exceptions(trajectory.pk))
    refusal = None
    if project is not None:
        refusal = selectors.funding_refusal_for(
            project=project, kind=trajectory.type, day=trajectory.start_date
        )
    own = [e for e in exceptions if project is not None and e.project_id == project.pk]
    return {
        "funding": {
            "project": project,
            "call": project.call if project is not None else None,
            "refusal": refusal,
            "excepted": bool(refusal) and any(e.kind == trajectory.type for e in own),
            "group_work_exceptions": [e for e in exceptions if e.kind == Funded.GROUP_WORK],
            "can_change": has_capability(user, "trajectory.start") and can_write(user, trajectory),
        }
    }
