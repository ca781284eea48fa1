"""A referral addressed to an office, in a real browser (issue 18): the CAW partner of a duo
refers the work action to VDAB Gent's service, urgent; VDAB Gent's mediator finds it in the
office's intake queue with the question, takes it, and the referral is accepted; the partner
reads "Aanvaard" on the referral. axe-core checks every page on the way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.network.models import Referral
from tandem.registry.intake.models import Intake
from tests.registry.test_intake_referral import (  # noqa: F401 (fixtures)
    QUESTION,
    aalst,
    caw,
    duo,
    ghent,
    ghent_mediator,
    lead,
    partner,
    vdab,
    work_service,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.browser
def test_a_referral_to_the_office_is_taken_in_its_queue(
    page,
    live_server,
    log_in_as,
    assert_accessible,
    partner,  # noqa: F811
    duo,  # noqa: F811
    work_service,  # noqa: F811
    ghent_mediator,  # noqa: F811
):
    trajectory, action = duo
    log_in_as(partner)
    page.goto(reverse("network:referral_send", args=[trajectory.public_id, action.pk]))
    assert_accessible("the referral form")
    page.locator("#id_service").select_option(str(work_service.pk))
    page.locator("#id_question").fill(QUESTION)
    page.locator("#id_urgent").check()
    with page.expect_navigation():
        page.locator("#referral-send-form button[type=submit]").click()
    item = Intake.objects.get(source="referral")
    assert (item.urgency, item.note, item.status) == ("urgent", QUESTION, "waiting")

    page.context.clear_cookies()
    log_in_as(ghent_mediator)
    page.goto(reverse("registry:intake_queue"))
    card = page.locator(f"#intake-i{item.public_id.hex[:12]}").locator("xpath=..")
    assert QUESTION in card.inner_text()
    assert "Dringend" in card.inner_text()
    assert_accessible("the intake queue with a referral")
    card.locator("input[value='take']").check()
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    assert "de doorverwijzing is aanvaard" in page.locator("main").inner_text()
    referral = Referral.objects.get()
    assert referral.status == "accepted"

    page.context.clear_cookies()
    log_in_as(partner)
    page.goto(reverse("network:referral_detail", args=[referral.public_id]))
    assert "Aanvaard" in page.locator("main").inner_text()
    assert_accessible("the referral, accepted")
