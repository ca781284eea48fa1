"""Browser test harness: Playwright (sync API) driving Debian's Chromium, plus an axe-core check.

Nothing is downloaded: the browser is the system Chromium and axe-core comes from
``node_modules`` (``npm ci``). When either is missing the browser tests are skipped, unless
``TANDEM_REQUIRE_BROWSER=1`` is set (CI does): then they fail, so CI never passes by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls made from the test (factories, assertions) with SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # Chromium runs as root in the containers.
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.1 level A and AA: the level public services in Flanders must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Short timeouts: every page comes from the local live server, so a wait this long is a bug.
DEFAULT_TIMEOUT_MS = 5_000


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _missing_prerequisites() -> list[str]:
    missing = []
    if chromium_path() is None:
        missing.append("Chromium (/usr/bin/chromium; install the Debian package 'chromium')")
    if not AXE_JS.is_file():
        missing.append(f"axe-core ({AXE_JS.relative_to(ROOT)}; run 'npm ci')")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install -e '.[dev]')")
    return missing


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("TANDEM_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"TANDEM_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False
        )
    pytest.skip(f"browser tests skipped: {reason} (set TANDEM_REQUIRE_BROWSER=1 to fail instead)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing_prerequisites()
    if missing:
        _skip_or_fail("missing " + "; ".join(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken install must be as loud as a missing one
            _skip_or_fail(f"Chromium at {chromium_path()} did not start: {exc}")
        try:
            yield browser
        finally:
            browser.close()


STYLESHEET = "css/tandem.css"


@pytest.fixture(scope="session")
def served_stylesheet() -> None:
    """Fail early when the stylesheet is not served: axe's contrast rules are meaningless on an
    unstyled page."""
    from django.contrib.staticfiles import finders

    assert finders.find(STYLESHEET), f"{STYLESHEET} is not found by the static files finders"


@pytest.fixture
def page(browser: Any, live_server: Any, served_stylesheet: None) -> Iterator[Any]:
    """A fresh context and page per test, with the Dutch UI and every requested URL recorded.

    ``page.visited_urls`` lists every URL the page requested (documents, forms, assets), so a
    test can check that no personal data ended up in a URL. Uncaught JavaScript errors fail
    the test.
    """
    # bypass_csp: axe-core is injected as an inline script, which the app's Content Security
    # Policy rightly refuses; test_csp.py checks the pages under the real policy.
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    visited: list[str] = []
    problems: list[str] = []

    def on_response(response: Any) -> None:
        # A page may answer 404 on purpose; a stylesheet or script that fails never should.
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.url}")

    page.on("request", lambda request: visited.append(request.url))
    page.on("response", on_response)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.visited_urls = visited
    try:
        yield page
    finally:
        context.close()
    assert not problems, "the browser ran into problems:\n" + "\n".join(problems)


def _log_in_with_form(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def log_in(page: Any) -> Any:
    """``log_in(username, password)``: log in through the login form, as a person would."""
    return lambda username, password: _log_in_with_form(page, username, password)


@pytest.fixture
def log_in_as(page: Any, live_server: Any) -> Any:
    """``log_in_as(user)``: give the page a session without the form, for tests about other
    pages (the journey test logs in through the form)."""
    from django.conf import settings
    from django.test import Client

    def _log_in_as(user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return _log_in_as


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact') or 'n/a'}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


def _assert_accessible(page: Any, what: str) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
             .then(r => ({violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))
             }))}))""",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        pytest.fail(
            f"axe found {len(violations)} accessibility violation(s) on {what} ({page.url}):\n"
            + _format_violations(violations),
            pytrace=False,
        )


@pytest.fixture
def assert_accessible(page: Any) -> Any:
    """``assert_accessible(what)``: run axe-core (WCAG 2.1 A and AA rules) on the current page
    and fail with every violation: rule id, impact, help text and the offending elements."""
    return lambda what: _assert_accessible(page, what)


@pytest.fixture(autouse=True)
def reference_data(request: Any) -> None:
    """Put back the reference data that migrations load (thresholds, signal checklist).

    Browser tests are transactional: the database is flushed after each of them, and with it
    the rows the data migrations wrote.
    """
    if "live_server" not in request.fixturenames:
        return
    from django.apps import apps

    from tandem.screening.defaults import load_default_checklist, load_official_thresholds
    from tandem.trajectories.defaults import load_default_scale

    request.getfixturevalue("transactional_db")
    load_official_thresholds(apps)
    load_default_checklist(apps)
    load_default_scale(apps)
