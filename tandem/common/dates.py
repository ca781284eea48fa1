"""Date rules of the domain, shared by the apps."""

from __future__ import annotations

import datetime as dt


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def quarter_of(day: dt.date) -> str:
    """The calendar quarter holding ``day``, as "2021 Q3"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"
