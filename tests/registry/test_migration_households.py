"""The data migration that gives persons without a household (imported before the import made
one) a household of their own, as registering does."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from tandem.registry.models import Household, HouseholdMember, Person
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "tandem.registry.migrations.0008_households_for_persons_without_one"
)


def test_a_person_without_a_household_gets_one_and_others_keep_theirs(client):
    mediator = make_user("mediator")
    registered = make_person(mediator, first_name="Sara")
    orphan = make_person(mediator, first_name="Jan")
    old_household = orphan.household
    Person.objects.filter(pk=orphan.pk).update(household=None)
    old_household.members.all().delete()
    old_household.delete()
    kept = registered.household_id

    migration.households_for_persons_without_one(apps, SimpleNamespace(connection=connection))

    orphan.refresh_from_db()
    registered.refresh_from_db()
    assert registered.household_id == kept
    assert orphan.household is not None
    assert orphan.household.organisation_id == orphan.organisation_id
    assert list(
        HouseholdMember.objects.filter(household=orphan.household).values_list(
            "person_id", "relation", "first_name", "birth_date"
        )
    ) == [(orphan.pk, "self", "Jan", orphan.birth_date)]
    assert not Person.objects.filter(household__isnull=True).exists()
    # Run again: nothing left to do, nothing doubled.
    households = Household.objects.count()
    migration.households_for_persons_without_one(apps, SimpleNamespace(connection=connection))
    assert Household.objects.count() == households

    client.force_login(mediator)
    url = reverse("registry:household_edit", kwargs={"public_id": orphan.public_id})
    assert client.get(url).status_code == 200
