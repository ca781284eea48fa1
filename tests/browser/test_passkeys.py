"""The second factor in Chromium: a case worker links a passkey (after the administrator's
enrolment code) with Chromium's virtual authenticator (the DevTools WebAuthn domain), sees the
recovery codes once, and confirms the next login with the passkey — under the real Content
Security Policy. The enrolment and recovery pages pass axe."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp

from tandem.accounts.models import Role
from tandem.accounts.twofactor import enrolment_code_issue
from tandem.audit.models import AuditEvent
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.factories import make_user

PASSWORD = "correct-horse-battery"


@pytest.fixture
def second_factor(settings: Any, live_server: Any) -> None:
    settings.TANDEM_REQUIRE_2FA = True
    # The live server's origin is the relying party's (a passkey is bound to it).
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


@pytest.fixture
def strict_page(browser: Any, live_server: Any) -> Any:
    """A page under the application's own Content Security Policy (no bypass)."""
    assert live_server.url.startswith("http://localhost:")
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if (msg.type == "error" and "Failed to load resource" not in msg.text)
            or "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} for {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not problems, "the browser ran into problems:\n" + "\n".join(problems)


def _virtual_authenticator(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _password_step(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_case_worker_links_a_passkey_and_logs_in_with_it(
    strict_page: Any, second_factor: None
) -> None:
    page = strict_page
    from django_otp_webauthn.models import WebAuthnCredential

    admin_user = make_user(Role.ADMIN, username="beheer")
    worker = make_user(
        Role.MEDIATOR,
        organisation=admin_user.organisation,
        username="bemiddelaar",
        password=PASSWORD,
    )
    _enrolment, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    cdp, authenticator = _virtual_authenticator(page)

    _password_step(page, "bemiddelaar")
    assert "/accounts/otp/setup/" in page.url
    # Before the enrolment code: no passkey button, no secret.
    assert page.locator("#passkey-register-button").count() == 0
    page.fill("#id_enrolment_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    with page.expect_navigation(url="**/accounts/otp/recovery-codes/**"):
        page.locator("#passkey-register-button").click()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    credential = WebAuthnCredential.objects.get(user=worker)
    assert credential.confirmed
    assert AuditEvent.objects.filter(event_type="user.passkey_registered", actor=worker).exists()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    page.get_by_role("link", name="Ik heb ze bewaard; verder").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"  # the home page

    # Next login: the password, then the passkey.
    page.locator("form[action='/accounts/logout/'] button:visible").first.click()
    page.wait_for_load_state()
    page.context.clear_cookies()
    _password_step(page, "bemiddelaar")
    assert "/accounts/otp/" in page.url
    with page.expect_navigation(url=lambda url: "/accounts/" not in url):
        page.locator("#passkey-verification-button").click()
    assert urlsplit(page.url).path == "/"
    assert (
        AuditEvent.objects.filter(event_type="user.otp_verified", actor=worker)
        .filter(data__kind="passkey")
        .exists()
    )


def test_enrolment_and_recovery_pages_pass_axe(
    page: Any, second_factor: None, assert_accessible: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin_user = make_user(Role.ADMIN, username="beheer")
    worker = make_user(
        Role.JOB_COACH, organisation=admin_user.organisation, username="coach", password=PASSWORD
    )
    _enrolment, code = enrolment_code_issue(acting_user=admin_user, user=worker)
    _password_step(page, "coach")
    assert_accessible("the enrolment code step")
    page.fill("#id_enrolment_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible("the set-up page (app and passkey)")
    device = TOTPDevice.objects.get(user=worker)
    page.fill("#id_code", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/otp/recovery-codes/" in page.url
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible("the recovery codes, shown once")
