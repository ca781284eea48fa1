"""Lists that scale, in a real browser with axe-core (issue 18, "Lists that scale ... axe-core 0
violations; works on a phone"): the people met, searched and on their second page (the search
is posted, so the pager posts it again: no nickname in a URL), and the coach's group-work
requests and waiting lists on their second pages, each on a desktop and on a 390-px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.outreach import services
from tests.factories import OrganisationFactory, make_user
from tests.groupwork.conftest import (  # noqa: F401 (fixtures)
    coach,
    enrol,
    groep_intro,
    module,
    programme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_people_met_searched_and_paged_is_accessible(
    page, live_server, log_in_as, assert_accessible, settings
):
    settings.TANDEM_PAGE_SIZE = 3
    jes = OrganisationFactory(
        name="vzw Jes", code="jes-lists", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach-lists")
    place = services.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort De Vlieger", municipality="Gent"
    )
    today = timezone.localdate()
    for n in range(8):
        services.contact_log(
            acting_user=worker,
            place=place,
            on=today - dt.timedelta(days=n),
            nickname=f"{'Moeder' if n % 2 else 'Vader'} {n}",
            need="Werk zoeken",
        )
    log_in_as(worker)
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/outreach/prospects/")
        assert page.locator("#prospects-count").inner_text() == "8 mensen ontmoet"
        assert_accessible(f"the people met, page 1 ({viewport['width']} px)")
        page.fill("input[name=text]", "Moeder")
        with page.expect_navigation():
            page.locator("form.filter-form button[type=submit]").click()
        assert page.locator("#prospects-count").inner_text() == "4 mensen ontmoet"
        assert page.locator("#prospects tbody tr").count() == 3
        assert_accessible(f"the people met, searched ({viewport['width']} px)")
        with page.expect_navigation():
            page.locator("nav.pager button[name=page][value='2']").click()
        rows = page.locator("#prospects tbody tr")
        assert rows.count() == 1 and "Moeder" in rows.inner_text()
        assert page.locator("nav.pager [aria-current=page]").inner_text() == "Pagina 2 van 2"
        assert_accessible(f"the people met, searched, page 2 ({viewport['width']} px)")
    # The search was posted each time: no nickname ever in a URL.
    assert not [url for url in page.visited_urls if "Moeder" in url]


@pytest.mark.browser
def test_group_work_requests_and_waiting_lists_paged_are_accessible(
    page,
    live_server,
    log_in_as,
    assert_accessible,
    settings,
    mediator,
    coach,  # noqa: F811
    module,  # noqa: F811
):
    settings.TANDEM_PAGE_SIZE = 2
    for _ in range(3):
        enrol(mediator, coach, module)  # no group planned: they wait
        enrol(mediator, coach, module, accept=False)
    log_in_as(coach)
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/groupwork/requests/?page=2&waiting=2")
        assert page.locator("#requests li").count() == 1
        assert page.locator("#waiting tbody tr").count() == 1
        assert page.locator("nav.pager").count() == 2
        assert_accessible(
            f"the coach's requests and waiting lists, page 2 ({viewport['width']} px)"
        )
