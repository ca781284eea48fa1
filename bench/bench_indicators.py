"""Benchmark the poverty-indicator batch: 1 M persons, CSV to JSON, against its NumPy floor.

Generates a deterministic population (households of 1–6 members, shuffled so households are
not contiguous) into a temporary CSV, then times, each the best of three runs

  (a) the floor: ``bench/indicators_floor.py`` in a fresh process — the same work written by
      hand in NumPy (read the same CSV with ``np.loadtxt``, equivalised sizes, weighted median,
      threshold, rate overall and per region, JSON to stdout), with no Django and no checks;
  (b) the full ``manage.py indicators`` command end to end, in a fresh process (CSV → JSON),
      whose figures must equal the floor's;
  (c) the same with ``--per-person-out`` (for information; not part of the goals);
  (i) the array work alone on preloaded arrays (for information).

Goals: the command at most 5× its floor (issue 20), and at least 1 M persons in under 10 s end
to end. Exit status 1 when a goal is missed.
Run with ``make bench`` or ``.venv/bin/python bench/bench_indicators.py [--persons N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from tandem.screening import batch  # noqa: E402

GOAL_PERSONS = 1_000_000
GOAL_SECONDS = 10.0
GOAL_RATIO = 5.0
FLOOR = ROOT / "bench" / "indicators_floor.py"
SEED = 20_260_101


def generate(persons: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """Return a population of about ``persons`` persons in shuffled household order."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, size=persons // 3 + 10)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), persons) + 1]
    household = np.repeat(np.arange(sizes.size), sizes)[:persons]
    position = np.arange(household.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)[:persons]
    # The first member is an adult; others are adults or children.
    age = np.where(position == 0, rng.integers(18, 90, persons), rng.integers(0, 90, persons))
    income = np.round(rng.lognormal(10.3, 0.6, sizes.size), 2)[household]
    weight = np.round(rng.uniform(100, 900, sizes.size), 4)[household]
    region = rng.integers(0, 5, sizes.size)[household]
    order = rng.permutation(household.size)
    return {
        "household": household[order],
        "age": age[order],
        "income": income[order],
        "weight": weight[order],
        "region": region[order],
    }


def write_csv(population: dict[str, np.ndarray], path: Path) -> None:
    columns = ["household", "age", "income", "weight", "region"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(columns) + "\n")
        for start in range(0, population["household"].size, 200_000):
            part = {c: population[c][start : start + 200_000].tolist() for c in columns}
            lines = (
                f"H{h},{a},{i},{w},R{r}\n"
                for h, a, i, w, r in zip(*(part[c] for c in columns), strict=True)
            )
            handle.writelines(lines)


def arrays_only(population: dict[str, np.ndarray]) -> tuple[float, float]:
    """Time the array work alone; return (seconds, rate)."""
    start = time.perf_counter()
    sizes = batch.equivalised_sizes(population["household"], population["age"])
    incomes = population["income"] / sizes
    median = batch.weighted_median(incomes, population["weight"])
    rate = batch.poverty_rate(incomes, population["weight"], 0.6 * median)
    return time.perf_counter() - start, rate


def floor(path: Path) -> tuple[float, dict[str, object]]:
    """Time the hand-written NumPy floor in a fresh process; return (seconds, its JSON)."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(FLOOR), str(path)], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def same_figures(command_figures: dict, floor_figures: dict) -> list[str]:  # type: ignore[type-arg]
    """Where the command and the floor disagree (relative 1e-9: the floor sums in another
    order); an empty list when they agree."""
    wrong = []
    for key in ("persons", "households", "weighted_population", "median", "threshold", "arop_rate"):
        if not np.isclose(command_figures[key], floor_figures[key], rtol=1e-9, atol=0):
            wrong.append(f"{key}: {command_figures[key]} vs {floor_figures[key]}")
    for name, detail in floor_figures["by_detail"].items():
        for key, value in detail.items():
            mine = command_figures["by_detail"][name][key]
            if not np.isclose(mine, value, rtol=1e-9, atol=0):
                wrong.append(f"{name} {key}: {mine} vs {value}")
    return wrong


def command(path: Path, *extra: str) -> tuple[float, dict[str, object]]:
    """Time the management command in a fresh process; return (seconds, its JSON)."""
    args = [sys.executable, str(ROOT / "manage.py"), "indicators", str(path)]
    args += ["--household", "household", "--age", "age", "--income", "income"]
    args += ["--weight", "weight", "--by", "region", *extra]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603
    return time.perf_counter() - start, json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=GOAL_PERSONS)
    persons = parser.parse_args().persons
    print(f"bench_indicators: {persons:,} persons, {os.cpu_count()} CPUs")
    population = generate(persons)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.csv"
        write_csv(population, path)
        print(f"  input CSV: {path.stat().st_size / 1e6:.1f} MB")
        floor_seconds, floor_figures = min((floor(path) for _ in range(3)), key=lambda r: r[0])
        print(f"  (a) floor, NumPy CSV → JSON:          {floor_seconds:6.3f} s")
        end_to_end, figures = min((command(path) for _ in range(3)), key=lambda r: r[0])
        wrong = same_figures(figures, floor_figures)
        if wrong:
            print("  MISMATCH between the command and the floor:", *wrong, sep="\n    ")
            return 1
        ratio = end_to_end / floor_seconds
        print(f"  (b) command end to end, CSV → JSON:  {end_to_end:6.3f} s (same figures)")
        print(f"      ratio command / floor:           {ratio:6.2f} ×  (goal ≤ {GOAL_RATIO:.0f} ×)")
        out = Path(folder) / "per_person.csv"
        with_out, _ = command(path, "--per-person-out", str(out))
        print(f"  (c) with --per-person-out:           {with_out:6.3f} s (information)")
        arrays, _ = min(arrays_only(population) for _ in range(3))
        print(f"  (i) array work on preloaded arrays:  {arrays:6.3f} s (information)")
        print(f"      persons per second end to end:   {persons / end_to_end:,.0f}")
    passed = persons >= GOAL_PERSONS and end_to_end < GOAL_SECONDS and ratio <= GOAL_RATIO
    verdict = "PASS" if passed else "FAIL"
    print(
        f"  {verdict}: goals ≤ {GOAL_RATIO:.0f} × the floor and ≥ {GOAL_PERSONS:,} persons in "
        f"< {GOAL_SECONDS:.0f} s end to end"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
