"""The person forms use the registry's one check of a person's fields
(tandem.registry.validation): names with control characters, the right-to-left override and
other invisible characters are refused, naming the field, and a national number must match
the birth date entered (issue 16); never against the gender."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.outreach import services as outreach_services
from tandem.registry import insz
from tandem.registry.models import Person
from tests.factories import make_person
from tests.outreach.conftest import PERSON, jes, office, place, worker  # noqa: F401
from tests.registry.test_views import _form_data

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1985, 7, 30)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _create(client, **overrides):
    return client.post(
        reverse("registry:person_create"),
        _form_data(**{"insz": "", **overrides}),
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Sara\u202e"),  # right-to-left override
        ("last_name", "Pee\u202eters"),
        ("last_name", "Pee\u2067ters"),  # first strong isolate
        ("first_name", "Sa\u200bra"),  # zero-width space
        ("first_name", "Sa\u0007ra"),  # bell
        ("last_name", "Pee\u2028ters"),  # line separator
    ],
)
def test_the_person_form_refuses_invisible_and_control_characters(mediator_client, field, value):
    response = _create(mediator_client, **{field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    label = {"first_name": "First name", "last_name": "Last name"}[field]
    assert errors[field][0].startswith(f"{label}: ")
    assert not Person.objects.exists()


def test_a_nul_byte_in_a_name_is_refused(mediator_client):
    response = _create(mediator_client, last_name="Pee\x00ters")
    assert "last_name" in response.context["form"].errors
    assert not Person.objects.exists()


def test_a_true_number_is_not_refused_for_the_gender_entered(mediator_client):
    # The number encodes the registered sex (odd sequence: man); the person gives their gender.
    man = insz.make(BIRTH, 33)
    response = _create(mediator_client, insz=man, gender="F", birth_date=BIRTH.isoformat())
    assert response.status_code == 302
    assert Person.objects.get().gender == "F"


def test_an_edit_does_not_refuse_what_was_stored_before_and_is_not_changed(
    mediator_client, mediator
):
    # Stored before the check (an import): a zero-width joiner and a man's number for a woman.
    person = make_person(
        mediator, first_name="Sa\u200dra", insz=insz.make(BIRTH, 33), birth_date=BIRTH
    )
    url = reverse("registry:person_edit", kwargs={"public_id": person.public_id})
    data = _form_data(
        first_name=person.first_name,
        last_name=person.last_name,
        insz=person.insz,
        birth_date=BIRTH.isoformat(),
        gender="F",
        municipality="Aalst",
        postal_code="9300",
    )
    assert mediator_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.municipality == "Aalst"
    # Typed now, the same is refused.
    response = mediator_client.post(url, {**data, "last_name": "Pee\u202eters"})
    assert "last_name" in response.context["form"].errors
    response = mediator_client.post(url, {**data, "birth_date": "1985-07-31"})
    assert "insz" in response.context["form"].errors


def test_the_outreach_register_form_uses_the_same_check(
    client,
    worker,  # noqa: F811
    place,  # noqa: F811
    office,  # noqa: F811
):
    client.force_login(worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    prospect = outreach_services.contact_log(acting_user=worker, place=place, nickname="A").prospect
    url = f"/outreach/prospects/{prospect.public_id}/register/"
    data = dict(PERSON, office=office.pk, evidence="signed_form", consent="on", urgency="normal")
    response = client.post(url, {**data, "first_name": "Ami\u202ena"})
    assert response.context["form"].errors["first_name"][0].startswith("First name: ")
    other_day = insz.make(dt.date(1990, 3, 5), 2)
    response = client.post(url, {**data, "insz": other_day})
    assert "insz" in response.context["form"].errors
    response = client.post(url, {**data, "birth_date": "1800-01-01"})
    assert "birth_date" in response.context["form"].errors
    assert not Person.objects.exists()
    assert client.post(url, data).status_code == 302
