"""Working days in Belgium: Monday to Friday, less the ten legal public holidays (New Year,
Easter Monday, Labour Day, Ascension, Whit Monday, the National Day, Assumption, All Saints,
Armistice, Christmas). Regional and sector holidays (11 July in Flanders) are not counted:
VDAB offices observe the national ones. Pure functions, no database."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian calendar; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """Belgium's ten legal public holidays of ``year``."""
    e = easter(year)
    return frozenset(
        {
            dt.date(year, 1, 1),
            e + dt.timedelta(days=1),  # Easter Monday
            dt.date(year, 5, 1),
            e + dt.timedelta(days=39),  # Ascension
            e + dt.timedelta(days=50),  # Whit Monday
            dt.date(year, 7, 21),
            dt.date(year, 8, 15),
            dt.date(year, 11, 1),
            dt.date(year, 11, 11),
            dt.date(year, 12, 25),
        }
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    after ``start``): an item that arrived on Friday has waited 1 working day on Monday."""
    if end <= start:
        return 0
    n = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        n += is_working_day(day)
        day += dt.timedelta(days=1)
    return n
