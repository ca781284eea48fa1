"""Benchmark the poverty-indicator batch: 1 M persons, CSV to JSON, against its NumPy floor.

Generates a deterministic population (households of 1–6 members, shuffled so households are
not contiguous) into a temporary CSV, then times

  (a) the floor: NumPy over preloaded arrays (equivalised sizes, weighted median, rate);
  (b) the full ``manage.py indicators`` command end to end, in a fresh process (CSV → JSON);
  (c) the same with ``--per-person-out`` (for information; not part of the goal).

Goal: at least 1 M persons in under 10 s end to end. Exit status 1 when the goal is missed.
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


def floor(population: dict[str, np.ndarray]) -> tuple[float, float]:
    """Time the array work alone; return (seconds, rate)."""
    start = time.perf_counter()
    sizes = batch.equivalised_sizes(population["household"], population["age"])
    incomes = population["income"] / sizes
    median = batch.weighted_median(incomes, population["weight"])
    rate = batch.poverty_rate(incomes, population["weight"], 0.6 * median)
    return time.perf_counter() - start, rate


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
        floor_seconds, floor_rate = min(floor(population) for _ in range(3))
        print(f"  (a) floor, NumPy on preloaded arrays: {floor_seconds:6.3f} s")
        end_to_end, figures = min((command(path) for _ in range(3)), key=lambda r: r[0])
        if abs(float(figures["arop_rate"]) - floor_rate) > 1e-9:  # type: ignore[arg-type]
            print(f"  MISMATCH: command rate {figures['arop_rate']} vs floor {floor_rate}")
            return 1
        print(f"  (b) command end to end, CSV → JSON:  {end_to_end:6.3f} s")
        print(f"      ratio end to end / floor:        {end_to_end / floor_seconds:6.1f} ×")
        out = Path(folder) / "per_person.csv"
        with_out, _ = command(path, "--per-person-out", str(out))
        print(f"  (c) with --per-person-out:           {with_out:6.3f} s (information)")
        print(f"      persons per second end to end:   {persons / end_to_end:,.0f}")
    passed = persons >= GOAL_PERSONS and end_to_end < GOAL_SECONDS
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict}: goal ≥ {GOAL_PERSONS:,} persons in < {GOAL_SECONDS:.0f} s end to end")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
