"""What the trajectory page shows of group work (a panel of the page, ``tandem.common.panels``,
after the trajectory app's own): the enrolments with their status and drop-out signals, and
the coach's POP input that is not yet in the POP. Two queries."""

from __future__ import annotations

from typing import Any

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.common.panels import register_panel
from tandem.trajectories.models import Trajectory

from .enrolment.selectors import trajectory_group_work
from .models import PopInput


@register_panel("trajectory", order=40)
def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    summary = trajectory_group_work(user, trajectory.pk)
    ids = [e.pk for e in summary.enrolments]
    pending = (
        list(
            PopInput.objects.filter(enrolment_id__in=ids, adopted_into__isnull=True)
            .select_related("author", "enrolment__module")
            .order_by("-written_on", "-pk")
        )
        if ids
        else []
    )
    return {
        "groupwork": summary,
        "groupwork_pop_inputs": pending,
        "groupwork_can_enrol": (
            has_capability(user, "groupwork.enrol") and can_write(user, trajectory)
        ),
    }
