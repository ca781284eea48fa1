"""Erase or pseudonymise what has passed its retention period (settings.TANDEM_RETENTION).

Run it daily (cron or a systemd timer). ``--dry-run`` changes nothing and reports the same
counts; ``--today`` evaluates the periods as on another day (to check what a date will bring).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.common.privacy_hooks import PERIOD_LABELS
from tandem.privacy.retention import retention_apply


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Erase case content and screenings, and pseudonymise persons and access-log rows, "
        "whose retention period has passed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; change nothing."
        )
        parser.add_argument(
            "--today", type=str, default=None, help="Evaluate as on this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else None
        report = retention_apply(acting_user=None, today=today, dry_run=options["dry_run"])
        mode = "dry run, nothing changed" if report.dry_run else "applied"
        self.stdout.write(f"Retention on {report.today.isoformat()} ({mode}).")
        for period, years in report.periods.items():
            self.stdout.write(
                f"  {PERIOD_LABELS[period]}: {years} years — "
                f"{report.due[period]} persons past the period"
            )
        width = max((len(key) for key, _label, _n in report.lines()), default=0)
        for key, label, n in report.lines():
            self.stdout.write(f"  {key.ljust(width)}  {n:>8}  {label}")
        self.stdout.write(f"Total rows: {report.total}; persons affected: {len(report.persons)}.")
