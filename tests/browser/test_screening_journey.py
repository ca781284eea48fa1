"""A service-line worker screens a person, sees the traffic lights and the advice with its
reasons, and refers the person on to a work-welfare mediator's office."""

from __future__ import annotations

import pytest
from django.utils import translation

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.registry.selectors import person_queryset_for
from tandem.screening.models import Screening
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.browser
def test_service_line_screens_and_refers_on(page, live_server, log_in_as, assert_accessible):
    vdab = OrganisationFactory(name="VDAB", code="vdab-browser")
    office = OrganisationFactory(
        name="VDAB Gent-Centrum",
        code="vdab-gent-browser",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )
    worker = make_user(Role.SERVICE_LINE, organisation=vdab, username="servicelijn")
    person = make_person(worker, first_name="Nadia", last_name="Benali")
    office_mediator = make_user(Role.MEDIATOR, organisation=office)
    log_in_as(worker)

    page.goto(f"/persons/{person.public_id}/")
    page.locator(f"a[href='/screenings/persons/{person.public_id}/new/']").click()
    expect(page.locator("h1")).to_contain_text("Nadia Benali")
    assert_accessible("the screening form")

    # Debts, a poor home and no childcare: poverty stands in the way of work.
    page.locator("#id_signal_schulden").check()
    page.locator("#id_signal_slechte-woning").check()
    page.locator("#id_signal_geen-kinderopvang").check()
    page.locator("#id_motivation_0").check()  # sufficient
    page.locator("#id_outflow_within_two_years_0").check()  # yes
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    screening = Screening.objects.get(person=person)
    expect(page).to_have_url(f"{live_server.url}/screenings/{screening.public_id}/")
    lights = page.locator("ul.lights > li")
    expect(lights).to_have_count(13)
    expect(page.locator("li.light-orange")).to_have_count(3)
    advice = page.locator("section.advice")
    with translation.override("nl"):  # the page is Dutch, whatever an earlier test activated
        expect(advice.locator("h2")).to_contain_text(str(screening.get_advice_display()))
    expect(advice.locator("li")).to_have_count(len(screening.advice_reasons))
    assert screening.route_suggested == "w2"
    assert_accessible("the screening result")

    page.locator("#id_organisation").select_option(str(office.pk))
    page.locator("#id_note").fill("Graag contact voor een werk-welzijnstraject.")
    page.locator("input[name='urgency'][value='normal']").check()  # no default: one chooses
    with page.expect_navigation():
        page.locator("form[action$='/refer/'] button[type=submit]").click()

    expect(page.locator("#referred-title")).to_be_visible()
    expect(page.locator("main")).to_contain_text("VDAB Gent-Centrum")
    assert_accessible("the screening after referral")
    screening.refresh_from_db()
    assert screening.referred_to == office
    assert person_queryset_for(office_mediator).filter(pk=person.pk).exists()
