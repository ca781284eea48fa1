"""No oracle on the national number (issue 16): registering a person told any worker whether a
national number was already a Tandem client, with nothing logged and no limit.

Now a worker who may not see the person who has the number learns only that it "cannot be
registered here"; one who may see them gets the usual message with a link to the file (a read,
logged with its purpose); every refusal is an audit event linked to the person who has the
number; and after ``TANDEM_INSZ_REFUSALS_PER_HOUR`` refusals in an hour no number is looked up
for the user any more. The registry's person form, the edit form and outreach's registration
of a prospect all go through the same check."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.outreach import services as outreach_services
from tandem.registry import insz
from tandem.registry.exceptions import DuplicateInsz, TooManyInszRefusals
from tandem.registry.models import Person
from tandem.registry.services import person_create, person_update
from tests.factories import backdate_audit_rows, make_person
from tests.outreach.conftest import PERSON, jes, office, place, worker  # noqa: F401
from tests.registry.test_views import _form_data

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1985, 7, 30)
NUMBER = insz.make(BIRTH, 34)  # a woman's number, as _form_data's person is a woman
FREE = insz.make(BIRTH, 36)
NEUTRAL = "cannot be registered here"
KNOWN = "already registered in Tandem"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _post(client, number, **extra):
    return client.post(
        reverse("registry:person_create"),
        _form_data(insz=number, birth_date=BIRTH.isoformat(), **extra),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _insz_errors(response):
    return " ".join(response.context["form"].errors.get("insz", []))


def test_a_worker_who_may_not_see_the_holder_learns_only_that_it_cannot_be_registered(
    mediator_client, mediator, other_mediator
):
    holder = make_person(other_mediator, first_name="Griet", last_name="Onzichtbaar", insz=NUMBER)
    response = _post(mediator_client, NUMBER)
    assert response.status_code == 200
    errors = _insz_errors(response)
    assert NEUTRAL in errors
    assert KNOWN not in errors
    body = response.content.decode()
    assert "Onzichtbaar" not in body
    assert str(holder.public_id) not in body
    assert response.context["insz_holder"] is None
    assert Person.objects.count() == 1
    # Nothing of the holder was shown: no access-log row; the attempt is an audit event.
    assert not AccessLog.objects.filter(person=holder).exists()
    event = AuditEvent.objects.get(event_type=Event.PERSON_INSZ_REFUSED)
    assert (event.actor, event.person, event.organisation) == (
        mediator,
        holder,
        mediator.organisation,
    )
    assert event.data == {"via": "registry", "purpose": "registration", "shown": False}
    assert NUMBER not in str(event.data)


def test_the_same_message_as_for_a_number_refused_for_any_other_reason(
    mediator_client, other_mediator
):
    # The neutral message does not depend on who has the number or why it is refused.
    make_person(other_mediator, insz=NUMBER)
    make_person(other_mediator, insz=insz.make(BIRTH, 38))
    first = _insz_errors(_post(mediator_client, NUMBER))
    second = _insz_errors(_post(mediator_client, insz.make(BIRTH, 38)))
    assert first == second


def test_a_worker_who_may_see_the_holder_gets_the_message_with_a_link_logged(
    mediator_client, mediator
):
    holder = make_person(mediator, first_name="Sara", last_name="Zichtbaar", insz=NUMBER)
    response = _post(mediator_client, NUMBER)
    assert KNOWN in _insz_errors(response)
    assert response.context["insz_holder"] == holder
    body = response.content.decode()
    assert reverse("registry:person_detail", kwargs={"public_id": holder.public_id}) in body
    row = AccessLog.objects.get(person=holder)
    assert (row.user, row.what, row.purpose) == (mediator, "national number check", "registration")
    event = AuditEvent.objects.get(event_type=Event.PERSON_INSZ_REFUSED)
    assert event.data["shown"] is True
    assert event.person == holder


@override_settings(TANDEM_INSZ_REFUSALS_PER_HOUR=3)
def test_repeated_refusals_are_rate_limited_for_any_number(
    mediator_client, mediator, other_mediator
):
    taken = [insz.make(BIRTH, 40 + 2 * i) for i in range(4)]
    for number in taken:
        make_person(other_mediator, insz=number)
    for number in taken[:3]:
        assert NEUTRAL in _insz_errors(_post(mediator_client, number))
    # The fourth try is refused before the number is looked up, taken or free alike.
    for number in (taken[3], FREE):
        response = _post(mediator_client, number)
        errors = _insz_errors(response)
        assert "Try again in an hour" in errors
        assert NEUTRAL not in errors
    assert not Person.objects.filter(insz=FREE).exists()
    assert AuditEvent.objects.filter(event_type=Event.PERSON_INSZ_REFUSED).count() == 3
    limited = AuditEvent.objects.filter(event_type=Event.PERSON_INSZ_RATE_LIMITED)
    assert limited.count() == 2
    assert all(e.actor == mediator and e.person is None for e in limited)
    # A registration without a national number is not limited.
    response = _post(mediator_client, "", first_name="Zonder")
    assert response.status_code == 302


@override_settings(TANDEM_INSZ_REFUSALS_PER_HOUR=2)
def test_refusals_older_than_an_hour_do_not_count(mediator, other_mediator):
    holder = make_person(other_mediator, insz=NUMBER)
    old = [
        AuditEvent.objects.create(
            actor=mediator, person=holder, event_type=Event.PERSON_INSZ_REFUSED
        )
        for _ in range(2)
    ]
    # On PostgreSQL an insert takes the database's clock: the rows are moved back afterwards.
    backdate_audit_rows(AuditEvent, [e.pk for e in old], dt.timedelta(minutes=61))
    person = make_person(mediator, insz=FREE, birth_date=BIRTH)
    assert person.insz == FREE
    AuditEvent.objects.create(actor=mediator, person=holder, event_type=Event.PERSON_INSZ_REFUSED)
    AuditEvent.objects.create(actor=mediator, person=holder, event_type=Event.PERSON_INSZ_REFUSED)
    with pytest.raises(TooManyInszRefusals):
        make_person(mediator, insz=insz.make(BIRTH, 50), birth_date=BIRTH)
    # Another user is not limited by this one's refusals.
    assert make_person(other_mediator, insz=insz.make(BIRTH, 52), birth_date=BIRTH).pk


def test_the_refusal_event_stays_when_the_service_refuses(mediator, other_mediator):
    holder = make_person(other_mediator, insz=NUMBER)
    data = {
        "first_name": "Sara",
        "last_name": "Peeters",
        "insz": NUMBER,
        "birth_date": BIRTH,
        "gender": "F",
        "municipality": "Gent",
        "province": "oost_vlaanderen",
        "registration": "registered",
    }
    with pytest.raises(DuplicateInsz) as caught:
        person_create(acting_user=mediator, data=data)
    assert caught.value.person is None
    assert "insz" in caught.value.error_dict
    assert AuditEvent.objects.filter(event_type=Event.PERSON_INSZ_REFUSED, person=holder).exists()


def test_editing_to_someone_elses_number_is_the_same_check(mediator, other_mediator):
    holder = make_person(other_mediator, insz=NUMBER)
    person = make_person(mediator, insz=FREE, birth_date=BIRTH)
    with pytest.raises(DuplicateInsz) as caught:
        person_update(acting_user=mediator, person=person, data={"insz": NUMBER})
    assert caught.value.person is None
    assert NEUTRAL in str(caught.value.error_dict["insz"])
    event = AuditEvent.objects.get(event_type=Event.PERSON_INSZ_REFUSED)
    assert (event.person, event.data["via"]) == (holder, "registry edit")
    # Saving the person's own, unchanged number checks (and counts) nothing.
    person_update(acting_user=mediator, person=person, data={"insz": FREE, "municipality": "Aalst"})
    assert AuditEvent.objects.filter(event_type=Event.PERSON_INSZ_REFUSED).count() == 1


def test_the_outreach_register_page_is_no_oracle_either(
    client,
    worker,  # noqa: F811
    place,  # noqa: F811
    office,  # noqa: F811
    other_mediator,
):
    born = dt.date(1990, 3, 4)  # PERSON's birth date
    holder = make_person(
        other_mediator,
        first_name="Griet",
        last_name="Onzichtbaar",
        birth_date=born,
        insz=insz.make(born, 2),
    )
    client.force_login(worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    prospect = outreach_services.contact_log(acting_user=worker, place=place, nickname="A").prospect
    data = dict(
        PERSON,
        insz=holder.insz,
        office=office.pk,
        evidence="signed_form",
        consent="on",
        urgency="normal",
    )
    response = client.post(f"/outreach/prospects/{prospect.public_id}/register/", data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["insz"])
    assert NEUTRAL in errors and KNOWN not in errors
    assert "Onzichtbaar" not in response.content.decode()
    prospect.refresh_from_db()
    assert prospect.person is None
    # The conversion was rolled back; the audit event of the refusal was not.
    event = AuditEvent.objects.get(event_type=Event.PERSON_INSZ_REFUSED)
    assert (event.actor, event.person, event.data["via"]) == (worker, holder, "outreach")
    assert not AccessLog.objects.filter(person=holder).exists()
