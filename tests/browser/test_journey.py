"""The first journey in a real browser: a mediator logs in, finds a person and opens the file.

Every page on the way is checked with axe-core against WCAG 2.1 A and AA.
"""

from __future__ import annotations

import datetime as dt

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def org():
    return OrganisationFactory(name="OCMW Gent", code="ocmw-gent-browser")


@pytest.fixture
def mediator(org):
    return make_user(Role.MEDIATOR, organisation=org, username="bemiddelaar", password=PASSWORD)


@pytest.fixture
def person(mediator):
    return make_person(
        mediator, first_name="Sara", last_name="Vandeputte", birth_date=dt.date(1985, 7, 30)
    )


@pytest.mark.browser
def test_mediator_logs_in_searches_and_opens_a_file(
    page, live_server, mediator, person, log_in, assert_accessible
):
    # Someone else in the organisation's case load, who must not match the search.
    make_person(mediator, first_name="Jan", last_name="Claes")

    page.goto("/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus
    assert_accessible("the login page")

    log_in(mediator.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_attribute("href", "/")
    assert_accessible("the home page")

    page.locator("nav.main-nav a[href='/persons/']").click()
    expect(page).to_have_url(f"{live_server.url}/persons/")

    # Keyboard only: the skip link is the first stop, it moves focus to <main>, and the next
    # Tab lands in the name field; Enter submits the search.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_text")).to_be_focused()
    page.keyboard.type(person.last_name)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    results = page.locator("table.results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(f"{person.last_name}, {person.first_name}")
    expect(results.first).not_to_contain_text("Claes")
    # The results table shows the masked number only.
    expect(results.first).not_to_contain_text(person.insz_formatted)
    assert_accessible("the search page with results")

    results.first.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/persons/{person.public_id}/")
    expect(page.locator("h1")).to_have_text(person.full_name)
    assert person.insz_formatted.count(".") == 3  # e.g. 85.07.30-xxx.xx
    expect(page.locator("main")).to_contain_text(person.insz_formatted)
    assert_accessible("the person file")

    # The search was POSTed: the name and the national number never appear in a URL.
    assert page.visited_urls
    leaked = [
        url
        for url in page.visited_urls
        if person.last_name.lower() in url.lower() or person.insz in url
    ]
    assert not leaked, f"personal data in URLs: {leaked}"


@pytest.mark.browser
def test_person_forms_are_accessible(page, mediator, person, log_in_as, assert_accessible):
    log_in_as(mediator)

    page.goto("/persons/new/")
    expect(page.locator("#id_first_name")).to_be_visible()
    assert_accessible("the person create form")

    page.goto(f"/persons/{person.public_id}/household/")
    expect(page.locator("#id_members-TOTAL_FORMS")).to_be_attached()
    assert_accessible("the household edit page")


@pytest.mark.browser
def test_empty_person_form_shows_an_accessible_error_summary(
    page, live_server, mediator, log_in_as, assert_accessible
):
    log_in_as(mediator)
    page.goto("/persons/new/")
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/persons/new/")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    # Each error links to its field, and the field itself says what is wrong.
    expect(summary.locator("a[href='#id_first_name']")).to_have_count(1)
    expect(page.locator("#id_first_name_error")).to_be_visible()
    assert_accessible("the person create form with errors")


@pytest.mark.browser
def test_other_organisations_file_is_not_found(page, mediator, log_in_as, assert_accessible):
    other_org = OrganisationFactory(name="VDAB Hasselt", code="vdab-hasselt-browser")
    stranger = make_person(
        make_user(Role.MEDIATOR, organisation=other_org),
        first_name="Griet",
        last_name="Onzichtbaar",
    )
    log_in_as(mediator)

    response = page.goto(f"/persons/{stranger.public_id}/")
    assert response is not None
    assert response.status == 404
    content = page.content()
    assert stranger.last_name not in content
    assert stranger.first_name not in content
    assert stranger.insz_formatted not in content
    assert_accessible("the not-found page")
