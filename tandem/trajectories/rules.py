"""When a trajectory counts as reaching work or training: one rule for the outreach funnel,
the programme dashboard and the ESF+ results."""

from __future__ import annotations

import datetime as dt

from .models import ClosureReason, Status

WORK_CLOSURES = frozenset({ClosureReason.WORK_REGULAR, ClosureReason.WORK_SOCIAL_ECONOMY})
TRAINING_CLOSURES = frozenset({ClosureReason.TRAINING})


def work_or_training_on(
    status: str,
    closure_reason: str,
    start: dt.date,
    end: dt.date | None,
    employed_on: dt.date | None,
) -> dt.date | None:
    """The day a trajectory reached work or training, or None: the first change to status
    *employed* (``employed_on``); else its start when it is employed now without a recorded
    change; else its end when it closed for work (regular or social economy) or training."""
    if employed_on is not None:
        return employed_on
    if status == Status.EMPLOYED:
        return start
    if status == Status.CLOSED and closure_reason in WORK_CLOSURES | TRAINING_CLOSURES:
        return end
    return None


def work_on(
    status: str,
    closure_reason: str,
    start: dt.date,
    end: dt.date | None,
    employed_on: dt.date | None,
) -> dt.date | None:
    """The day a trajectory reached work (training aside), or None: as
    ``work_or_training_on``, with only the closures for work (regular or social economy)."""
    if employed_on is not None:
        return employed_on
    if status == Status.EMPLOYED:
        return start
    if status == Status.CLOSED and closure_reason in WORK_CLOSURES:
        return end
    return None
