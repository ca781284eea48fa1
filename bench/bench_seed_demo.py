"""Benchmark the first minutes of a newcomer: what `make demo` does before the server starts.

Runs ``manage.py migrate`` and ``manage.py seed_demo --seed 2026 --persons 1000`` as `make demo`
does (local settings), on a throwaway SQLite file, and times each step: wall clock and the CPU
the two processes used (on a shared machine the CPU time is the steadier figure).

Goal: migrate + seed of 1,000 persons in under 60 s (`make demo` reaches "serving" within a
minute once the venv is installed). Exit status 1 when missed.
Run with ``make bench`` or ``.venv/bin/python bench/bench_seed_demo.py [--persons N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_PERSONS = 1000
GOAL_SECONDS = 60.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and the output of ``manage.py <args>``."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return wall, _children_cpu() - cpu, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=GOAL_PERSONS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
        }
        migrate_wall, migrate_cpu, _ = _run(["migrate", "--noinput"], env)
        print(f"migrate: {migrate_wall:.1f} s (CPU {migrate_cpu:.1f} s)")
        seed_wall, seed_cpu, out = _run(
            ["seed_demo", "--seed", "2026", "--persons", str(args.persons)], env
        )
        print(f"seed_demo --persons {args.persons}: {seed_wall:.1f} s (CPU {seed_cpu:.1f} s)")
        for line in out.splitlines():
            if line.startswith(("  trajectories", "  group work", "Demo data ready")):
                print(f"    {line.strip()}")
    total = migrate_wall + seed_wall
    print(f"migrate + seed: {total:.1f} s (CPU {migrate_cpu + seed_cpu:.1f} s)")
    ok = args.persons < GOAL_PERSONS or total < GOAL_SECONDS
    print(
        f"{'PASS' if ok else 'FAIL'}: goal migrate + seed of {GOAL_PERSONS:,} persons "
        f"in < {GOAL_SECONDS:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
