"""The duplicate warning shows existing persons (name, birth date, municipality, masked national
number): a read of their data, so each person shown gets an access-log row (issue 15: the
warning on /persons/new/ and on the outreach register page wrote none)."""

import datetime as dt

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.outreach import services as outreach_services
from tandem.registry.models import Person
from tests.factories import make_person
from tests.outreach.conftest import PERSON, jes, office, place, worker  # noqa: F401
from tests.registry.test_views import _form_data

pytestmark = pytest.mark.django_db


def test_the_duplicate_warning_on_persons_new_logs_each_person_it_shows(mediator_client, mediator):
    existing = make_person(
        mediator,
        first_name="Sara",
        last_name="Peeters",
        birth_date=dt.date(1985, 7, 30),
        with_insz=False,
    )
    response = mediator_client.post(reverse("registry:person_create"), _form_data(insz=""))
    assert response.context["candidates"] == [existing]
    row = AccessLog.objects.get(what="duplicate warning")
    assert (row.person, row.user, row.purpose) == (existing, mediator, "case work")
    # Confirming it is someone else shows no warning: no further row.
    mediator_client.post(
        reverse("registry:person_create"), _form_data(insz="", confirmed_distinct="on")
    )
    assert AccessLog.objects.filter(what="duplicate warning").count() == 1


def test_a_registration_without_a_warning_logs_nothing(mediator_client):
    mediator_client.post(reverse("registry:person_create"), _form_data(insz=""))
    assert Person.objects.count() == 1
    assert not AccessLog.objects.exists()


def test_the_duplicate_warning_on_the_outreach_register_page_is_logged(
    client,
    worker,  # noqa: F811
    place,  # noqa: F811
    office,  # noqa: F811
):
    client.force_login(worker)
    data = dict(PERSON, office=office.pk, evidence="signed_form", consent="on", urgency="normal")
    first = outreach_services.contact_log(acting_user=worker, place=place, nickname="A").prospect
    assert client.post(f"/outreach/prospects/{first.public_id}/register/", data).status_code == 302
    first.refresh_from_db()
    second = outreach_services.contact_log(acting_user=worker, place=place, nickname="B").prospect
    response = client.post(f"/outreach/prospects/{second.public_id}/register/", data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [first.person]
    row = AccessLog.objects.get(what="duplicate warning")
    assert (row.person, row.user) == (first.person, worker)
