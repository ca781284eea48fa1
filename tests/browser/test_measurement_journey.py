"""A mediator records two self-sufficiency readings with the client, through the form, and sees
the radar chart and the progress per life domain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.trajectories.defaults import load_default_scale
from tandem.trajectories.models import Assessment
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _fill_reading(page, on: dt.date, levels: dict[str, int], *, agreed: bool = True) -> None:
    page.locator("#id_on").fill(on.isoformat())
    for domain, level in levels.items():
        page.locator(f"#id_level_{domain}").select_option(str(level))
    if agreed:
        page.locator("#id_agreed_with_client").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_mediator_records_two_readings_and_sees_progress(
    page, live_server, log_in_as, assert_accessible
):
    # The flush between browser tests removes what the data migration loaded.
    load_default_scale(apps)
    today = timezone.localdate()
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-measurement")
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    trajectory = trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld door het OCMW",
        status="active",
        start_date=today - dt.timedelta(days=60),
    )
    log_in_as(mediator)
    readings_url = f"/trajectories/{trajectory.public_id}/readings/"

    page.goto(readings_url)
    page.locator("#record-readings").click()
    expect(page).to_have_url(f"{live_server.url}{readings_url}new/")
    expect(page.locator("h1")).to_contain_text("Yasmina Amrani")
    expect(page.locator("select[id^=id_level_]")).to_have_count(13)
    assert_accessible("the readings form")

    # Saving without a single level shows the error summary, and nothing is written.
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert not Assessment.objects.exists()
    assert_accessible("the readings form with errors")

    _fill_reading(page, today - dt.timedelta(days=30), {"income": 2, "housing": 3, "daytime": 1})
    expect(page).to_have_url(f"{live_server.url}{readings_url}")

    page.locator("#record-readings").click()
    _fill_reading(page, today, {"income": 4, "housing": 3, "daytime": 2, "social_network": 3})
    expect(page).to_have_url(f"{live_server.url}{readings_url}")

    chart = page.locator("svg[role=img]")
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    expect(chart.locator(".radar-series")).to_have_count(2)  # the first and the latest
    expect(page.locator("tr[data-domain]")).to_have_count(13)
    expect(page.locator("tr[data-domain=income] .measurement-progress")).to_have_text("+2")
    expect(page.locator("tr[data-domain=daytime] .measurement-progress")).to_have_text("+1")
    expect(page.locator("tr[data-domain=housing] .measurement-progress")).to_have_text("0")
    assert_accessible("the readings page")
    assert Assessment.objects.filter(trajectory=trajectory).count() == 2

    # The trajectory page shows a small chart and links to both pages.
    page.goto(f"/trajectories/{trajectory.public_id}/")
    panel = page.locator("section.measurement-panel")
    expect(panel.locator("svg[role=img]")).to_be_visible()
    expect(panel.locator(f"a[href='{readings_url}']")).to_be_visible()
    expect(panel.locator(f"a[href='{readings_url}new/']")).to_be_visible()
    assert all("Amrani" not in url and person.insz not in url for url in page.visited_urls), (
        "a name or national number ended up in a URL"
    )
