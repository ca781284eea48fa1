"""A mediator records the person's consent for the OCMW for two life domains, downloads the
form to sign as a PDF, and withdraws the consent again. Every page on the way is checked with
axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.access.scope import consented_domains
from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog
from tandem.network.models import Consent
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


@pytest.mark.browser
def test_mediator_records_downloads_and_withdraws_a_consent(
    page, live_server, log_in_as, assert_accessible
):
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-consent-browser")
    ocmw = OrganisationFactory(
        name="OCMW Gent", code="ocmw-gent-consent-browser", kind=OrganisationKind.OCMW
    )
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-toestemming")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    today = timezone.localdate()
    log_in_as(mediator)

    # From the person file: nothing is shared yet.
    page.goto(f"/persons/{person.public_id}/")
    expect(page.locator("#consent-summary-none")).to_be_visible()
    with page.expect_navigation():
        page.locator("#consent-summary-link").click()
    expect(page).to_have_url(f"{live_server.url}/persons/{person.public_id}/consents/")
    expect(page.locator("#consents-none")).to_be_visible()
    assert_accessible("the consent page without consents")

    # A form without a life domain is refused, in words, with the error summary.
    page.locator("#id_recipient_organisation").select_option(label="OCMW Gent")
    _submit(page, "#consent-form")
    expect(page.locator(".error-summary")).to_contain_text("Kies minstens één levensdomein.")
    assert_accessible("the consent form with an error")

    # Record the consent for two domains (a signed form, given today).
    page.locator("#id_recipient_organisation").select_option(label="OCMW Gent")
    page.get_by_label("Financiën en schulden").check()
    page.get_by_label("Huisvesting", exact=True).check()
    expect(page.locator("#id_given_on")).to_have_value(today.isoformat())
    # Nothing is ticked for how consent was given: the worker says it.
    expect(page.locator("#consent-form input[name=evidence]:checked")).to_have_count(0)
    page.locator("#consent-form input[name=evidence][value=signed_form]").check()
    _submit(page, "#consent-form")
    consent = Consent.objects.get(person=person)
    expect(page.locator(".message-success")).to_have_text("De toestemming is vastgelegd.")
    item = page.locator(f"#consent-{consent.public_id}")
    expect(item).to_contain_text(
        "OCMW Gent mag zien: financiën en schulden, huisvesting — voor: begeleiding in het "
        f"werk-welzijnstraject — sinds {today:%d/%m/%Y} (ondertekend formulier)"
    )
    assert_accessible("the consent page with a consent")
    assert consented_domains(person.pk, ocmw) == {"income", "housing"}

    # The form to sign, as a PDF: no name in the file name.
    with page.expect_download() as download_info:
        item.locator(".consent-pdf-link").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"consent-{today:%Y%m%d}-{str(consent.public_id)[:8]}.pdf"
    )
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert AccessLog.objects.filter(person=person, what="consent form PDF").count() == 1

    # The person file says what is shared.
    page.goto(f"/persons/{person.public_id}/")
    expect(page.locator("#consent-summary")).to_contain_text(
        "OCMW Gent mag zien: financiën en schulden, huisvesting"
    )
    assert_accessible("the person file with a consent")

    # Withdraw: a confirmation first, then it takes effect at once.
    page.goto(f"/persons/{person.public_id}/consents/")
    with page.expect_navigation():
        page.locator(f"#consent-{consent.public_id} .consent-withdraw-link").click()
    expect(page.locator("#withdraw-form")).to_be_visible()
    assert_accessible("the withdrawal confirmation")
    assert Consent.objects.get(pk=consent.pk).is_active
    _submit(page, "#withdraw-form")
    expect(page).to_have_url(f"{live_server.url}/persons/{person.public_id}/consents/")
    expect(page.locator(".message-success")).to_contain_text("De toestemming is ingetrokken.")
    expect(page.locator("#consents-none")).to_be_visible()
    expect(page.locator(f"#consents-withdrawn #consent-{consent.public_id}")).to_contain_text(
        f"ingetrokken op {today:%d/%m/%Y}"
    )
    assert_accessible("the consent page after the withdrawal")
    assert consented_domains(person.pk, ocmw) == frozenset()

    leaked = [url for url in page.visited_urls if "amrani" in url.lower() or person.insz in url]
    assert not leaked, f"personal data in URLs: {leaked}"
