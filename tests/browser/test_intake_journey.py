"""Issue 18's story in a real browser: the service line refers a person to the Ghent office
with an urgent note; the office's mediator finds him on their home page and in the intake
queue, takes him, and finds him on their caseload; the service line's home page says he was
taken, and a notification with an unread count in the header says so too. axe-core checks
every page on the way."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.registry.intake.models import Intake
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NOTE = "Dringend: dreigende uithuiszetting"


@pytest.mark.browser
def test_a_referral_reaches_the_office_is_taken_and_the_sender_hears_it(
    page, live_server, log_in_as, assert_accessible
):
    vdab = OrganisationFactory(name="VDAB", code="vdab-intake-browser")
    ghent = OrganisationFactory(
        name="VDAB Gent",
        code="vdab-gent-intake-browser",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )
    worker = make_user(Role.SERVICE_LINE, organisation=vdab, username="servicelijn-intake")
    person = make_person(worker, first_name="Karim", last_name="Uithuis")
    mediator = make_user(Role.MEDIATOR, organisation=ghent, username="bemiddelaar-intake")

    # The service line screens and refers on, urgent, with a note.
    log_in_as(worker)
    page.goto(f"/screenings/persons/{person.public_id}/new/")
    page.locator("#id_signal_schulden").check()
    page.locator("#id_signal_uithuiszetting").check()
    page.locator("#id_motivation_0").check()
    page.locator("#id_outflow_within_two_years_0").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator("#id_organisation").select_option(str(ghent.pk))
    page.locator("#id_note").fill(NOTE)
    page.locator("input[name='urgency'][value='urgent']").check()
    with page.expect_navigation():
        page.locator("form[action$='/refer/'] button[type=submit]").click()
    intake = Intake.objects.get(person=person)
    assert (intake.office, intake.urgency, intake.note) == (ghent, "urgent", NOTE)

    # The Ghent mediator: the home page's intake panel, then the queue with the note.
    page.context.clear_cookies()
    log_in_as(mediator)
    page.goto("/")
    panel = page.locator("section[aria-labelledby='p-intake-queue']")
    expect(panel).to_contain_text("Uithuis")
    assert_accessible("the mediator's home page with the intake queue")
    with page.expect_navigation():
        panel.locator("a", has_text="Uithuis").click()
    card = page.locator("section.intake", has_text="Uithuis")
    expect(card).to_contain_text(NOTE)
    assert_accessible("the intake queue")
    card.locator("input[value='take']").check()
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    intake.refresh_from_db()
    assert (intake.status, intake.assignee) == ("taken", mediator)
    page.goto("/trajectories/caseload/")
    expect(page.locator("main")).to_contain_text("Uithuis")
    assert_accessible("the caseload with a person taken from the queue")

    # The service line: "taken" on the home page, and a notification in the header.
    page.context.clear_cookies()
    log_in_as(worker)
    page.goto("/")
    expect(page.locator("section[aria-labelledby='p-my-referrals']")).to_contain_text(
        mediator.first_name
    )
    link = page.get_by_role("link", name="Meldingen 1 ongelezen")  # the unread count
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    expect(page.locator("main")).to_contain_text("Uithuis")
    assert_accessible("the notifications page")
