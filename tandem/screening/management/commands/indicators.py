"""Compute the at-risk-of-poverty threshold and rate of a population from a CSV of persons.

One row per person; the figures follow Eurostat's EU-SILC definitions (DOMAIN.md §6) and come
from ``tandem.screening.batch``. JSON (or a small CSV) goes to stdout and progress to stderr.

Incomes are yearly unless ``--period month``: survey microdata (EU-SILC, the laeken sample)
records yearly incomes. The period matters only to convert an official (monthly) threshold.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.common.exports import csv_writer
from tandem.screening.batch import (
    BatchInputError,
    Columns,
    Summary,
    read_population,
    summarise,
    write_per_person,
)
from tandem.screening.selectors import (
    poverty_threshold_for_survey_year,
    poverty_threshold_survey_years,
)

PROGRESS_EVERY = 200_000


class Command(BaseCommand):
    help = (
        "At-risk-of-poverty threshold and rate (Eurostat definitions) of a CSV with one row "
        "per person."
    )
    # A computation over a file: Django's system checks (about 1.2 s of the start-up) belong to
    # `manage.py check`, the server and CI, not to each run of a batch.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV, UTF-8 (BOM optional), ',' or ';'")
        parser.add_argument("--household", required=True, help="column of the household id")
        parser.add_argument("--age", required=True, help="column of the age in years")
        income = parser.add_mutually_exclusive_group(required=True)
        income.add_argument(
            "--income",
            help="column of the household net disposable income, the same on each member's row",
        )
        income.add_argument(
            "--equivalised-income", help="column of the equivalised disposable income"
        )
        parser.add_argument("--weight", help="column of the personal weight (default 1)")
        parser.add_argument("--by", help="column to break the rate down by")
        parser.add_argument(
            "--threshold",
            default="computed",
            help="'computed' (60%% of the weighted median, the default), 'official:YEAR' "
            "(Statbel, survey year) or an amount in the period of the incomes",
        )
        parser.add_argument(
            "--period",
            choices=["year", "month"],
            default="year",
            help="period of the incomes (default: year, as in EU-SILC microdata)",
        )
        parser.add_argument("--per-person-out", type=Path, help="write per-person figures here")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold, source = self._threshold(options["threshold"], options["period"])
        income_column = options["income"] or options["equivalised_income"]
        columns = Columns(
            household=options["household"],
            age=options["age"],
            income=income_column,
            income_is_equivalised=options["income"] is None,
            weight=options["weight"],
            by=options["by"],
        )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        out: Path | None = options["per_person_out"]
        if out is not None and not out.parent.resolve().is_dir():
            raise CommandError(f"--per-person-out: the folder {out.parent} does not exist")
        reported = 0

        def progress(rows: int) -> None:
            nonlocal reported
            if rows // PROGRESS_EVERY > reported // PROGRESS_EVERY:
                # Plain text: Django would colour stderr as an error on a terminal.
                self.stderr.write(f"indicators: {rows:,} rows read", style_func=str)
            reported = rows

        try:
            population = read_population(path, columns, progress=progress)
        except BatchInputError as error:
            raise CommandError(f"{path}: {error}") from None
        summary, per_person = summarise(population, threshold)
        if out is not None:
            try:
                write_per_person(population, per_person, out)
            except OSError as error:
                raise CommandError(f"--per-person-out: cannot write {out}: {error}") from None
        figures = _figures(summary, options, source)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False, allow_nan=False))
        else:
            self._write_csv(summary, options)

    def _threshold(self, spec: str, period: str) -> tuple[float | None, str]:
        """Return the threshold in the incomes' period (None = computed) and its source."""
        if spec == "computed":
            return None, "computed: 60% of the weighted median"
        if spec.startswith("official:"):
            year_text = spec.removeprefix("official:")
            if not year_text.isdigit():
                raise CommandError(f"--threshold {spec}: the year must be a number, e.g. 2024")
            official = poverty_threshold_for_survey_year(int(year_text))
            if official is None:
                known = poverty_threshold_survey_years()
                raise CommandError(
                    f"--threshold {spec}: no official threshold for survey year {year_text}; "
                    f"known years: {', '.join(map(str, known)) or 'none'}"
                )
            monthly = float(official.single_monthly)
            factor = 12 if period == "year" else 1
            return monthly * factor, (
                f"official: Statbel EU-SILC survey year {official.survey_year} "
                f"(income year {official.income_year}), {monthly:.2f} EUR/month"
                + (" × 12" if factor == 12 else "")
            )
        try:
            amount = float(spec)
        except ValueError:
            amount = math.nan
        if not math.isfinite(amount) or amount <= 0:
            raise CommandError(
                f"--threshold {spec!r}: use 'computed', 'official:YEAR' or a positive amount"
            )
        return amount, "given"

    def _write_csv(self, summary: Summary, options: dict[str, Any]) -> None:
        writer = csv_writer(self.stdout, lineterminator="\n")
        writer.writerow(
            [
                "scope",
                "group",
                "persons",
                "households",
                "weighted_population",
                "median",
                "threshold",
                "arop_rate",
            ]
        )
        writer.writerow(
            [
                "all",
                "",
                summary.persons,
                summary.households,
                summary.weighted_population,
                summary.median,
                summary.threshold,
                summary.arop_rate,
            ]
        )
        for name, group in summary.by.items():
            writer.writerow(
                [
                    options["by"],
                    name,
                    group.persons,
                    group.households,
                    group.weighted_population,
                    "",
                    summary.threshold,
                    "" if math.isnan(group.arop_rate) else group.arop_rate,
                ]
            )


def _number(value: float) -> float | None:
    """A group whose weights are all zero has no rate: null in JSON (NaN is not JSON)."""
    return None if math.isnan(value) else value


def _figures(summary: Summary, options: dict[str, Any], source: str) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "persons": summary.persons,
        "households": summary.households,
        "weighted_population": summary.weighted_population,
        "period": options["period"],
        "median": summary.median,
        "threshold": summary.threshold,
        "threshold_source": source,
        "arop_rate": summary.arop_rate,
    }
    if options["by"]:
        figures["by"] = {name: _number(group.arop_rate) for name, group in summary.by.items()}
        figures["by_detail"] = {
            name: {
                "persons": group.persons,
                "households": group.households,
                "weighted_population": group.weighted_population,
                "arop_rate": _number(group.arop_rate),
            }
            for name, group in summary.by.items()
        }
    return figures
