"""Import an Open Referral HSDS tabular data package into the services directory.

All or nothing: every problem in the package is reported with its file, line and column, and
then nothing is written. Rows are matched on their HSDS id, so importing the same package again
changes nothing; an updated package updates the entries in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.network.directory.hsds import HsdsPackageError
from tandem.network.directory.importing import directory_import

KIND_LABELS = {
    "organisations": gettext_lazy("organisations"),
    "taxonomies": gettext_lazy("taxonomies"),
    "taxonomy terms": gettext_lazy("taxonomy terms"),
    "locations": gettext_lazy("locations"),
    "services": gettext_lazy("services"),
    "services at locations": gettext_lazy("services at locations"),
}


class Command(BaseCommand):
    help = (
        "Import an HSDS tabular data package (datapackage.json + CSV files) into the services "
        "directory: organisations, services, locations (with their address), services at "
        "locations, taxonomies, taxonomy terms and the services' attributes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder holding datapackage.json")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the package and count what would change, then write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        dry_run: bool = options["dry_run"]
        try:
            result = directory_import(acting_user=None, directory=directory, dry_run=dry_run)
        except HsdsPackageError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem), style_func=str)
            raise CommandError(
                ngettext(
                    "%(n)s problem in %(dir)s: nothing was imported.",
                    "%(n)s problems in %(dir)s: nothing was imported.",
                    len(exc.problems),
                )
                % {"n": len(exc.problems), "dir": directory}
            ) from None
        heading = (
            _("Checked %(dir)s (dry run, nothing written):") if dry_run else _("Imported %(dir)s:")
        )
        self.stdout.write(heading % {"dir": directory})
        for kind, counts in result.counts.items():
            self.stdout.write(
                "  "
                + _("%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "kind": KIND_LABELS.get(kind, kind),
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        if result.warnings:
            self.stdout.write(_("Warnings (%(n)s):") % {"n": len(result.warnings)})
            for warning in result.warnings:
                self.stdout.write(f"  {warning}")
        if result.ignored:
            self.stdout.write(
                _("Not imported (Tandem does not hold these): %(files)s")
                % {"files": ", ".join(result.ignored)}
            )
