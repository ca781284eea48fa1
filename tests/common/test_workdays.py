"""Working days in Belgium (the intake queue's waiting days): Monday to Friday less the ten
legal public holidays (Belgian law of 4 January 1974 on public holidays)."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.common.workdays import (
    easter,
    is_working_day,
    public_holidays,
    working_day_on_or_after,
    working_day_on_or_before,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))],
)
def test_easter(year, sunday):
    assert easter(year) == sunday


def test_the_ten_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Whit Monday
        D(2026, 7, 21),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 12, 7), D(2026, 12, 7), 0),  # the same day
        (D(2026, 12, 7), D(2026, 12, 1), 0),  # backwards
        (D(2026, 12, 4), D(2026, 12, 7), 1),  # Friday → Monday
        (D(2026, 12, 7), D(2026, 12, 14), 5),  # a week
        (D(2026, 12, 24), D(2026, 12, 28), 1),  # Christmas Friday, weekend: Monday only
        (D(2026, 4, 3), D(2026, 4, 7), 1),  # Easter Monday skipped
        (D(2026, 11, 10), D(2026, 11, 12), 1),  # Armistice (Wednesday) skipped
        (D(2026, 12, 31), D(2027, 1, 4), 1),  # New Year (Friday) skipped
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 7, 21))  # National Day, Tuesday
    assert is_working_day(D(2026, 7, 11)) is False  # Saturday (11 July is not national anyway)
    assert is_working_day(D(2026, 7, 13))


@pytest.mark.parametrize(
    ("day", "after", "before"),
    [
        (dt.date(2026, 12, 7), dt.date(2026, 12, 7), dt.date(2026, 12, 7)),  # a Monday
        (dt.date(2026, 12, 12), dt.date(2026, 12, 14), dt.date(2026, 12, 11)),  # a Saturday
        # Christmas (Friday) and the weekend after it: Monday 28th, Thursday 24th
        (dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2026, 12, 24)),
        (dt.date(2026, 12, 27), dt.date(2026, 12, 28), dt.date(2026, 12, 24)),
    ],
)
def test_the_nearest_working_day_on_either_side(day, after, before):
    assert working_day_on_or_after(day) == after
    assert working_day_on_or_before(day) == before
