"""Rebuild the outcome table (``outcomes.TrajectoryOutcome``) from the trajectories, readings
and status events: ``manage.py refresh_outcomes``. Also fit for a scheduled (nightly) run; the
imports and the trajectory services keep it current in between."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tandem.outcomes.services import refresh_outcomes


class Command(BaseCommand):
    help = "Rebuild the per-trajectory outcome table that the outcome figures count."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = refresh_outcomes()
        self.stdout.write(
            f"{written} ended trajectories measured in {time.perf_counter() - started:.1f} s"
        )
