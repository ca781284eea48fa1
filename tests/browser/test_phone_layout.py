"""Phone-sized screens (390 × 844, issue 14): list tables become stacked cards, the header
collapses into a menu, and the outreach contact form fits on one screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.outreach import services as oservices
from tandem.programmes.services import project_upsert
from tests.factories import OrganisationFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The collapsed header: brand and the menu button on one line.
MAX_HEADER_PX = 80


def _overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def _group(today: dt.date):
    intro = OrganisationFactory(
        name="Groep Intro", code="groep-intro-phone", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=intro, username="groepsbegeleider-gsm")
    project = project_upsert(
        acting_user=None,
        code="esf-phone",
        name="Versterken van de werk-welzijnsbemiddeling OVL",
        promoter=intro,
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=365),
        budget=499467,
    )
    programme = gservices.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk Oost-Vlaanderen",
        province="oost_vlaanderen",
        coaches=[coach],
    )
    module = gservices.module_save(
        acting_user=None,
        programme=programme,
        name="Mijn netwerk en mijn buurt",
        theme="social_network",
        session_count=6,
    )
    intake = enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=today - dt.timedelta(days=14),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis De Centrale, Sint-Amandsberg",
        coach=coach,
    )
    return coach, intake


@pytest.mark.browser
def test_group_page_fits_a_phone_with_the_attendance_button_in_view(page, log_in_as):
    coach, intake = _group(timezone.localdate())
    page.set_viewport_size(PHONE)
    log_in_as(coach)
    page.goto(f"/groupwork/groups/{intake.pk}/")
    assert _overflow(page) == 0
    table = page.locator("#sessions")
    assert table.bounding_box()["width"] <= PHONE["width"]
    button = page.locator("#sessions a.button").first
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Each stacked cell still says what it is (the column's header, from data-label).
    label = page.locator("#sessions tbody td[data-label]").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label.strip('"') == "#"
    # The header is one short line with a menu that opens without JavaScript.
    assert page.locator("header.site-header").bounding_box()["height"] <= MAX_HEADER_PX
    page.locator("header .header-menu summary").click()
    assert page.locator("header .header-menu nav a[href='/']").is_visible()
    assert page.locator("header .header-menu form[action='/accounts/logout/'] button").is_visible()
    # Open or closed, nothing in the menu sticks out of the screen.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('header *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert not wide, wide


@pytest.mark.browser
def test_outreach_contact_form_fits_one_phone_screen(page, log_in_as):
    jes = OrganisationFactory(
        name="vzw Jes", code="jes-phone", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach-gsm")
    oservices.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort De Vlieger", municipality="Gent"
    )
    page.set_viewport_size(PHONE)
    log_in_as(worker)
    page.goto("/outreach/")
    assert _overflow(page) == 0
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= MAX_HEADER_PX
    submit = page.locator("#contact-form button[type=submit]").bounding_box()
    assert submit["y"] + submit["height"] <= PHONE["height"]


@pytest.mark.browser
def test_wide_screen_keeps_the_full_navigation(page, log_in_as):
    coach, intake = _group(timezone.localdate())
    log_in_as(coach)
    page.goto(f"/groupwork/groups/{intake.pk}/")
    assert page.locator("header .main-nav a[href='/']").first.is_visible()
    assert not page.locator("header .header-menu").is_visible()
    # Wide tables stay tables: the header row is shown.
    assert page.locator("#sessions thead").is_visible()
