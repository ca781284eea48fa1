"""Two-factor login (django-otp TOTP) for staff and the roles in TANDEM_2FA_ROLES: every role
that reads case files too."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.settings import base, local
from tandem.accounts.models import Role
from tandem.accounts.twofactor import enrolment_code_issue
from tandem.audit.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OTP_URL = "/accounts/otp/"
SETUP_URL = "/accounts/otp/setup/"


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.TANDEM_REQUIRE_2FA = True


def code_for(device, *, offset=0):
    device.refresh_from_db()
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


@pytest.fixture
def admin_user(organisation):
    return make_user(Role.ADMIN, organisation=organisation, username="beheer", password=PASSWORD)


@pytest.fixture
def device(admin_user):
    return TOTPDevice.objects.create(user=admin_user, name="Tandem", confirmed=True)


def _log_in(client, username="beheer"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself must succeed"
    return response


def test_the_real_settings_require_2fa_for_every_role_and_local_does_not():
    assert base.TANDEM_REQUIRE_2FA is True
    assert local.TANDEM_REQUIRE_2FA is False
    # Every role: the staff roles and every role that reads case files.
    assert set(Role.values) <= set(base.TANDEM_2FA_ROLES)
    middleware = base.MIDDLEWARE
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert middleware.index("tandem.accounts.middleware.TwoFactorMiddleware") > middleware.index(
        "django_otp.middleware.OTPMiddleware"
    )


def test_admin_with_a_device_is_sent_to_the_code_step_from_every_page(client, device):
    _log_in(client)
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response.url == f"{OTP_URL}?next=%2F"
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(OTP_URL)
    # A POST elsewhere is refused the same way, without carrying its target along.
    response = client.post(reverse("admin:accounts_organisation_add"), {"name": "X"})
    assert response.status_code == 302
    assert response.url == OTP_URL


def test_a_wrong_code_is_refused(client, device):
    _log_in(client)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(OTP_URL, {"code": wrong, "next": "/"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("home:home")).status_code == 302
    assert client.post(OTP_URL, {"code": "12a456"}).status_code == 200  # not six digits


def test_the_right_code_lets_the_admin_in_with_a_new_session_id(client, device):
    _log_in(client)
    before = client.session.session_key
    response = client.post(OTP_URL, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session.session_key != before
    assert client.get(reverse("home:home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(event_type="user.otp_verified", actor=device.user).exists()


def test_a_code_cannot_be_used_twice(client, device):
    _log_in(client)
    code = code_for(device)
    assert client.post(OTP_URL, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _log_in(client)
    response = client.post(OTP_URL, {"code": code})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_codes_in_a_row_slow_down_the_next_try(client, device):
    _log_in(client)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    client.post(OTP_URL, {"code": wrong})
    # Within the back-off even the right code is not checked.
    response = client.post(OTP_URL, {"code": right})
    assert response.status_code == 200
    assert "Te veel foute codes na elkaar" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the back-off has passed
    assert client.post(OTP_URL, {"code": right}).status_code == 302


def test_a_redirect_target_elsewhere_is_ignored(client, device):
    _log_in(client)
    response = client.post(OTP_URL, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == reverse("home:home")


def test_admin_without_a_device_sets_one_up_with_a_first_code(client, admin_user):
    _log_in(client)
    response = client.get(reverse("home:home"))
    assert response.url == f"{SETUP_URL}?next=%2F"
    # The code step itself also sends them to the set-up.
    assert client.get(OTP_URL).url.startswith(SETUP_URL)

    # First the enrolment code another administrator issued.
    _enrolment, enrolment_code = enrolment_code_issue(
        acting_user=make_user(Role.ADMIN, organisation=admin_user.organisation), user=admin_user
    )
    response = client.post(SETUP_URL, {"enrolment_code": enrolment_code, "next": "/"})
    assert response.status_code == 302
    page = client.get(SETUP_URL)
    assert page.status_code == 200
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    assert "otpauth://totp/Tandem%3Abeheer?secret=" in body
    assert 'src="data:image/svg+xml' in body  # the QR code, drawn on the server
    # No inline script: the scripts are static files (the text counter, the passkey scripts of
    # django-otp-webauthn), their translations and their settings as JSON data.
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert all(
        'src="/static/' in tag
        or 'src="/accounts/passkeys/jsi18n/"' in tag
        or 'type="application/json"' in tag
        for tag in scripts
    ), scripts
    secret = page.context["secret"].replace(" ", "")
    assert f"secret={secret}" in body
    # Reloading shows the same secret until it is confirmed.
    assert client.get(SETUP_URL).context["secret"] == page.context["secret"]

    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert client.post(SETUP_URL, {"code": wrong}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # the back-off after the wrong code has passed
    response = client.post(SETUP_URL, {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/accounts/otp/recovery-codes/?next=%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home:home")).status_code == 200
    assert AuditEvent.objects.filter(event_type="user.otp_device_confirmed").count() == 1
    # Once a device is confirmed, the set-up page no longer shows a secret.
    assert client.get(SETUP_URL).status_code == 302


def test_programme_managers_are_asked_too(client, organisation):
    make_user(Role.PROGRAMME_MANAGER, organisation=organisation, username="pm", password=PASSWORD)
    _log_in(client, "pm")
    assert client.get(reverse("home:home")).url.startswith(SETUP_URL)


CASE_ROLES = [
    Role.MEDIATOR,
    Role.WELFARE_PARTNER,
    Role.SERVICE_LINE,
    Role.OUTREACH_WORKER,
    Role.EXPERIENCE_EXPERT,
    Role.JOB_COACH,
    Role.GROUP_COACH,
]


@pytest.mark.parametrize("role", CASE_ROLES)
def test_every_role_that_reads_case_files_is_asked_too(client, organisation, role):
    make_user(role, organisation=organisation, username="worker", password=PASSWORD)
    _log_in(client, "worker")
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)
    # Case pages wait for the second factor as well.
    assert client.get(reverse("registry:person_search")).url.startswith(SETUP_URL)


def test_the_roles_are_a_setting(client, organisation, settings):
    settings.TANDEM_2FA_ROLES = ["admin"]
    make_user(Role.MEDIATOR, organisation=organisation, username="worker", password=PASSWORD)
    _log_in(client, "worker")
    assert client.get(reverse("home:home")).status_code == 200


def test_the_setting_relaxes_it(client, device, settings):
    settings.TANDEM_REQUIRE_2FA = False
    _log_in(client)
    assert client.get(reverse("home:home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_logging_out_and_switching_language_work_before_the_code(client, device):
    _log_in(client)
    response = client.post(reverse("set_language"), {"language": "en", "next": OTP_URL})
    assert response.status_code == 302
    assert response.url == OTP_URL
    assert "Confirm your login" in client.get(OTP_URL).content.decode()
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_a_password_login_first(client):
    response = client.get(OTP_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_admin_site_itself_refuses_an_unverified_admin(admin_user):
    """Even without the middleware, the admin site asks for the verified device."""
    request = RequestFactory().get("/admin/")
    admin_user.is_verified = lambda: False
    request.user = admin_user
    assert not admin.site.has_permission(request)
    admin_user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_administrators_lift_a_lockout_but_remove_devices_only_through_the_audited_reset(
    client, device, settings
):
    settings.TANDEM_REQUIRE_2FA = False
    other_admin = make_user(Role.ADMIN, organisation=device.user.organisation)
    assert other_admin.has_perm("axes.delete_accessattempt")
    # Not in django-otp's device pages, where a removal would be silent.
    assert not other_admin.has_perm("otp_totp.delete_totpdevice")
    client.force_login(other_admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [device.user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(event_type="user.devices_reset", actor=other_admin).exists()
