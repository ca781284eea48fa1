"""A recorded disability is special-category data (GDPR art. 9): the person file shows it, and
the edit form offers it, only to the duo of one of the person's trajectories and to the worker
who registered the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.registry.models import Person
from tandem.trajectories.services import trajectory_start
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def test_only_the_duo_and_the_registering_worker_see_a_disability(client, organisation, mediator):
    person = make_person(mediator, first_name="Nadia")
    Person.objects.filter(pk=person.pk).update(disability="yes")
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    detail = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    edit = reverse("registry:person_edit", kwargs={"public_id": person.public_id})

    client.force_login(colleague)
    body = client.get(detail).content.decode()
    assert "alleen voor het duo" in body or "only for the duo" in body
    assert 'name="disability"' not in client.get(edit).content.decode()
    # Saving the form without the field keeps what is stored.
    trajectory_start(
        acting_user=colleague,
        person=person,
        type="w2",
        reason="test",
        status="active",
        start_date=dt.date.today() - dt.timedelta(days=3),
    )
    body = client.get(detail).content.decode()  # now the colleague leads a trajectory: duo
    assert 'name="disability"' in client.get(edit).content.decode()
    assert "alleen voor het duo" not in body and "only for the duo" not in body

    client.force_login(mediator)  # registered the person
    assert 'name="disability"' in client.get(edit).content.decode()
    other = make_user(Role.MEDIATOR, organisation=organisation)
    client.force_login(other)
    assert 'name="disability"' not in client.get(edit).content.decode()
    person.refresh_from_db()
    assert person.disability == "yes"
