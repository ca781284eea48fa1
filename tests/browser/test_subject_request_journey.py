"""Issue 18, the DPO's worklist in a real browser: a person asks by e-mail for a copy of their
data; the data-protection officer records the request (the national number posted, never in
the address bar), finds it on their home page under "My work", exports the data as a PDF from
the request's page and closes the request as done. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.privacy.requests.models import SubjectRequest
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.browser
def test_the_dpo_records_an_access_request_exports_and_closes_it(
    page, live_server, log_in_as, assert_accessible
):
    vdab = OrganisationFactory(name="VDAB", code="vdab-dsr-browser")
    mediator = make_user(Role.MEDIATOR, organisation=vdab, username="bemiddelaar-dsr")
    person = make_person(mediator, first_name="Nadia", last_name="Inzagevraag")
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=vdab, username="dpo-dsr")
    received = timezone.localdate() - dt.timedelta(days=3)

    log_in_as(dpo)
    page.goto("/")
    expect(page.locator("section[aria-labelledby='p-dpo']")).to_be_visible()
    assert_accessible("the DPO's home page without requests")
    with page.expect_navigation():
        page.locator("section[aria-labelledby='p-dpo'] a[href='/audit/requests/new/']").click()
    assert_accessible("the form to record a request")
    page.locator("#id_person").fill(person.insz or "")
    page.locator("input[name='kind'][value='access']").check()
    page.locator("input[name='channel'][value='email']").check()
    page.locator("#id_received_on").fill(received.isoformat())
    page.locator("#id_note").fill("Vraagt een kopie van het hele dossier")
    with page.expect_navigation():
        page.locator("#request-form button[type=submit]").click()
    request = SubjectRequest.objects.get(person=person)
    assert (request.kind, request.channel, request.received_on) == ("access", "email", received)
    assert (person.insz or "") not in page.url
    expect(page.locator("#request-due")).to_contain_text(f"{request.due_on:%d/%m/%Y}")
    assert_accessible("the request's page")

    # The home page lists it under My work, linking to the request.
    page.goto("/")
    item = page.locator("#dpo-requests li", has_text="Inzagevraag")
    expect(item).to_contain_text(f"{request.due_on:%d/%m/%Y}")
    assert_accessible("the DPO's home page with a request waiting")
    with page.expect_navigation():
        item.locator("a").click()

    # The export, from the request's page.
    with page.expect_download() as download_info:
        page.locator("#export-pdf").click()
    download = download_info.value
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert "Inzagevraag" not in download.suggested_filename
    assert AuditEvent.objects.filter(person=person, event_type="person.exported").exists()

    # Closed as done, with the answer given.
    page.locator("#id_text").fill("Kopie per e-mail bezorgd")
    with page.expect_navigation():
        page.locator("#request-action button[value='done']").click()
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("done", "Kopie per e-mail bezorgd")
    expect(page.locator("#request-status")).to_have_text("Afgerond")
    assert_accessible("the request's page, closed")

    # The register: not among the open ones, among the closed ones.
    page.goto("/audit/requests/")
    expect(page.locator("main")).not_to_contain_text("Inzagevraag")
    page.goto("/audit/requests/?show=closed")
    expect(page.locator("#requests")).to_contain_text("Inzagevraag")
    assert_accessible("the register of requests")
