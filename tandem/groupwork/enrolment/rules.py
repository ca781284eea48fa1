"""The rules of group work as pure functions: which intake moment a new participant gets, and
when absences become a drop-out signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IntakeRoom:
    """An intake moment as the placement rule sees it."""

    key: int
    starts_on: dt.date
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def choose_intake(intakes: Iterable[IntakeRoom], on: dt.date) -> int | None:
    """The next intake moment with room: the earliest that starts on or after ``on`` and has a
    free place (ties on the same day go to the lower key). ``None``: the waiting list."""
    candidates = sorted(
        (i for i in intakes if i.starts_on >= on and i.free > 0),
        key=lambda i: (i.starts_on, i.key),
    )
    return candidates[0].key if candidates else None


def unexcused_absences(statuses: Iterable[str]) -> int:
    return sum(1 for s in statuses if s == "absent")


def dropout_due(statuses: Sequence[str], threshold: int) -> bool:
    """A possible drop-out: ``threshold`` or more unexcused absences (excused ones do not
    count; present sessions in between do not reset the count)."""
    if threshold < 1:
        raise ValueError("The drop-out threshold is at least 1.")
    return unexcused_absences(statuses) >= threshold
