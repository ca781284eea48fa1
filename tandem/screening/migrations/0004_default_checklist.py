"""The default Dutch signal checklist (knipperlichtenlijst), version 1, covering every life
domain. Administrators change it by making a new version in the admin."""

from django.db import migrations

from tandem.screening.defaults import load_default_checklist


def load(apps, schema_editor):
    load_default_checklist(apps)


def unload(apps, schema_editor):
    apps.get_model("screening", "ChecklistVersion").objects.filter(
        version=1, screenings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_signal_checklist_and_screenings")]
    operations = [migrations.RunPython(load, unload)]
