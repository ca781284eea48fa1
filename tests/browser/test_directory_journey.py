"""The services directory in a real browser: a mediator searches the demo region's directory
by life domain and municipality and opens a service and its organisation; a welfare partner of
the OCMW changes their own service and adds a location. Every page is checked with axe-core
(WCAG 2.1 A and AA)."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Organisation, Role
from tandem.audit.models import AccessLog
from tandem.demo import data as demo_data
from tandem.demo.directory import seed_directory
from tandem.network.models import Service
from tests.factories import OrganisationFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo_directory() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in demo_data.organisations():
        orgs[spec.code] = OrganisationFactory(
            code=spec.code, name=spec.name, kind=spec.kind, municipality=spec.municipality
        )
    seed_directory(orgs)
    return orgs


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def test_a_mediator_finds_housing_help_in_gent(page, live_server, log_in_as, assert_accessible):
    orgs = _demo_directory()
    log_in_as(make_user(Role.MEDIATOR, organisation=orgs["vdab-gent"], username="dir-mediator"))

    page.goto("/directory/")
    expect(page.locator("h1")).to_have_text("Dienstenwijzer")
    expect(page.locator("#directory-results tbody tr")).to_have_count(20)  # the first page
    assert_accessible("the services directory")

    page.locator("#id_life_domain").select_option("housing")
    page.locator("#id_municipality").select_option("Gent")
    _submit(page, "#directory-search")
    assert "life_domain=housing" in page.url and "municipality=Gent" in page.url
    results = page.locator("#directory-results tbody tr")
    expect(results).to_have_count(2)
    expect(page.locator("#directory-results")).to_contain_text("Sociale verhuur")
    expect(page.locator("#directory-results")).to_contain_text("CAW Oost-Vlaanderen")
    expect(page.locator("#directory-results")).not_to_contain_text("Digipunt")
    assert_accessible("the directory filtered on housing in Gent")

    with page.expect_navigation():
        page.get_by_role("link", name="Sociale verhuur").click()
    expect(page.locator("h1")).to_have_text("Sociale verhuur")
    expect(page.locator("#service-locations")).to_contain_text("Kortrijksesteenweg 100")
    expect(page.locator("#service-locations")).to_contain_text("9000 Gent")
    # A mediator of VDAB reads the SVK's entry but does not maintain it.
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    assert_accessible("a service of the directory")

    with page.expect_navigation():
        page.get_by_role("link", name="SVK Gent").click()
    expect(page.locator("#organisation-services")).to_contain_text("Sociale verhuur")
    assert_accessible("an organisation in the directory")

    # A search that finds nothing says so; the directory holds no personal data: no log rows.
    page.goto("/directory/?q=zwemles")
    expect(page.locator("#directory-none")).to_be_visible()
    assert_accessible("a directory search without results")
    assert not AccessLog.objects.exists()


def test_the_ocmw_keeps_its_own_service_up_to_date(page, live_server, log_in_as, assert_accessible):
    orgs = _demo_directory()
    log_in_as(make_user(Role.WELFARE_PARTNER, organisation=orgs["ocmw-gent"], username="dir-ocmw"))
    service = Service.objects.get(
        organisation=orgs["ocmw-gent"], name="Budgetbegeleiding en schuldbemiddeling"
    )

    page.goto(f"/directory/services/{service.id}/")
    with page.expect_navigation():
        page.locator(f"a[href='/directory/services/{service.id}/edit/']").click()
    expect(page.locator("#id_name")).to_have_value("Budgetbegeleiding en schuldbemiddeling")
    assert_accessible("the service form")

    page.locator("#id_wait_time").fill("Binnen twee weken een eerste gesprek")
    page.locator("#id_name").fill("")
    _submit(page, "#service-form")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible("the service form with an error")

    page.locator("#id_name").fill("Budgetbegeleiding")
    _submit(page, "#service-form")
    expect(page.locator("h1")).to_have_text("Budgetbegeleiding")
    expect(page.locator(".message-success")).to_be_visible()
    service.refresh_from_db()
    assert service.wait_time == "Binnen twee weken een eerste gesprek"

    with page.expect_navigation():
        page.locator(f"a[href='/directory/services/{service.id}/locations/new/']").click()
    assert_accessible("the location form")
    page.locator("#id_name").fill("Antenne Ledeberg")
    page.locator("#id_address_1").fill("Hundelgemsesteenweg 200")
    page.locator("#id_postal_code").fill("9050")
    page.locator("#id_city").fill("Gentbrugge")
    _submit(page, "#location-form")
    expect(page.locator("#service-locations")).to_contain_text("9050 Gentbrugge")
    assert_accessible("the service with its new location")

    # The new municipality is offered in the search at once.
    page.goto("/directory/?municipality=Gentbrugge")
    expect(page.locator("#directory-results")).to_contain_text("Budgetbegeleiding")
