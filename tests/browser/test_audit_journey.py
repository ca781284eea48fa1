"""The data-protection officer's journey in a real browser: find a person in the access log by
national number, see who looked at the file, and open the erasure form. Every page is checked
with axe-core; the national number never appears in a URL."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.trajectories.services import trajectory_start, trajectory_transition
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office():
    return OrganisationFactory(name="VDAB Gent", code="vdab-gent-audit-browser")


@pytest.mark.browser
def test_dpo_finds_who_looked_and_opens_the_erasure_form(
    page, live_server, office, log_in_as, assert_accessible
):
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar")
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=office, username="fg")
    person = make_person(mediator, first_name="Sara", last_name="Vandeputte")
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="regular", reason="Aanmelding", status="active"
    )
    trajectory_transition(
        acting_user=mediator, trajectory=trajectory, to_status="closed", closure_reason="other"
    )

    # The mediator opens the file and their own "who looked" page.
    log_in_as(mediator)
    page.goto(f"/persons/{person.public_id}/")
    page.locator(f"a[href='/audit/persons/{person.public_id}/access/']").click()
    expect(page.locator("h1")).to_have_text(person.full_name)
    expect(page.locator("table.results tbody tr")).to_have_count(2)
    assert_accessible("the mediator's who-looked page")
    page.context.clear_cookies()

    log_in_as(dpo)
    page.goto("/")
    page.locator("a[href='/audit/access/']").click()
    assert_accessible("the access log search")
    page.fill("#id_person", person.insz_formatted)
    with page.expect_navigation():
        page.locator("main form.search-form button[type=submit]").click()
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(person.full_name)
    assert_accessible("the access log search with results")

    page.locator("#person-title + p + p.actions a").first.click()
    expect(page).to_have_url(f"{live_server.url}/audit/persons/{person.public_id}/access/")
    # Two reads by the mediator, the DPO's search and this page.
    expect(page.locator("table.results tbody tr")).to_have_count(4)
    assert_accessible("the DPO's who-looked page")

    page.goto(f"/audit/persons/{person.public_id}/erase/")
    expect(page.locator("#id_reason")).to_be_visible()
    assert_accessible("the erasure form")

    leaked = [url for url in page.visited_urls if person.insz in url or "vandeputte" in url.lower()]
    assert not leaked, f"personal data in URLs: {leaked}"
