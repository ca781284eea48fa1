"""Turn each trajectory's stored next-contact date into a planned contact (issue 18, agenda):
the next contact is from now on the earliest planned contact, never a second copy.

The old field held only a date: the planned contact gets 09:00 (the start of an office day,
shown in the agenda so the mediator can move it) and the kind of the trajectory's latest
contact (a note aside), else an office visit; its author is the lead mediator. Closed
trajectories had theirs cleared on closing and get none. Reversed, the earliest planned
contact's date goes back into the field."""

import datetime as dt

from django.db import migrations

DEFAULT_TIME = dt.time(9, 0)


def forwards(apps, schema_editor):
    Trajectory = apps.get_model("trajectories", "Trajectory")
    Contact = apps.get_model("trajectories", "Contact")
    planned = []
    for t in (
        Trajectory.objects.filter(next_contact_on__isnull=False)
        .exclude(status="closed")
        .only("pk", "next_contact_on", "lead_mediator_id")
        .iterator(chunk_size=2000)
    ):
        last_kind = (
            Contact.objects.filter(trajectory_id=t.pk)
            .exclude(kind="note")
            .order_by("-on", "-pk")
            .values_list("kind", flat=True)
            .first()
        )
        planned.append(
            Contact(
                trajectory_id=t.pk,
                kind=last_kind or "office",
                status="planned",
                on=t.next_contact_on,
                at=DEFAULT_TIME,
                author_id=t.lead_mediator_id,
            )
        )
        if len(planned) >= 2000:
            Contact.objects.bulk_create(planned)
            planned = []
    Contact.objects.bulk_create(planned)


def backwards(apps, schema_editor):
    Trajectory = apps.get_model("trajectories", "Trajectory")
    Contact = apps.get_model("trajectories", "Contact")
    for c in Contact.objects.filter(status="planned").order_by("trajectory_id", "on", "at"):
        Trajectory.objects.filter(pk=c.trajectory_id, next_contact_on__isnull=True).update(
            next_contact_on=c.on
        )
    Contact.objects.filter(status="planned").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0008_contact_planning"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
