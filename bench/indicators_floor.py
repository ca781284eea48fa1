"""The NumPy floor of ``manage.py indicators``: the same work, hand-written, nothing else.

Run by ``bench_indicators.py`` in a fresh process, as the command is: reads the same CSV
(``household, age, income, weight, region``; ``,``-separated, one row per person) with NumPy's
C reader, computes the same figures — the modified-OECD equivalised size of each household, the
equivalised incomes, the weighted median, the threshold (60 % of it), the at-risk-of-poverty
rate overall and per region with each region's persons, households and weighted population —
and writes them as JSON to stdout. No Django, no checks beyond what NumPy does while parsing:
the least any implementation must do. Not a ``bench_*.py`` file: ``make bench`` runs it only
through ``bench_indicators.py``.

    .venv/bin/python bench/indicators_floor.py persons.csv
"""

from __future__ import annotations

import json
import sys

import numpy as np

# The rules of tandem.screening.indicators (Eurostat), written out again here on purpose.
FIRST_ADULT, OTHER_ADULT, CHILD, ADULT_AGE = 10, 5, 3, 14  # tenths: 1, 0.5, 0.3
AROP_SHARE = 0.6
TIE_RTOL = 1e-9


def codes(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ids and each row's code: a 64-bit hash of the UTF-32 code units made unique
    (a sort of integers, far cheaper than one of strings), checked for collisions."""
    units = np.ascontiguousarray(ids).view(np.uint32).reshape(ids.size, -1)
    hashed = np.zeros(ids.size, np.uint64)
    for k in range(units.shape[1]):
        hashed = hashed * np.uint64(1_000_003) + units[:, k]
    _, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    names = ids[first]
    if not (names[inverse] == ids).all():
        names, inverse = np.unique(ids, return_inverse=True)
    return names, inverse.reshape(-1)


def main(path: str) -> None:
    options = {"delimiter": ",", "skiprows": 1, "comments": None, "ndmin": 2}
    numbers = np.loadtxt(path, usecols=(1, 2, 3), dtype=np.float64, **options)
    ids = np.loadtxt(path, usecols=(0, 4), dtype=str, **options)
    age, income, weight = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    _, household = codes(ids[:, 0])
    regions, region = codes(ids[:, 1])

    members = np.bincount(household)
    adults = np.bincount(household, weights=age >= ADULT_AGE, minlength=members.size)
    adults = adults.astype(np.int64)
    children = members - adults
    tenths = np.where(
        adults > 0,
        FIRST_ADULT + OTHER_ADULT * (adults - 1) + CHILD * children,
        FIRST_ADULT + CHILD * (children - 1),
    )
    equivalised = income / (tenths / 10)[household]

    order = np.argsort(equivalised, kind="stable")
    cumulative = np.cumsum(weight[order])
    total = float(cumulative[-1])
    half, tolerance = total / 2, TIE_RTOL * total
    j = int(np.searchsorted(cumulative, half - tolerance, side="left"))
    median = float(equivalised[order[j]])
    if cumulative[j] <= half + tolerance:
        median = (median + float(equivalised[order[j + 1]])) / 2
    threshold = AROP_SHARE * median
    at_risk = equivalised < threshold

    weighted = np.bincount(region, weights=weight, minlength=regions.size)
    weighted_at_risk = np.bincount(region[at_risk], weights=weight[at_risk], minlength=regions.size)
    persons = np.bincount(region, minlength=regions.size)
    pairs = np.unique(region * np.int64(members.size) + household)
    households = np.bincount(pairs // members.size, minlength=regions.size)
    figures = {
        "persons": int(household.size),
        "households": int(members.size),
        "weighted_population": float(weight.sum()),
        "median": median,
        "threshold": threshold,
        "arop_rate": 100 * float(weight[at_risk].sum()) / float(weight.sum()),
        "by_detail": {
            str(name): {
                "persons": int(persons[k]),
                "households": int(households[k]),
                "weighted_population": float(weighted[k]),
                "arop_rate": 100 * float(weighted_at_risk[k] / weighted[k]),
            }
            for k, name in enumerate(regions.tolist())
        },
    }
    sys.stdout.write(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
