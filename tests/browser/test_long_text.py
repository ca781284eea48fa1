"""Long text in a real browser: the textarea counts what is typed, the browser stops at the
limit, and the longest note a mediator can write — one unbroken word — leaves the trajectory
page as wide as the window (it once widened it to 121,743 px)."""

from __future__ import annotations

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.common.text import NOTE_MAX
from tandem.trajectories.models import Contact
from tandem.trajectories.services import trajectory_start
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "x" * 5_000  # longer than any note may be, and without a single place to break


def _page_width(page) -> dict[str, int]:
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})"
    )


def test_a_note_of_one_unbroken_word_keeps_the_trajectory_page_in_the_window(
    page, live_server, log_in_as
):
    mediator = make_user(Role.MEDIATOR, username="lotte-long")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="Aangemeld", status="active"
    )
    log_in_as(mediator)
    page.set_default_timeout(20_000)  # a page of 4,000-character notes on a busy 2-core machine
    page.goto(f"/trajectories/{trajectory.public_id}/")
    page.locator("details:has(#id_contact-text) > summary").click()

    area = page.locator("#id_contact-text")
    expect(area).to_have_attribute("maxlength", str(NOTE_MAX))
    counter = page.locator("#id_contact-text_count")
    expect(counter).to_have_text(f"0 / {NOTE_MAX:,} tekens".replace(",", "."))
    area.fill(WORD)  # the browser keeps the first NOTE_MAX characters
    expect(counter).to_have_text(f"{NOTE_MAX:,} / {NOTE_MAX:,} tekens".replace(",", "."))
    page.locator("#id_contact-kind").select_option("office")
    page.locator("#id_contact-on").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.locator("form:has(#id_contact-text) button[type=submit]").click()

    assert Contact.objects.get(trajectory=trajectory).text == "x" * NOTE_MAX
    expect(page.get_by_text("x" * 100, exact=False).first).to_be_visible()
    width = _page_width(page)
    assert width["scroll"] <= width["view"], width

    # On a phone the note wraps within the screen too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    note = page.get_by_text("x" * 100, exact=False).first
    box = note.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box
