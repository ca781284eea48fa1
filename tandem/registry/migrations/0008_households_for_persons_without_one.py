"""Give every person without a household one of their own (data migration).

Before the legacy trajectory import created households (registry.persons_bulk_create), the
persons it brought in had none, and their file's "edit household" link led to a 404. This
gives each of them what ``person_create`` gives every person: a household of the person's
organisation in which they are the reference member. Nothing else about them changes.
"""

from django.db import migrations

BATCH = 2000


def households_for_persons_without_one(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Household = apps.get_model("registry", "Household")
    HouseholdMember = apps.get_model("registry", "HouseholdMember")
    alias = schema_editor.connection.alias
    while True:
        persons = list(
            Person.objects.using(alias)
            .filter(household__isnull=True)
            .order_by("pk")
            .only("pk", "organisation_id", "first_name", "birth_date")[:BATCH]
        )
        if not persons:
            return
        households = Household.objects.using(alias).bulk_create(
            [Household(organisation_id=p.organisation_id) for p in persons]
        )
        for person, household in zip(persons, households, strict=True):
            person.household = household
        Person.objects.using(alias).bulk_update(persons, ["household"])
        HouseholdMember.objects.using(alias).bulk_create(
            HouseholdMember(
                household=p.household,
                person=p,
                relation="self",
                first_name=p.first_name,
                birth_date=p.birth_date,
            )
            for p in persons
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_person_benefit_nationality_unknown_default"),
    ]

    operations = [
        migrations.RunPython(households_for_persons_without_one, migrations.RunPython.noop),
    ]
