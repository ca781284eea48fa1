"""Generate Flanders-sized data for measuring (issue 20): ``manage.py generate_scale
--persons N``. COPY on PostgreSQL, batched inserts on SQLite; deterministic for --seed.
Refuses to run with production settings."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Generate realistic data at any size (persons, trajectories, plans, access log...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="How many persons.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--access-per-person",
            type=int,
            default=10,
            help="Access-log rows per person (default 10).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "TANDEM_ENVIRONMENT", "") == "production":
            raise CommandError("generate_scale refuses to run with production settings.")
        if options["persons"] < 1:
            raise CommandError("--persons must be 1 or more.")
        if options["access_per_person"] < 0:
            raise CommandError("--access-per-person must be 0 or more.")
        from tandem.demo.scale.generate import generate

        self.stdout.write(f"Generating {options['persons']:,} persons (seed {options['seed']})")
        figures = generate(
            persons=options["persons"],
            seed=options["seed"],
            access_per_person=options["access_per_person"],
            write=self.stdout.write,
        )
        from tandem.outcomes.services import refresh_outcomes

        self.stdout.write(f"Outcome table: {refresh_outcomes():,} ended trajectories measured")
        # Rows loaded by COPY come without planner statistics, and autovacuum may be off or
        # late: without them PostgreSQL plans every page for empty tables (the caseload took
        # 3.6 s instead of 0.1 s at 100 k persons). SQLite's planner reads them too.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"ANALYZE: {time.perf_counter() - started:.1f} s")
        rate = figures.rows / figures.seconds if figures.seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"{figures.rows:,} rows in {figures.seconds:.1f} s ({rate:,.0f} rows/s)."
            )
        )
