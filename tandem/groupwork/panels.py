"""What the trajectory page shows of group work (merged into its context): the enrolments with
their status and drop-out signals, and the coach's POP input that is not yet in the POP.
Two queries."""

from __future__ import annotations

from typing import Any

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.trajectories.models import Trajectory
from tandem.trajectories.selectors import can_write

from .models import PopInput
from .selectors import trajectory_group_work


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
