"""Pure rules of outreach (no database here)."""

from __future__ import annotations

import datetime as dt


def brought_to_trajectory(converted_on: dt.date | None, trajectory_start: dt.date) -> bool:
    """Whether a trajectory counts as one outreach brought the person to: the prospect was
    registered (``converted_on``) and the trajectory started on or after that day. A
    trajectory from before outreach met the person does not count. The one rule for the
    funnel's "trajectory" stage and for outreach participants of a project."""
    return converted_on is not None and trajectory_start >= converted_on


# A prospect not registered and not met for this many days is due a follow-up: outreach meets
# people where they are every week or two, so two weeks without a contact is someone to look
# up again.
FOLLOW_UP_DAYS = 14


def follow_up_due(*, registered: bool, last_on: dt.date | None, today: dt.date) -> bool:
    """Whether the team should look a prospect up again: not registered, and the last contact
    (if any) more than ``FOLLOW_UP_DAYS`` days before ``today``."""
    if registered:
        return False
    return last_on is None or (today - last_on).days > FOLLOW_UP_DAYS


def follow_up_since(today: dt.date) -> dt.date:
    """The last day of contact that makes a follow-up due on ``today`` (a contact on or
    before it)."""
    return today - dt.timedelta(days=FOLLOW_UP_DAYS + 1)
