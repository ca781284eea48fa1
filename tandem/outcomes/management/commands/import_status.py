"""Import labour-market status events from a CSV (``insz, date, status[, source]``).

Every row is checked first; one bad row means nothing is written and the command fails with a
line-numbered report. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.outcomes.importing import ImportRejected, import_status


class Command(BaseCommand):
    help = "Import labour-market status events (insz, date, status[, source]) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, separated by , or ;")
        parser.add_argument(
            "--source",
            default="",
            help="Source of rows without a source column value (default: the file name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        progress = None
        if options["verbosity"] > 0:

            def progress(rows: int) -> None:
                self.stderr.write(f"{rows:,} rows read")

        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                report = import_status(
                    handle,
                    source_name=options["source"] or path.name,
                    file_name=path.name,
                    progress=progress,
                )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 ({exc.reason})") from exc
        except ImportRejected as exc:
            raise CommandError(exc.report()) from exc
        if options["verbosity"] > 0:
            self.stdout.write(report.summary())
