"""Run the data-quality checks of the outcomes app (``tandem.outcomes.quality.checks``).

Prints the same findings as the page /outcomes/quality/ (no person: record references, types,
dates, provinces) and exits with code 1 when any check finds something, 0 when all are clean,
so it can run in cron or CI after an import.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tandem.common.disclosure import publishes
from tandem.outcomes.quality.checks import QualityReport, run_checks


class Command(BaseCommand):
    help = (
        "Check the data outcome measurement reads (yearly starts, imported trajectories, "
        "status events). Exits with 1 when something is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--threshold",
            type=int,
            default=None,
            help="hide start counts below this (default: TANDEM_DISCLOSURE_THRESHOLD; 1 hides "
            "none, for whoever fixes the source)",
        )

    @publishes("Data-quality findings: yearly starts per type that jump (text, JSON)")
    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["threshold"]
        if limit is not None and limit < 1:
            raise CommandError("--threshold must be 1 or more")
        report = run_checks(timezone.localdate(), limit)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_text(report))
        if report.total:
            raise SystemExit(1)


def _text(report: QualityReport) -> str:
    lines = [
        ngettext(
            "Data quality on %(day)s: %(n)s finding.",
            "Data quality on %(day)s: %(n)s findings.",
            report.total,
        )
        % {"day": report.today.isoformat(), "n": report.total}
    ]
    for check in report.checks:
        lines.append("")
        lines.append(f"== {check.title}: {check.total}")
        if check.note:
            lines.append(str(check.note))
        if not check.total:
            continue
        headings = [str(h) for _k, h in check.columns]
        for cells in check.cells():
            lines.append(
                "- " + "; ".join(f"{h}: {c}" for h, c in zip(headings, cells, strict=True))
            )
        if check.more:
            lines.append(gettext("… and %(n)s more") % {"n": check.more})
    return "\n".join(lines)
