"""The official Belgian thresholds of DOMAIN.md §6 (Statbel, EU-SILC), euro per month."""

from django.db import migrations

from tandem.screening.defaults import OFFICIAL_THRESHOLDS, load_official_thresholds


def load(apps, schema_editor):
    load_official_thresholds(apps)


def unload(apps, schema_editor):
    apps.get_model("screening", "PovertyThreshold").objects.filter(
        survey_year__in=OFFICIAL_THRESHOLDS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_poverty_thresholds")]
    operations = [migrations.RunPython(load, unload)]
