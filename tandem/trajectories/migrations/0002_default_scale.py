"""The default measurement scale: an open five-level self-sufficiency scale (DOMAIN.md §4)."""

from django.db import migrations

from tandem.trajectories.defaults import DEFAULT_SCALE_CODE, load_default_scale


def load(apps, schema_editor):
    load_default_scale(apps)


def unload(apps, schema_editor):
    apps.get_model("trajectories", "Scale").objects.filter(
        code=DEFAULT_SCALE_CODE, assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_trajectories_plan_measurement_pop_jobcoaching")]
    operations = [migrations.RunPython(load, unload)]
