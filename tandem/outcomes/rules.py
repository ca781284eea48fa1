"""Outcome rules as pure functions over plain data (DOMAIN.md §7, DESIGN.md habit 5).

A trajectory's end date starts the clock. At +N calendar months the person's labour-market
status on that day (the latest event dated on or before it) says whether they are out of
unemployment and whether they are in work.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence

from tandem.common.dates import add_months, age_on

from .models import LabourStatus

MEASURE_MONTHS = (6, 12, 24)

# Out of unemployment: any status except these three.
UNEMPLOYED_STATUSES = frozenset(
    {LabourStatus.UNEMPLOYED, LabourStatus.JOBSEEKER_NO_BENEFIT, LabourStatus.LEEFLOON}
)
# Into work: employed (regular or social economy) or self-employed.
WORK_STATUSES = frozenset(
    {LabourStatus.EMPLOYED, LabourStatus.EMPLOYED_SOCIAL_ECONOMY, LabourStatus.SELF_EMPLOYED}
)

# z for a two-sided 95 % interval.
Z_95 = 1.959963984540054


def measure_day(end: dt.date, months: int) -> dt.date:
    """The day on which a trajectory that ended on ``end`` is measured at +``months``."""
    return add_months(end, months)


def is_due(end: dt.date, months: int, today: dt.date) -> bool:
    """Whether the +N day lies in the past, so the status on it can be known."""
    return measure_day(end, months) < today


def status_on(dates: Sequence[dt.date], statuses: Sequence[str], day: dt.date) -> str | None:
    """The status on ``day``: that of the latest event dated on or before it, or None.

    ``dates`` is sorted ascending and ``statuses`` runs parallel to it.
    """
    index = bisect.bisect_right(dates, day)
    return statuses[index - 1] if index else None


def out_of_unemployment(status: str) -> bool:
    return status not in UNEMPLOYED_STATUSES


def into_work(status: str) -> bool:
    return status in WORK_STATUSES


def months_unemployed_before(
    dates: Sequence[dt.date], statuses: Sequence[str], start: dt.date
) -> int | None:
    """Whole months of the unbroken unemployment spell that runs into ``start`` (0 when the
    person was not unemployed on the start day), or None when no status is known then."""
    index = bisect.bisect_right(dates, start)
    if not index:
        return None
    if statuses[index - 1] not in UNEMPLOYED_STATUSES:
        return 0
    first = index - 1
    while first > 0 and statuses[first - 1] in UNEMPLOYED_STATUSES:
        first -= 1
    since = dates[first]
    return (start.year - since.year) * 12 + start.month - since.month - (start.day < since.day)


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a share (Wilson 1927; Newcombe 1998), or None for n=0.

    Unlike the textbook p ± z·√(p(1−p)/n) it stays within 0–1 and behaves with small counts
    and shares near 0 or 1, which is what outflow of small groups gives.
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and trials")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


AGE_BANDS = ((25, "<25"), (35, "25–34"), (45, "35–44"), (55, "45–54"))


def age_band(birth: dt.date, day: dt.date) -> str:
    """The age band at ``day`` (the start of the trajectory, as ESF+ counts age at entry)."""
    age = age_on(birth, day)
    for limit, label in AGE_BANDS:
        if age < limit:
            return label
    return "55+"


def months_band(months: int | None) -> str:
    """Months unemployed before the start, banded for the comparison."""
    if months is None:
        return "unknown"
    if months < 12:
        return "<12"
    if months < 24:
        return "12–23"
    return "24+"


def reading_band(mean_level: float | None) -> str:
    """The first self-sufficiency reading (mean ZRM level, 1–5) banded for the comparison."""
    if mean_level is None:
        return "none"
    if mean_level < 2.5:
        return "low"
    if mean_level < 3.5:
        return "middle"
    return "high"
