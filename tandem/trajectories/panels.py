"""What this app adds to the pages that gather several apps' parts (``tandem.common.panels``).

The trajectory page: the plan, measurement, POP and job-coaching panels, in that order
(each sub-package builds its own). The person page: the person's trajectories, their timeline and
whether the user may start a trajectory.
"""

from __future__ import annotations

from typing import Any

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.common.panels import register_panel
from tandem.registry.models import Person

from .jobcoaching import panels as jobcoaching_panels
from .measurement import panels as measurement_panels
from .plan import panels as plan_panels
from .pop import panels as pop_panels
from .selectors import person_timeline, trajectories_of_person

# The trajectory page: the plan and contacts, measurement, POP, job coaching (group work
# follows at 40, tandem.groupwork.panels).
register_panel("trajectory", order=5)(plan_panels.panel_context)
register_panel("trajectory", order=10)(measurement_panels.panel_context)
register_panel("trajectory", order=20)(pop_panels.panel_context)
register_panel("trajectory", order=30)(jobcoaching_panels.panel_context)

PERSON_TIMELINE_LIMIT = 50


@register_panel("person", order=20)
def person_trajectories(user: User, person: Person) -> dict[str, Any]:
    """The person's trajectories the user sees (newest first), the timeline of the person's
    file and whether the user may start a trajectory."""
    return {
        "trajectories": trajectories_of_person(user, person),
        "timeline": person_timeline(user, person, limit=PERSON_TIMELINE_LIMIT),
        "can_start_trajectory": has_capability(user, "trajectory.start"),
    }
