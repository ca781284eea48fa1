"""Print the outflow table: ``manage.py outcomes_report --months 24 --by type,group_work``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tandem.common.disclosure import HIDDEN, publishes, threshold
from tandem.common.exports import write_csv
from tandem.outcomes.figures import outflow_counts
from tandem.outcomes.importing.csv import parse_date
from tandem.outcomes.outflow import DIMENSIONS, as_records, publish
from tandem.outcomes.rules import MEASURE_MONTHS


def _date(value: str) -> dt.date:
    """The same date forms the imports accept: ISO or dd/mm/yyyy."""
    day = parse_date(value.strip())
    if day is None:
        raise CommandError(f"not a date (use 2019-12-31 or 31/12/2019): {value!r}")
    return day


class Command(BaseCommand):
    help = (
        "Outflow out of unemployment and into work at +N months after the end of the "
        "trajectories that ended in a period, with disclosure control."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=24, choices=MEASURE_MONTHS)
        parser.add_argument("--ended-from", type=_date, help="first end date (inclusive)")
        parser.add_argument("--ended-to", type=_date, help="last end date (inclusive)")
        parser.add_argument(
            "--by",
            default="",
            help=f"breakdown, comma-separated: {', '.join(DIMENSIONS)} (grouped together)",
        )
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--threshold",
            type=int,
            default=None,
            help="hide counts below this (default: TANDEM_DISCLOSURE_THRESHOLD; 1 hides none)",
        )

    @publishes("Outflow at +N months by breakdown (JSON, CSV)")
    def handle(self, *args: Any, **options: Any) -> None:
        by = tuple(part.strip() for part in options["by"].split(",") if part.strip())
        unknown = [part for part in by if part not in DIMENSIONS]
        if unknown:
            raise CommandError(
                f"--by: unknown breakdown {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}"
            )
        ended_from, ended_to = options["ended_from"], options["ended_to"]
        if ended_from and ended_to and ended_to < ended_from:
            raise CommandError("--ended-to lies before --ended-from")
        limit = options["threshold"] if options["threshold"] is not None else threshold()
        if limit < 1:
            raise CommandError("--threshold must be 1 or more")
        today = timezone.localdate()
        table = outflow_counts(
            today=today, months=options["months"], by=by, ended_from=ended_from, ended_to=ended_to
        )
        records = as_records(table, publish(table, limit))
        if options["format"] == "json":
            document = {
                "months": options["months"],
                "ended_from": ended_from.isoformat() if ended_from else None,
                "ended_to": ended_to.isoformat() if ended_to else None,
                "measured_on": today.isoformat(),
                "by": list(by),
                "disclosure_threshold": limit,
                "rows": records[:-1],
                "total": records[-1],
            }
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        write_csv(
            (
                {
                    key: " ".join(value)
                    if isinstance(value, list)
                    else (HIDDEN if key in record["suppressed"] else value)
                    for key, value in record.items()
                }
                for record in records
            ),
            list(records[-1]),
            self.stdout,
            lineterminator="\n",
        )
