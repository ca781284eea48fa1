"""Login lockout (django-axes): 5 failures per username+IP lock that pair out for 30 minutes
with a 429 page; the failures are recorded."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def lotte(organisation):
    return make_user(Role.MEDIATOR, organisation=organisation, username="lotte", password=PASSWORD)


def _log_in(client, password, username="lotte", **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _fail(client, times, username="lotte", **extra):
    return [_log_in(client, "wrong-password", username, **extra) for _ in range(times)]


def test_axes_guards_every_login_before_our_backend():
    assert settings.AXES_ENABLED
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AUTHENTICATION_BACKENDS[1] == "tandem.accounts.backends.TandemBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_out_with_429_even_for_the_right_password(client, lotte):
    responses = _fail(client, 4)
    assert [r.status_code for r in responses] == [200] * 4

    locked = _fail(client, 1)[0]
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Aanmelden tijdelijk geblokkeerd" in body
    assert "30 minuten" in body
    assert locked["X-Request-ID"] in body

    # Locked out: the right password does not get in either, and nothing is logged in.
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_are_recorded_without_the_password(client, lotte):
    _fail(client, 5)
    attempt = AccessAttempt.objects.get(username="lotte")
    assert attempt.failures_since_start == 5
    assert attempt.ip_address == "127.0.0.1"
    assert "wrong-password" not in attempt.post_data
    assert AccessFailureLog.objects.filter(username="lotte").count() == 5
    assert AccessFailureLog.objects.filter(username="lotte", locked_out=True).exists()


def test_the_lockout_is_per_username_and_ip(client, lotte, organisation):
    make_user(Role.MEDIATOR, organisation=organisation, username="jonas", password=PASSWORD)
    _fail(client, 5)
    # Another username from the same computer, and the same username from elsewhere, still work.
    assert _log_in(client, PASSWORD, username="jonas").status_code == 302
    client.post(reverse("accounts:logout"))
    assert _log_in(client, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, lotte):
    _fail(client, 5)
    assert _log_in(client, PASSWORD).status_code == 429
    # Time travel: the failures happened 31 minutes ago.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=31))
    response = _log_in(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == lotte.pk


def test_a_try_during_the_lockout_does_not_extend_it(client, lotte):
    _fail(client, 5)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=29))
    assert _log_in(client, "still-wrong").status_code == 429
    assert AccessAttempt.objects.get(username="lotte").failures_since_start == 5


def test_an_administrator_can_unlock_at_once(client, lotte):
    _fail(client, 5)
    call_command("axes_reset_username", "lotte", verbosity=0)
    assert _log_in(client, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, lotte):
    _fail(client, 4)
    assert _log_in(client, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert [r.status_code for r in _fail(client, 4)] == [200] * 4


def test_the_admin_login_is_guarded_too(client, organisation):
    make_user(Role.ADMIN, organisation=organisation, username="beheer", password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(4):
        assert client.post(url, {"username": "beheer", "password": "nope"}).status_code == 200
    assert client.post(url, {"username": "beheer", "password": "nope"}).status_code == 429


def test_force_login_is_not_hindered(client, lotte):
    client.force_login(lotte)
    assert client.get(reverse("home:home")).status_code == 200
