"""Hardening seen from a real browser: no personal data in URLs or log lines, the app's pages
under the real Content Security Policy, two-step login for staff and the lockout page."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import QuietWSGIRequestHandler
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.accounts.twofactor import enrolment_code_issue
from tandem.trajectories.measurement.services import assessment_record
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

from .conftest import DEFAULT_TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-browser-test-password"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs(monkeypatch):
    """Every log line written meanwhile, at DEBUG, including the live server's request lines
    (which Django's test server normally keeps quiet)."""
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    handler = _Capture()
    root = logging.getLogger()
    # django.server does not propagate to the root logger: it gets the handler itself.
    server = logging.getLogger("django.server")
    loggers = [logging.getLogger(name) for name in ("django.request", "axes")]
    saved = [(lg, lg.level) for lg in (root, server, *loggers)]
    root.addHandler(handler)
    server.addHandler(handler)
    for lg, _level in saved:
        lg.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        server.removeHandler(handler)
        for lg, level in saved:
            lg.setLevel(level)


def _personal_values(person: Any, *extra: str) -> list[str]:
    values = [person.first_name, person.last_name, person.insz, person.insz_formatted, *extra]
    if person.street:
        values.append(person.street)
    return [v for v in values if v]


@pytest.mark.browser
def test_no_personal_data_in_any_url_or_log_line(page, live_server, log_in, captured_logs):
    org = OrganisationFactory(name="OCMW Gent", code="ocmw-gent-privacy")
    mediator = make_user(Role.MEDIATOR, organisation=org, username="bemiddelaar", password=PASSWORD)
    person = make_person(
        mediator,
        first_name="Saskia",
        last_name="Vanderstraeten",
        birth_date=dt.date(1985, 7, 30),
    )
    assert person.street and person.insz
    captured_logs.clear()  # only what the journey itself logs

    log_in(mediator.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    # Search by name, then by national number.
    page.goto("/persons/")
    page.fill("#id_text", person.last_name)
    with page.expect_navigation():
        page.locator("main form.search-form button[type=submit]").click()
    expect(page.locator("table.results tbody tr")).to_have_count(1)
    page.goto("/persons/")
    page.fill("#id_insz", person.insz_formatted)
    with page.expect_navigation():
        page.locator("main form.search-form button[type=submit]").click()
    expect(page.locator("table.results tbody tr")).to_have_count(1)

    # Open the file, then edit the household: a new member, by first name.
    page.locator("table.results tbody tr a").first.click()
    expect(page.locator("h1")).to_have_text(person.full_name)
    page.goto(f"/persons/{person.public_id}/household/")
    page.select_option("#id_members-0-relation", "child")
    page.fill("#id_members-0-first_name", "Mirabelle")
    page.fill("#id_members-0-birth_date", "2015-03-14")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/persons/{person.public_id}/")
    expect(page.locator("main")).to_contain_text("Mirabelle")

    # A page that does not exist and one of another organisation are logged as such.
    page.goto(f"/persons/{person.public_id}/nothing-here/")

    assert page.visited_urls
    assert any(" 200 " in line and "/persons/" in line for line in captured_logs), (
        "the live server's request lines were not captured"
    )
    assert any("Not Found" in line for line in captured_logs)
    values = _personal_values(person, "Mirabelle")
    leaked_urls = [url for url in page.visited_urls for v in values if v.lower() in url.lower()]
    assert not leaked_urls, f"personal data in URLs: {leaked_urls}"
    leaked_lines = [line for line in captured_logs for v in values if v.lower() in line.lower()]
    assert not leaked_lines, "personal data in log lines:\n" + "\n".join(leaked_lines)


def _strict_context(browser: Any, live_server: Any) -> tuple[Any, Any, list[str]]:
    """A context that keeps the app's CSP (no bypass) and reports every violation."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # Init scripts come from the browser itself, so the policy does not block this listener.
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI"
        " + ' in ' + e.sourceFile + ':' + e.lineNumber));"
    )
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: JavaScript error {error}"))
    return context, page, problems


def _session_cookie(context: Any, live_server: Any, user: Any) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _visit(page: Any, path: str, seen: list[str]) -> None:
    response = page.goto(path)
    assert response is not None, path
    page.wait_for_load_state("load")
    assert "default-src 'self'" in response.headers.get("content-security-policy", ""), path
    seen.append(path)


@pytest.mark.browser
def test_the_apps_pages_raise_no_csp_violation(browser, live_server, settings):
    from django.apps import apps

    from tandem.trajectories.defaults import load_default_scale

    load_default_scale(apps)
    today = timezone.localdate()
    org = OrganisationFactory(name="VDAB Gent", code="vdab-gent-csp")
    mediator = make_user(Role.MEDIATOR, organisation=org, username="bemiddelaar", password=PASSWORD)
    admin_user = make_user(Role.ADMIN, organisation=org, username="beheerder")
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=org, username="programma")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    trajectory = trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld door het OCMW",
        status="active",
        start_date=today - dt.timedelta(days=60),
    )
    for days_ago, level in ((30, 2), (1, 4)):
        assessment_record(
            acting_user=mediator,
            trajectory=trajectory,
            on=today - dt.timedelta(days=days_ago),
            readings={"income": level, "housing": 3},
            agreed_with_client=True,
        )

    context, page, problems = _strict_context(browser, live_server)
    seen: list[str] = []
    try:
        _visit(page, "/accounts/login/", seen)
        page.fill("#id_username", mediator.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator("nav.main-nav")).to_be_visible()
        tid = trajectory.public_id
        for path in (
            "/",
            "/persons/",
            "/persons/new/",
            f"/persons/{person.public_id}/",
            f"/persons/{person.public_id}/household/",
            "/trajectories/caseload/",
            f"/trajectories/{tid}/",
            f"/trajectories/{tid}/readings/",
            f"/trajectories/{tid}/readings/new/",
            f"/trajectories/{tid}/pop/",
            f"/trajectories/{tid}/plan/",
            "/persons/00000000-0000-4000-8000-000000000000/",  # the 404 page
        ):
            _visit(page, path, seen)
        # The radar chart is inline SVG with presentation attributes: drawn, nothing refused.
        page.goto(f"/trajectories/{tid}/readings/")
        expect(page.locator("svg[role=img]")).to_be_visible()

        # An administrator's pages in the Django admin, the JavaScript ones included.
        _session_cookie(context, live_server, admin_user)
        for path in (
            "/admin/",
            "/admin/accounts/user/",
            f"/admin/accounts/user/{mediator.pk}/change/",
            "/admin/accounts/user/add/",
            "/admin/accounts/organisation/",
            "/admin/accounts/organisation/add/",
            "/admin/screening/checklistversion/",
            "/admin/screening/povertythreshold/",
            "/admin/programmes/project/add/",
            "/admin/audit/auditevent/",
            "/admin/axes/accessattempt/",
        ):
            _visit(page, path, seen)
        page.goto(f"/admin/accounts/user/{mediator.pk}/change/")
        # The inline "add another" link is drawn by the admin's JavaScript.
        expect(page.locator(".add-row a")).to_be_visible()

        # Two-step set-up: the QR code is an SVG data: image, allowed by img-src; the passkey
        # scripts (django-otp-webauthn's static files) load under the policy too.
        settings.TANDEM_REQUIRE_2FA = True
        _enrolment, enrolment_code = enrolment_code_issue(acting_user=admin_user, user=manager)
        _session_cookie(context, live_server, manager)
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/accounts/otp/setup/"))
        page.fill("#id_enrolment_code", enrolment_code)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator("#passkey-register-button")).to_be_visible()
        qr = page.locator(".otp-qr img")
        expect(qr).to_be_visible()
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
        seen.append("/accounts/otp/setup/")
    finally:
        context.close()
    assert len(seen) > 20
    assert not problems, "Content Security Policy violations:\n" + "\n".join(problems)


@pytest.mark.browser
def test_an_administrator_sets_up_two_step_login_in_the_browser(
    page, live_server, log_in, assert_accessible, settings
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code() -> str:
        device = TOTPDevice.objects.get(user=admin_user)
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    settings.TANDEM_REQUIRE_2FA = True
    org = OrganisationFactory(name="Tandem beheer", code="tandem-beheer-2fa")
    admin_user = make_user(Role.ADMIN, organisation=org, username="beheerder", password=PASSWORD)
    colleague = make_user(Role.ADMIN, organisation=org, username="collega")
    _enrolment, enrolment_code = enrolment_code_issue(acting_user=colleague, user=admin_user)

    log_in(admin_user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/otp/setup/\?next=%2F$"))
    # First the one-time enrolment code another administrator issued: no secret before it.
    expect(page.locator("#id_enrolment_code")).to_be_focused()
    expect(page.locator(".otp-secret")).to_have_count(0)
    assert_accessible("the enrolment code step")
    page.fill("#id_enrolment_code", enrolment_code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_focused()
    expect(page.locator(".otp-secret")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$"))
    assert_accessible("the two-step set-up page")

    page.fill("#id_code", f"{(int(code()) + 1) % 1_000_000:06d}")  # a wrong code
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    assert_accessible("the two-step set-up page with an error")
    TOTPDevice.objects.filter(user=admin_user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )

    page.fill("#id_code", code())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    # The recovery codes, shown once, then on.
    expect(page).to_have_url(re.compile(r"/accounts/otp/recovery-codes/\?next=%2F$"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible("the recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Ik heb ze bewaard; verder").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    # Next login: the code step.
    page.goto("/")
    with page.expect_navigation():
        page.locator("header .header-wide form[action='/accounts/logout/'] button").click()
    TOTPDevice.objects.filter(user=admin_user).update(last_t=-1)  # the next code may be the same
    log_in(admin_user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/otp/\?next=%2F$"))
    assert_accessible("the two-step code page")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/otp/\?next=%2Fadmin%2F$"))
    page.fill("#id_code", code())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")


@pytest.mark.browser
def test_the_lockout_page_is_clear_and_accessible(page, live_server, assert_accessible):
    org = OrganisationFactory(name="OCMW Gent", code="ocmw-gent-lockout")
    user = make_user(Role.MEDIATOR, organisation=org, username="bemiddelaar", password=PASSWORD)
    for attempt in range(5):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", f"wrong-{attempt}")
        with page.expect_navigation() as navigation:
            page.locator("main form button[type=submit]").click()
    response = navigation.value
    assert response.status == 429
    expect(page.locator("h1")).to_have_text("Aanmelden tijdelijk geblokkeerd")
    expect(page.locator("main")).to_contain_text("30 minuten")
    expect(page.locator(".request-id code")).to_have_text(response.headers["x-request-id"])
    assert_accessible("the lockout page")
