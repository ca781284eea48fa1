"""Reference data that ships with Tandem: the official poverty thresholds and the default
signal checklist. Loaded by data migrations (with the historical models) and available to
anything that must restore it, such as tests that flush the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

# EU-SILC survey year: (single person, 2 adults + 2 children or None), euro per month
# (Statbel; DOMAIN.md §6).
OFFICIAL_THRESHOLDS: dict[int, tuple[str, str | None]] = {
    2016: ("1115", "2341"),
    2018: ("1187", "2493"),
    2020: ("1284", None),
    2021: ("1293", "2715"),
    2022: ("1366", "2868"),
    2023: ("1450", "3045"),
    2024: ("1520", "3191"),
}


def load_official_thresholds(apps: Any) -> None:
    PovertyThreshold = apps.get_model("screening", "PovertyThreshold")
    for year, (single, family) in OFFICIAL_THRESHOLDS.items():
        PovertyThreshold.objects.update_or_create(
            survey_year=year,
            defaults={
                "income_year": year - 1,
                "single_monthly": Decimal(single),
                "couple_two_children_monthly": Decimal(family) if family else None,
                "valid_from": dt.date(year, 1, 1),
                "source": "Statbel, EU-SILC",
            },
        )


def load_default_checklist(apps: Any) -> None:
    from .default_signals import SIGNALS

    ChecklistVersion = apps.get_model("screening", "ChecklistVersion")
    Signal = apps.get_model("screening", "Signal")
    if ChecklistVersion.objects.filter(version=1).exists():
        return
    checklist = ChecklistVersion.objects.create(
        version=1,
        title="Knipperlichtenlijst",
        published_at=timezone.now(),
        notes="Eerste versie, met signalen in elk levensdomein.",
    )
    Signal.objects.bulk_create(
        Signal(
            checklist=checklist,
            domain=domain,
            code=code,
            question=question,
            help_text=help_text,
            weight=weight,
            mmpps=mmpps,
            order=index,
        )
        for index, (domain, code, question, help_text, weight, mmpps) in enumerate(SIGNALS)
    )
