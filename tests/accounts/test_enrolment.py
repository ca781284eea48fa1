"""Linking a first second-factor device needs an administrator's one-time enrolment code;
recovery codes; an administrator's device reset is audited and the user is told; the demo's
switch that skips the second factor never passes `check --deploy`."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.accounts.checks import second_factor_required
from tandem.accounts.models import EnrolmentCode, Role, UserNotice
from tandem.accounts.twofactor import devices_reset, enrolment_code_issue
from tandem.audit.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OTP_URL = "/accounts/otp/"
SETUP_URL = "/accounts/otp/setup/"
RECOVERY_URL = "/accounts/otp/recovery-codes/"


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.TANDEM_REQUIRE_2FA = True


@pytest.fixture
def admin_user(organisation):
    return make_user(Role.ADMIN, organisation=organisation, username="beheer")


@pytest.fixture
def worker(organisation):
    return make_user(Role.MEDIATOR, organisation=organisation, username="worker", password=PASSWORD)


def _log_in(client, username="worker"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself must succeed"


def _code(device, offset=0):
    device.refresh_from_db()
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def _enrol(client, worker, admin_user):
    """Password, enrolment code, TOTP: returns the device and the recovery codes shown once."""
    _log_in(client)
    _enrolment, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    assert client.post(SETUP_URL, {"enrolment_code": code, "next": "/"}).status_code == 302
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(SETUP_URL, {"code": _code(device), "next": "/"})
    assert response.url == f"{RECOVERY_URL}?next=%2F"
    page = client.get(response.url)
    return device, page


def test_a_password_alone_is_not_shown_a_secret_and_links_no_device(client, worker):
    _log_in(client)
    page = client.get(SETUP_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "enrolment_code" in body
    assert "otpauth://" not in body
    assert "secret" not in page.context
    assert not TOTPDevice.objects.filter(user=worker).exists()
    # Posting a TOTP code straight away links nothing either.
    client.post(SETUP_URL, {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_a_wrong_expired_used_or_someone_elses_code_is_refused(
    client, worker, admin_user, organisation
):
    _log_in(client)
    someone = make_user(Role.MEDIATOR, organisation=organisation)
    _e, theirs = enrolment_code_issue(acting_user=admin_user, user=someone)
    expired, old = enrolment_code_issue(acting_user=admin_user, user=worker)
    expired.expires_at = timezone.now() - dt.timedelta(minutes=1)
    expired.save()
    for wrong in (theirs, old, "AAAA-BBBB-CCCC"):
        response = client.post(SETUP_URL, {"enrolment_code": wrong})
        assert response.status_code == 200
        assert "enrolment_code" in response.context["form"].errors
    assert "otpauth://" not in client.get(SETUP_URL).content.decode()
    # A valid one works once, in any case and with or without its dashes.
    _e, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    response = client.post(SETUP_URL, {"enrolment_code": code.replace("-", "").lower()})
    assert response.status_code == 302
    assert "otpauth://" in client.get(SETUP_URL).content.decode()
    client.post(reverse("accounts:logout"))
    _log_in(client)
    assert client.post(SETUP_URL, {"enrolment_code": code}).status_code == 200
    assert AuditEvent.objects.filter(event_type="user.enrolment_code_issued").count() == 3
    used = AuditEvent.objects.get(event_type="user.enrolment_code_used")
    assert used.actor == worker


def test_the_code_is_stored_only_as_a_hash_and_expires_after_72_hours(worker, admin_user):
    enrolment, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    assert len(code) == 14 and code.count("-") == 2
    stored = EnrolmentCode.objects.get(pk=enrolment.pk)
    assert code.replace("-", "") not in stored.code_hash
    assert stored.issued_by == admin_user and stored.used_at is None
    hours = (stored.expires_at - stored.created_at).total_seconds() / 3600
    assert 71.9 < hours < 72.1
    # A new code replaces an unused earlier one.
    enrolment_code_issue(acting_user=admin_user, user=worker)
    stored.refresh_from_db()
    assert stored.expires_at <= timezone.now()


def test_an_administrator_cannot_issue_a_code_for_themself(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        enrolment_code_issue(acting_user=admin_user, user=admin_user)
    assert not EnrolmentCode.objects.exists()


def test_recovery_codes_are_shown_once_and_each_logs_in_once(client, worker, admin_user):
    _device, page = _enrol(client, worker, admin_user)
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in page.content.decode()
    # Shown once: the page no longer has them.
    again = client.get(RECOVERY_URL)
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    assert AuditEvent.objects.filter(event_type="user.recovery_codes_generated").count() == 1

    client.post(reverse("accounts:logout"))
    _log_in(client)
    response = client.post(OTP_URL, {"code": codes[0], "next": "/"})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session
    assert client.get(reverse("home:home")).status_code == 200
    assert AuditEvent.objects.filter(event_type="user.recovery_code_used").count() == 1
    assert StaticToken.objects.filter(device__user=worker).count() == 9

    client.post(reverse("accounts:logout"))
    _log_in(client)
    response = client.post(OTP_URL, {"code": codes[0]})
    assert response.status_code == 200  # used up
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, worker, admin_user):
    _device, page = _enrol(client, worker, admin_user)
    old = page.context["codes"]
    response = client.post(RECOVERY_URL, {"next": "/"})
    assert response.status_code == 302
    new = client.get(response.url).context["codes"]
    assert set(new).isdisjoint(old)
    assert StaticDevice.objects.filter(user=worker).count() == 1
    client.post(reverse("accounts:logout"))
    _log_in(client)
    StaticDevice.objects.get(user=worker).throttle_reset()
    assert client.post(OTP_URL, {"code": old[1]}).status_code == 200
    StaticDevice.objects.get(user=worker).throttle_reset()
    assert client.post(OTP_URL, {"code": new[1]}).status_code == 302


def test_the_recovery_page_needs_a_confirmed_login(client, worker):
    _log_in(client)
    assert client.get(RECOVERY_URL).url.startswith(SETUP_URL)
    assert client.post(RECOVERY_URL).status_code == 302
    assert not StaticDevice.objects.exists()


def test_the_administrator_issues_a_code_from_the_user_list_and_sees_it_once(
    client, worker, admin_user, settings
):
    settings.TANDEM_REQUIRE_2FA = False
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_enrolment_codes", "_selected_action": [worker.pk]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    code = response.context["issued"][0]["code"]
    assert code in response.content.decode()
    enrolment = EnrolmentCode.objects.get(user=worker)
    assert enrolment.issued_by == admin_user
    event = AuditEvent.objects.get(event_type="user.enrolment_code_issued")
    assert event.actor == admin_user
    assert code not in str(event.data)


def test_a_device_reset_is_audited_and_the_user_is_told_at_their_next_login(
    client, worker, admin_user
):
    _enrol(client, worker, admin_user)
    client.post(reverse("accounts:logout"))
    assert devices_reset(acting_user=admin_user, user=worker) == 2  # the app, the recovery codes
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()
    event = AuditEvent.objects.get(event_type="user.devices_reset")
    assert event.actor == admin_user and event.data["user"] == worker.pk
    notice = UserNotice.objects.get(user=worker)
    assert notice.shown_at is None

    client.post(reverse("accounts:login"), {"username": "worker", "password": PASSWORD})
    page = client.get(SETUP_URL)
    assert "verwijderde een beheerder je" in page.content.decode()
    notice.refresh_from_db()
    assert notice.shown_at is not None
    # Once: the next login does not show it again.
    client.post(reverse("accounts:logout"))
    _log_in(client)
    assert "verwijderde een beheerder je" not in client.get(SETUP_URL).content.decode()
    # And a new device needs a new enrolment code.
    assert "otpauth://" not in client.get(SETUP_URL).content.decode()


def test_check_deploy_refuses_the_demo_switch(settings):
    settings.TANDEM_REQUIRE_2FA = False
    errors = second_factor_required()
    assert [e.id for e in errors] == ["tandem.E001"]
    settings.TANDEM_REQUIRE_2FA = True
    assert second_factor_required() == []


def test_the_deploy_check_is_registered_for_deploy_only():
    from django.core.checks import registry

    assert second_factor_required in registry.registry.get_checks(include_deployment_checks=True)
    assert second_factor_required not in registry.registry.get_checks()


def test_a_passkey_is_registered_only_after_the_enrolment_code(client, worker, admin_user):
    begin = "/accounts/passkeys/registration/begin/"
    _log_in(client)
    response = client.post(begin, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "enrolment_needed"
    _enrolment, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    client.post(SETUP_URL, {"enrolment_code": code})
    response = client.post(begin, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["rp"]["name"] == "Tandem"


def test_no_passwordless_login_with_a_passkey(client):
    response = client.post(
        "/accounts/passkeys/authentication/begin/", content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_production_with_the_demo_switch_fails_the_deploy_check(tmp_path):
    """A production settings module that switches the second factor off fails `check
    --deploy`; the real production settings bind passkeys to the site's own host."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "prod_no_2fa.py").write_text(
        "from config.settings.production import *  # noqa\nTANDEM_REQUIRE_2FA = False\n"
        "from config.settings.production import ALLOWED_HOSTS, OTP_WEBAUTHN_RP_ID, "
        "OTP_WEBAUTHN_ALLOWED_ORIGINS\n"
        "print('webauthn', OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS)\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="prod_no_2fa",
        PYTHONPATH=f"{tmp_path}{os.pathsep}{root}",
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-for-the-check-only-0123456789",
        DJANGO_ALLOWED_HOSTS="tandem.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "tandem.E001" in result.stderr + result.stdout
    assert "webauthn tandem.example.org ['https://tandem.example.org']" in result.stdout


def test_the_operator_issues_the_first_administrators_code_from_the_command_line(admin_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("enrolment_code", admin_user.username, stdout=out)
    code = out.getvalue().split(": ", 1)[1].split()[0]
    assert len(code) == 14
    enrolment = EnrolmentCode.objects.get(user=admin_user)
    assert enrolment.issued_by is None
    event = AuditEvent.objects.get(event_type="user.enrolment_code_issued")
    assert event.actor is None and event.data["user"] == admin_user.pk
    with pytest.raises(CommandError):
        call_command("enrolment_code", "nobody", stdout=StringIO())
