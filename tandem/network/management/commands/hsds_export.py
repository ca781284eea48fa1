"""Export the services directory as Open Referral HSDS: a tabular data package (``--format
csv``: datapackage.json and one CSV per resource, with the HSDS example's column names) or
HSDS JSON documents (``--format json``: one file per type, each a list of objects).

Ids are the directory's own (an organisation's ``hsds_id``, the others' primary keys), so an
export imported elsewhere and exported again carries the same ids.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.network.directory import hsds
from tandem.network.directory.selectors import directory_export_data


class Command(BaseCommand):
    help = "Write the services directory as an HSDS tabular data package or as HSDS JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder to write (made if missing)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a folder.")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot make {directory}: {exc}") from None
        data = directory_export_data()
        written: dict[str, int] = {}
        if options["format"] == "csv":
            tables = hsds.export_tables(data)
            for spec, rows in tables.items():
                (directory / spec.path).write_text(hsds.write_csv(rows, spec), encoding="utf-8")
                written[spec.path] = len(rows)
            descriptor = hsds.datapackage_descriptor(tables)
            (directory / "datapackage.json").write_text(
                json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        else:
            for name, documents in hsds.export_documents(data).items():
                (directory / name).write_text(
                    json.dumps(documents, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
                written[name] = len(documents)
        self.stdout.write(f"Exported to {directory} ({options['format']}):")
        for name, count in written.items():
            self.stdout.write(f"  {name}: {count}")
