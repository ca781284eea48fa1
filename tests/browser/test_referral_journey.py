"""A closed-loop referral in a real browser, with axe on every page: the mediator records the
person's consent for the local OCMW (finances and housing) and refers a housing action to the
OCMW's service; an OCMW worker finds it in the inbox, accepts it, starts and completes it; the
mediator sees the plan action done."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.network.models import Referral, ReferralStatus, Service
from tandem.trajectories import services as tservices
from tandem.trajectories.models import ActionStatus
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


def _move(page, status: str, **fields: str) -> None:
    page.locator(f"input[name='move-to_status'][value='{status}']").check()
    for name, value in fields.items():
        page.locator(f"#id_move-{name}").fill(value)
    _submit(page, "#referral-transition-form")


@pytest.mark.browser
def test_a_referral_goes_round_the_loop(page, live_server, log_in_as, assert_accessible):
    today = timezone.localdate()
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-referral-browser")
    ocmw = OrganisationFactory(
        name="OCMW Gent", code="ocmw-gent-referral-browser", kind=OrganisationKind.OCMW
    )
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-verwijzing")
    worker = make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="ocmw-verwijzing")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld door het OCMW",
        status="active",
        start_date=today - dt.timedelta(days=30),
    )
    goal = plan_services.goal_create(
        acting_user=mediator,
        trajectory=trajectory,
        domain="housing",
        description="Een betaalbare, gezonde woning",
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Huurachterstand regelen", owner="client"
    )
    Service.objects.create(
        organisation=ocmw, name="Woonbegeleiding", life_domains=["housing", "income"]
    )
    log_in_as(mediator)

    # 1. The mediator records the consent for the OCMW: finances and housing.
    page.goto(f"/persons/{person.public_id}/consents/")
    page.locator("#id_recipient_organisation").select_option(label="OCMW Gent")
    page.locator("input[name='domains'][value='income']").check()
    page.locator("input[name='domains'][value='housing']").check()
    page.locator("input[name='evidence'][value='signed_form']").check()
    _submit(page, "#consent-form")
    expect(page.locator(".message-success")).to_be_visible()

    # 2. From the plan, refer the housing action to the OCMW's service.
    page.goto(f"/trajectories/{trajectory.public_id}/")
    with page.expect_navigation():
        page.locator(f"#action{action.pk}-refer").click()
    assert_accessible("the referral form")
    page.locator("#id_service").select_option(index=1)
    page.locator("#id_question").fill("Kan woonbegeleiding starten? Twee maanden huurachterstand.")
    _submit(page, "#referral-send-form")
    referral = Referral.objects.get(person=person)
    expect(page).to_have_url(f"{live_server.url}/referrals/{referral.public_id}/")
    expect(page.locator("#referral-status")).to_have_text(str(ReferralStatus.SENT.label))
    assert referral.receiving_organisation == ocmw
    assert referral.domains == ["income", "housing"]
    assert_accessible("the referral as the sender sees it")
    page.goto(f"/trajectories/{trajectory.public_id}/")
    expect(page.locator(f"#action{action.pk}-referral")).to_contain_text("Woonbegeleiding")
    expect(page.locator(f"#action{action.pk}-refer")).to_have_count(0)
    assert_accessible("the trajectory page with a referral")

    # 3. An OCMW worker finds it in the inbox, accepts, starts and completes it.
    page.context.clear_cookies()
    log_in_as(worker)
    page.goto("/referrals/inbox/")
    row = page.locator(f"#referral-{referral.public_id}")
    expect(row).to_contain_text("Amrani, Yasmina")
    assert_accessible("the inbox")
    with page.expect_navigation():
        row.locator("a").first.click()
    expect(page.locator("#referral-question")).to_contain_text("Twee maanden huurachterstand")
    expect(page.locator("#referral-plan")).to_contain_text("Huurachterstand regelen")
    assert_accessible("the referral as the receiver sees it")
    _move(page, "declined")  # without a reason: refused, said in words
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible("the referral form with an error")
    _move(page, "accepted")
    expect(page.locator(".message-success")).to_be_visible()
    _move(page, "in_progress", note="Eerste gesprek bij het OCMW gepland.")
    _move(page, "completed", outcome="Afbetalingsplan voor de huur; begeleiding loopt verder.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    expect(page.locator("#referral-history li")).to_have_count(4)
    expect(page.locator("#referral-transition-form")).to_have_count(0)
    assert_accessible("the completed referral")
    assert AccessLog.objects.filter(user=worker, person=person, what="referral").exists()

    # 4. The mediator sees the plan action done.
    page.context.clear_cookies()
    log_in_as(mediator)
    page.goto(f"/trajectories/{trajectory.public_id}/")
    expect(page.locator(f"#goal-{goal.pk} li.action-done")).to_contain_text(
        "Huurachterstand regelen"
    )
    expect(page.locator(f"#action{action.pk}-referral")).to_contain_text(
        str(ReferralStatus.COMPLETED.label)
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on == today
    assert AuditEvent.objects.filter(event_type="referral.sent", person=person).count() == 1
    page.goto("/referrals/sent/?status=closed")
    expect(page.locator(f"#referral-{referral.public_id}")).to_be_visible()
    assert_accessible("the referrals sent")

    # 5. Issue 18: the answer reaches the mediator's home page (My work), with an unread
    # notification counted in the header.
    page.goto("/")
    answers = page.locator("#work-referrals")
    expect(answers).to_contain_text("Amrani")
    expect(answers).to_contain_text(str(ReferralStatus.COMPLETED.label))
    expect(page.get_by_role("link", name=re.compile(r"Meldingen \d+ ongelezen"))).to_be_visible()
    assert_accessible("the mediator's home page with the referral's answer")

    leaked = [url for url in page.visited_urls if "amrani" in url.lower() or person.insz in url]
    assert not leaked, f"personal data in URLs: {leaked}"
