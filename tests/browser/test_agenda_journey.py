"""Issue 18's agenda in a real browser: a mediator plans a home visit with a time from the
trajectory page, lands in the week view at that day and sees it there; the home page's
"Contacts due" and the caseload show the next contact with its time (derived from the planned
contact); the week reads as a stacked list on a phone; the day list is a PDF. axe-core checks
every page on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Contact
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_plan_a_home_visit_and_find_it_in_the_week(page, live_server, log_in_as, assert_accessible):
    today = timezone.localdate()
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-agenda-browser")
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-agenda")
    person = make_person(
        mediator, first_name="Noor", last_name="Agendatest", street="Kortrijksesteenweg"
    )
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=today - dt.timedelta(days=30),
    )

    log_in_as(mediator)
    page.goto(f"/trajectories/{trajectory.public_id}/")
    page.locator("#plan-contact summary").click()
    page.locator("#id_plan-on").fill(today.isoformat())
    page.locator("#id_plan-at").fill("14:15")
    page.locator("#id_plan-minutes").fill("45")
    page.locator("#id_plan-kind").select_option("home_visit")
    page.locator("#id_plan-purpose").fill("Budgetplan bespreken")
    assert_accessible("the trajectory page with the form to plan a contact")
    with page.expect_navigation():
        page.locator("#plan-contact button[type=submit]").click()
    contact = Contact.objects.get(trajectory=trajectory)
    assert (contact.status, contact.at, contact.minutes) == ("planned", dt.time(14, 15), 45)

    # The agenda opens at that day: today, marked, with the visit and its time.
    assert "/agenda/" in page.url
    day = page.locator(f"#day-{today.isoformat()}")
    expect(day).to_have_class("agenda-day agenda-today")
    item = day.locator(f"#agenda-contact-{contact.pk}")
    expect(item).to_contain_text("14:15–15:00")
    expect(item).to_contain_text("Noor Agendatest")
    expect(item).to_contain_text("Huisbezoek")
    expect(item).to_contain_text("Budgetplan bespreken")
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Agenda")
    assert_accessible("the agenda's week")

    # Next week is empty; back to this week.
    with page.expect_navigation():
        page.locator("a[rel=next]").click()
    expect(page.locator("main")).not_to_contain_text("Agendatest")
    assert_accessible("the agenda's next week")
    with page.expect_navigation():
        page.locator("a[rel=prev]").click()
    expect(page.locator(f"#agenda-contact-{contact.pk}")).to_be_visible()

    # The home page's contacts due today and the caseload: the next contact, with its time.
    page.goto("/")
    expect(page.locator("#work-contacts")).to_contain_text("Agendatest")
    expect(page.locator("#work-contacts")).to_contain_text("14:15")
    page.goto("/trajectories/caseload/")
    expect(page.locator("table.caseload")).to_contain_text(f"{today:%d/%m/%Y} 14:15")

    # On a phone the week is a list of days: nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.goto("/agenda/")
    overflow = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    assert overflow <= 0, overflow
    assert_accessible("the agenda's week on a phone")

    # The person did not come: marked from the agenda, which then shows it so.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/agenda/")
    item = page.locator(f"#agenda-contact-{contact.pk}")
    item.locator("select").select_option("no_show")
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    contact.refresh_from_db()
    assert contact.status == "no_show"
    expect(page.locator(f"#agenda-contact-{contact.pk}")).to_contain_text("Niet gekomen")
    # The day list (PDF) is a download.
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            f"/agenda/{today.isoformat()}/print/",
        )
    assert download_info.value.suggested_filename == f"agenda-{today:%Y%m%d}.pdf"
