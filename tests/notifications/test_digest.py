"""The daily e-mail digest (issue 18): opt-in, counts per kind and a link, no person data,
at most once a day, through Django's e-mail backend (the in-memory one in tests)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from tandem.notifications import kinds
from tandem.notifications.models import NotificationPreference
from tandem.notifications.services import notification_digest_set, notify

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("locmem"),
]


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TANDEM_BASE_URL = "https://tandem.example"


@pytest.fixture
def with_email(mediator, other_mediator):
    for u, address in ((mediator, "m@example.org"), (other_mediator, "o@example.org")):
        u.email = address
        u.save()
    return mediator


def test_digest_holds_counts_and_a_link_and_no_person_data(with_email, person):
    mediator = with_email
    person.insz = person.insz or ""
    notification_digest_set(user=mediator, daily_digest=True)
    for _ in range(2):
        notify(recipients=[mediator], kind=kinds.REFERRAL_ANSWERED, url="/x/", person=person)
    notify(recipients=[mediator], kind=kinds.DROPOUT_SIGNAL, url=f"/p/{person.public_id}/")
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["m@example.org"]
    assert "3" in message.subject
    body = message.body
    assert "Een doorverwijzing die je stuurde werd beantwoord: 2" in body
    assert "Een signaal van uitval in groepswerk: 1" in body
    assert "https://tandem.example/notifications/" in body
    for secret in (person.first_name, person.last_name, str(person.public_id)):
        assert secret not in body and secret not in message.subject
    if person.insz:
        assert person.insz not in body


def test_digest_is_opt_in_and_sent_once_a_day(with_email, other_mediator):
    mediator = with_email
    notify(recipients=[mediator, other_mediator], kind=kinds.REFERRAL_ANSWERED, url="/x/")
    call_command("send_digests", stdout=io.StringIO())
    assert mail.outbox == []  # nobody asked
    notification_digest_set(user=mediator, daily_digest=True)
    call_command("send_digests", stdout=io.StringIO())
    call_command("send_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["m@example.org"]]
    pref = NotificationPreference.objects.get(user=mediator)
    assert pref.digest_last_sent_on is not None
    # the next day, again
    pref.digest_last_sent_on -= dt.timedelta(days=1)
    pref.save()
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_no_digest_without_unread_notifications(with_email):
    mediator = with_email
    notification_digest_set(user=mediator, daily_digest=True)
    call_command("send_digests", stdout=io.StringIO())
    assert mail.outbox == []
    assert NotificationPreference.objects.get(user=mediator).digest_last_sent_on is None


def test_the_demo_prints_e_mail_on_the_console():
    import config.settings.local as local

    assert local.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
