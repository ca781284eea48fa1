"""The official Belgian thresholds of DOMAIN.md §6 (Statbel, EU-SILC), euro per month."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

# survey year: (single, 2 adults + 2 children or None)
THRESHOLDS = {
    2016: ("1115", "2341"),
    2018: ("1187", "2493"),
    2020: ("1284", None),
    2021: ("1293", "2715"),
    2022: ("1366", "2868"),
    2023: ("1450", "3045"),
    2024: ("1520", "3191"),
}


def load(apps, schema_editor):
    PovertyThreshold = apps.get_model("screening", "PovertyThreshold")
    for year, (single, family) in THRESHOLDS.items():
        PovertyThreshold.objects.update_or_create(
            survey_year=year,
            defaults={
                "income_year": year - 1,
                "single_monthly": Decimal(single),
                "couple_two_children_monthly": Decimal(family) if family else None,
                # Statbel publishes a survey year's figures in the following year.
                "valid_from": dt.date(year, 1, 1),
                "source": "Statbel, EU-SILC",
            },
        )


def unload(apps, schema_editor):
    apps.get_model("screening", "PovertyThreshold").objects.filter(
        survey_year__in=THRESHOLDS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_poverty_thresholds")]
    operations = [migrations.RunPython(load, unload)]
