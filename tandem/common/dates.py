"""Date rules of the domain, shared by the apps."""

from __future__ import annotations

import calendar
import datetime as dt


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def quarter_of(day: dt.date) -> str:
    """The calendar quarter holding ``day``, as "2021 Q3"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month:
    31 January + 1 month = 28 (or 29) February; 31 August + 6 months = 28/29 February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
