"""The pure outcome rules: calendar months, the status on a day, the outflow definitions,
Wilson intervals against published values."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.outcomes import rules

D = dt.date


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        (D(2019, 1, 31), 1, D(2019, 2, 28)),  # 31 Jan + 1 month: the end of February
        (D(2020, 1, 31), 1, D(2020, 2, 29)),  # ... in a leap year
        (D(2019, 8, 31), 6, D(2020, 2, 29)),  # 31 Aug + 6 months = 29 Feb (leap)
        (D(2018, 8, 31), 6, D(2019, 2, 28)),  # 31 Aug + 6 months = 28 Feb
        (D(2020, 2, 29), 12, D(2021, 2, 28)),  # 29 Feb + a year: no 29 Feb in 2021
        (D(2020, 2, 29), 24, D(2022, 2, 28)),
        (D(2020, 2, 29), 48, D(2024, 2, 29)),
        (D(2019, 3, 31), 6, D(2019, 9, 30)),
        (D(2019, 5, 15), 24, D(2021, 5, 15)),
        (D(2019, 12, 31), 12, D(2020, 12, 31)),  # over the turn of a year
    ],
)
def test_measure_day_adds_calendar_months_clamped_to_the_months_end(end, months, expected):
    assert rules.measure_day(end, months) == expected


def test_a_measure_day_is_due_only_once_it_lies_in_the_past():
    end = D(2020, 1, 15)
    assert rules.is_due(end, 6, today=D(2020, 7, 16))
    assert not rules.is_due(end, 6, today=D(2020, 7, 15))  # the day itself: not yet known
    assert not rules.is_due(end, 24, today=D(2021, 1, 1))


HISTORY = (
    [D(2019, 1, 1), D(2019, 6, 1), D(2020, 2, 29)],
    ["unemployed", "training", "employed"],
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2018, 12, 31), None),  # before the first event: unknown
        (D(2019, 1, 1), "unemployed"),  # an event holds from its own date
        (D(2019, 5, 31), "unemployed"),
        (D(2019, 6, 1), "training"),
        (D(2020, 2, 28), "training"),
        (D(2020, 2, 29), "employed"),
        (D(2030, 1, 1), "employed"),  # holds until the next event, however long
    ],
)
def test_status_on_a_day_is_the_latest_event_on_or_before_it(day, expected):
    assert rules.status_on(*HISTORY, day) == expected


def test_no_events_means_unknown():
    assert rules.status_on([], [], D(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("status", "out", "work"),
    [
        ("employed", True, True),
        ("employed_social_economy", True, True),
        ("self_employed", True, True),
        ("training", True, False),
        ("inactive", True, False),
        ("sick_disabled", True, False),
        ("unemployed", False, False),
        ("jobseeker_no_benefit", False, False),
        ("leefloon", False, False),
    ],
)
def test_out_of_unemployment_and_into_work(status, out, work):
    assert rules.out_of_unemployment(status) is out
    assert rules.into_work(status) is work


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_interval_matches_published_values(successes, trials, low, high):
    interval = rules.wilson(successes, trials)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=5e-5)
    assert interval[1] == pytest.approx(high, abs=5e-5)


def test_wilson_needs_a_denominator_and_a_sensible_count():
    assert rules.wilson(0, 0) is None
    with pytest.raises(ValueError, match="successes"):
        rules.wilson(11, 10)
    assert rules.wilson(10, 10)[1] == pytest.approx(1.0)
    assert rules.wilson(10, 10)[0] == pytest.approx(0.7225, abs=5e-5)


def test_months_unemployed_before_the_start_follow_the_unbroken_spell():
    dates = [D(2016, 1, 1), D(2016, 6, 1), D(2017, 3, 10), D(2017, 9, 1)]
    statuses = ["employed", "unemployed", "leefloon", "jobseeker_no_benefit"]
    # Unemployed since 1 June 2016 (leefloon and job seeker without benefit continue it).
    assert rules.months_unemployed_before(dates, statuses, D(2018, 6, 1)) == 24
    assert rules.months_unemployed_before(dates, statuses, D(2018, 5, 31)) == 23
    assert rules.months_unemployed_before(dates, statuses, D(2016, 3, 1)) == 0  # employed
    assert rules.months_unemployed_before(dates, statuses, D(2015, 1, 1)) is None


def test_bands():
    assert rules.age_band(D(2000, 6, 2), D(2025, 6, 1)) == "<25"
    assert rules.age_band(D(2000, 6, 1), D(2025, 6, 1)) == "25–34"
    assert rules.age_band(D(1960, 1, 1), D(2020, 1, 1)) == "55+"
    assert rules.months_band(None) == "unknown"
    assert rules.months_band(11) == "<12"
    assert rules.months_band(24) == "24+"
    assert rules.reading_band(None) == "none"
    assert rules.reading_band(2.4) == "low"
    assert rules.reading_band(3.5) == "high"
