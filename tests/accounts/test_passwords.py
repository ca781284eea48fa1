"""Passwords (issue 16): a user changes their own, an administrator hands out a one-time reset
link (there is no mail server), and the policy refuses repetitions and sequences."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from config.settings import base
from tandem.accounts.models import Role, User
from tandem.accounts.passwords.tokens import ResetLinkTokenGenerator
from tandem.accounts.validators import PatternPasswordValidator
from tandem.audit.models import AuditEvent
from tandem.demo.organisations import DEMO_PASSWORD
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OLD = "Oud-en-lang-genoeg-2026"
NEW = "Nieuw-zomerfietspad-77"

REAL_VALIDATORS = override_settings(AUTH_PASSWORD_VALIDATORS=base.AUTH_PASSWORD_VALIDATORS)


# --- the policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "zzzzzzzzzzzzzzzz",
        "111111111111",
        "abcabcabcabc",
        "Welkom01Welkom01",
        "abcdefghijkl",
        "Tandem-abcdef-x",
        "mijn123456789wachtwoord",
        "nopqrstuvwxyz",
        "98765-zomer-lang",
        "qwertyuiop-zomer",
        "azertyuiop!!",
        "Zomer!!!!2026-lang",
        "ZYXWVUT-hallo-daar",
    ],
)
def test_the_policy_refuses_repetitions_and_sequences(password):
    with REAL_VALIDATORS, pytest.raises(ValidationError) as refused:
        validate_password(password)
    codes = {error.code for error in refused.value.error_list}
    assert codes & {"password_repeated", "password_sequence"}


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, NEW, OLD, "correct-horse-battery", "Een-lang-genoeg-wachtwoord-2026"],
)
def test_the_policy_accepts_ordinary_long_passwords(password):
    with REAL_VALIDATORS:
        validate_password(password)


def test_the_refusal_says_why_in_dutch():
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        PatternPasswordValidator().validate("aaaaaaaaaaaa")
    assert "herhaling" in refused.value.messages[0]
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        PatternPasswordValidator().validate("mijn-123456-wachtwoord")
    assert "reeks" in refused.value.messages[0]


def test_the_offline_list_of_common_passwords_stays():
    names = [v["NAME"] for v in base.AUTH_PASSWORD_VALIDATORS]
    assert "django.contrib.auth.password_validation.CommonPasswordValidator" in names
    assert "tandem.accounts.validators.PatternPasswordValidator" in names


# --- changing one's own password ---------------------------------------------------------------


@pytest.fixture
def lotte(organisation):
    return make_user(Role.MEDIATOR, organisation=organisation, username="lotte", password=OLD)


def test_the_change_page_is_linked_from_the_header(client, lotte):
    client.force_login(lotte)
    page = client.get(reverse("home:home"))
    assert reverse("passwords:password_change") in page.content.decode()


def test_a_user_changes_their_password_and_stays_logged_in(client, lotte):
    client.force_login(lotte)
    url = reverse("passwords:password_change")
    assert url == "/accounts/password_change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Wachtwoord wijzigen" in page.content.decode()
    response = client.post(
        url, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home:home")
    assert "Je wachtwoord is gewijzigd." in response.content.decode()
    lotte.refresh_from_db()
    assert lotte.check_password(NEW)
    # The session is kept (update_session_auth_hash): the next page opens without a login.
    assert client.get(reverse("home:home")).status_code == 200
    event = AuditEvent.objects.get(event_type="user.password_changed")
    assert event.actor == lotte
    assert NEW not in str(event.data) and OLD not in str(event.data)


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(client, lotte):
    client.force_login(lotte)
    url = reverse("passwords:password_change")
    wrong = client.post(url, {"old_password": "fout", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200
    with REAL_VALIDATORS:
        weak = client.post(
            url,
            {"old_password": OLD, "new_password1": "a" * 14, "new_password2": "a" * 14},
        )
    assert weak.status_code == 200
    assert "herhaling" in weak.content.decode()
    lotte.refresh_from_db()
    assert lotte.check_password(OLD)
    assert not AuditEvent.objects.filter(event_type="user.password_changed").exists()


def test_the_change_page_needs_a_login(client):
    response = client.get(reverse("passwords:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the administrator's reset link ------------------------------------------------------------


@pytest.fixture
def admin_client(client, organisation):
    admin = make_user(Role.ADMIN, organisation=organisation, username="beheer")
    client.force_login(admin)
    client.admin = admin
    return client


def _issue(admin_client, user) -> str:
    url = reverse("admin:accounts_user_reset_link", args=[user.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert not AuditEvent.objects.filter(event_type="user.password_reset_link_issued").exists()
    page = admin_client.post(url)
    assert page.status_code == 200
    body = page.content.decode()
    match = re.search(r"http://testserver(/accounts/reset/[\w-]+/[\w-]+/)", body)
    assert match, body
    return match.group(1)


def test_the_user_page_offers_the_reset_link(admin_client, lotte):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[lotte.pk]))
    assert reverse("admin:accounts_user_reset_link", args=[lotte.pk]) in page.content.decode()


def test_an_administrator_issues_a_link_and_the_user_sets_a_new_password(admin_client, lotte):
    path = _issue(admin_client, lotte)
    token = path.rstrip("/").rsplit("/", 1)[1]
    issued = AuditEvent.objects.get(event_type="user.password_reset_link_issued")
    assert issued.actor == admin_client.admin and token not in str(issued.data)
    assert issued.data["username"] == "lotte"
    # The link is shown once: the admin's pages never show it again.
    change = admin_client.get(reverse("admin:accounts_user_change", args=[lotte.pk]))
    assert token not in change.content.decode()

    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Nieuw wachtwoord" in page.content.decode()
    response = anonymous.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    lotte.refresh_from_db()
    assert lotte.check_password(NEW)
    used = AuditEvent.objects.get(event_type="user.password_reset")
    assert used.actor == lotte
    # Single use.
    again = anonymous.get(path)
    assert again.status_code == 404
    assert "Vraag je beheerder" in again.content.decode()
    assert anonymous.post(path, {"new_password1": OLD, "new_password2": OLD}).status_code == 404
    lotte.refresh_from_db()
    assert lotte.check_password(NEW)


def test_a_link_expires_after_a_day(admin_client, lotte, monkeypatch):
    path = _issue(admin_client, lotte)
    anonymous = Client()
    later = dt.datetime.now() + dt.timedelta(hours=24, minutes=1)
    monkeypatch.setattr(ResetLinkTokenGenerator, "_now", lambda self: later)
    assert anonymous.get(path).status_code == 404
    assert anonymous.post(path, {"new_password1": NEW, "new_password2": NEW}).status_code == 404
    lotte.refresh_from_db()
    assert lotte.check_password(OLD)
    assert not AuditEvent.objects.filter(event_type="user.password_reset").exists()


def test_a_link_for_another_user_does_not_work(admin_client, lotte, organisation):
    path = _issue(admin_client, lotte)
    other = make_user(Role.MEDIATOR, organisation=organisation)
    _prefix, _reset, _uid, token = path.strip("/").split("/")
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    forged = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(other.pk))}/{token}/"
    assert Client().get(forged).status_code == 404


def test_a_weak_password_through_the_link_is_refused(admin_client, lotte):
    path = _issue(admin_client, lotte)
    anonymous = Client()
    with REAL_VALIDATORS:
        response = anonymous.post(
            path, {"new_password1": "1234567890ab", "new_password2": "1234567890ab"}
        )
    assert response.status_code == 200
    lotte.refresh_from_db()
    assert lotte.check_password(OLD)
    # The link still works for a better password.
    assert anonymous.get(path).status_code == 200


def test_an_unknown_link_is_404(client):
    assert client.get("/accounts/reset/MQ/not-a-real-token/").status_code == 404
    assert client.get("/accounts/reset/%%%/x-y/").status_code == 404


def test_only_a_superuser_issues_a_link_for_a_superuser(admin_client):
    root = User.objects.create_superuser("root", password=OLD)
    url = reverse("admin:accounts_user_reset_link", args=[root.pk])
    assert admin_client.post(url).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert admin_client.get(password).status_code == 403
    assert not AuditEvent.objects.filter(event_type="user.password_reset_link_issued").exists()


def test_other_roles_cannot_issue_links(client, lotte):
    client.force_login(make_user(Role.MEDIATOR, organisation=lotte.organisation))
    url = reverse("admin:accounts_user_reset_link", args=[lotte.pk])
    assert client.post(url).status_code == 302  # the admin's login
    assert not AuditEvent.objects.filter(event_type="user.password_reset_link_issued").exists()


def test_an_administrator_cannot_make_themself_superuser(admin_client):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[admin_client.admin.pk]))
    assert "is_superuser" not in page.context["adminform"].form.fields
