"""Migrate trajectories from a legacy system into ImportedTrajectory (see
tandem.outcomes.importing.trajectories for the columns).

Every row is checked first; one bad row means nothing is written and the command fails with a
line-numbered report. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from tandem.accounts.models import Organisation
from tandem.outcomes.importing import ImportRejected, import_trajectories


class Command(BaseCommand):
    help = "Import trajectories from a legacy system (CSV) into imported trajectories."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, separated by , or ;")
        parser.add_argument(
            "--organisation",
            default="",
            metavar="CODE",
            help="Owning organisation of new persons on rows without an organisation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        default_organisation = None
        if options["organisation"]:
            value = options["organisation"].strip()
            default_organisation = (
                Organisation.objects.filter(Q(code__iexact=value) | Q(name__iexact=value))
                .order_by("pk")
                .first()
            )
            if default_organisation is None:
                raise CommandError(f"--organisation: no organisation with code or name {value}")
        progress = None
        if options["verbosity"] > 0:

            def progress(rows: int) -> None:
                self.stderr.write(f"{rows:,} rows read")

        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                report = import_trajectories(
                    handle,
                    default_organisation=default_organisation,
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
