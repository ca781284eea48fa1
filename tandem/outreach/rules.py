"""Pure rules of outreach (no database here)."""

from __future__ import annotations

import datetime as dt


def brought_to_trajectory(converted_on: dt.date | None, trajectory_start: dt.date) -> bool:
    """Whether a trajectory counts as one outreach brought the person to: the prospect was
    registered (``converted_on``) and the trajectory started on or after that day. A
    trajectory from before outreach met the person does not count. The one rule for the
    funnel's "trajectory" stage and for outreach participants of a project."""
    return converted_on is not None and trajectory_start >= converted_on
