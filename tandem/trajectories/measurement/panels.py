"""What the trajectory page shows of the measurement part (merged into its context).

Every key starts with ``measurement_`` so it cannot clash with the other panels. The panel
costs a constant number of queries (the assessments, their visible readings and the scale
levels), whatever the number of assessments.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tandem.access.scope import can_write
from tandem.accounts.models import User

from ..models import Trajectory
from . import selectors
from .views import summary_chart

PANEL_CHART_SIZE = 440


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    overview = selectors.measurement_overview(user, trajectory)
    current = overview.current
    may_record = can_write(user, trajectory)
    return {
        "measurement_overview": overview,
        "measurement_chart": (
            summary_chart(
                current,
                chart_id="measurement-panel-chart",
                size=PANEL_CHART_SIZE,
                roles=frozenset({selectors.FIRST, selectors.LATEST}),
            )
            if current is not None
            else ""
        ),
        "measurement_can_record": may_record,
        "measurement_readings_url": reverse(
            "trajectories:measurement_readings", kwargs={"public_id": trajectory.public_id}
        ),
        "measurement_record_url": (
            reverse("trajectories:measurement_record", kwargs={"public_id": trajectory.public_id})
            if may_record
            else ""
        ),
    }
