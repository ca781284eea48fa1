"""The mediator's journey through a W² trajectory, in a real browser, with axe on every page:
start from a screening, add a welfare partner, plan in three life domains, record two readings
and see the chart, draft a POP and download its PDF, record a job start and job coaching, and
close the trajectory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories.models import JobCoaching, Status, Trajectory
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


@pytest.mark.browser
def test_mediator_runs_a_w2_trajectory(page, live_server, log_in_as, assert_accessible):
    today = timezone.localdate()
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-journey")
    ocmw = OrganisationFactory(
        name="OCMW Gent", code="ocmw-gent-journey", kind=OrganisationKind.OCMW
    )
    mediator = make_user(Role.MEDIATOR, organisation=office, username="lotte")
    partner = make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="jonas")
    person = make_person(
        mediator, first_name="Yasmina", last_name="Amrani", birth_date=dt.date(1988, 4, 2)
    )
    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "slechte-woning", "geen-kinderopvang"],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=today - dt.timedelta(days=40),
    )
    log_in_as(mediator)

    # 1. Start the trajectory from the screening's route.
    page.goto(f"/screenings/{screening.public_id}/")
    page.locator(f"a[href*='/trajectories/start/{person.public_id}/']").click()
    expect(page.locator("#id_type")).to_have_value("w2")
    assert_accessible("the start form")
    page.locator("#id_start_date").fill((today - dt.timedelta(days=30)).isoformat())
    page.locator("#id_status_2").check()  # active
    _submit(page, "main form.card")
    trajectory = Trajectory.objects.get(person=person)
    expect(page).to_have_url(f"{live_server.url}/trajectories/{trajectory.public_id}/")
    assert (trajectory.type, trajectory.status, trajectory.screening) == ("w2", "active", screening)
    assert_accessible("the trajectory page")

    # 2. Add the welfare partner of the OCMW.
    page.locator(f"a[href='/trajectories/{trajectory.public_id}/duo/']").click()
    assert_accessible("the duo page")
    page.locator("#id_partner").select_option(str(partner.pk))
    _submit(page, "form:has(input[value=partner])")
    trajectory.refresh_from_db()
    assert trajectory.welfare_partner == partner
    page.goto(f"/trajectories/{trajectory.public_id}/")

    # 3. A plan with an action in three life domains.
    for domain, goal, action in [
        ("work_education", "Een job in de logistiek", "Cv opmaken"),
        ("income", "Zicht op de schulden", "Afspraak budgetbegeleiding"),
        ("housing", "Een gezonde woning", "Inschrijven bij het SVK"),
    ]:
        page.locator("#id_goal-domain").select_option(domain)
        page.locator("#id_goal-description").fill(goal)
        _submit(page, "form[action$='/goals/new/']")
        goal_obj = trajectory.goals.get(description=goal)
        details = page.locator(f"#goal-{goal_obj.pk} details")
        details.locator("summary").click()
        details.locator(f"#goal{goal_obj.pk}-description").fill(action)
        details.locator(f"#goal{goal_obj.pk}-owner").select_option("client")
        _submit(page, f"#goal-{goal_obj.pk} form[action*='/actions/new/']")
    assert sorted(trajectory.goals.values_list("domain", flat=True)) == [
        "housing",
        "income",
        "work_education",
    ]
    assert sum(g.actions.count() for g in trajectory.goals.all()) == 3
    assert_accessible("the trajectory page with a plan")

    # 4. Two readings, then the chart.
    for on, level in ((today - dt.timedelta(days=20), 2), (today, 4)):
        page.goto(f"/trajectories/{trajectory.public_id}/readings/new/")
        page.locator("#id_on").fill(on.isoformat())
        for domain in ("income", "housing", "work_education"):
            page.locator(f"#id_level_{domain}").select_option(str(level))
        page.locator("#id_agreed_with_client").check()
        _submit(page, "main form")
    page.goto(f"/trajectories/{trajectory.public_id}/readings/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible("the readings page")

    _pop_and_job(page, live_server, trajectory, today, assert_accessible)

    # Close the trajectory with a reason.
    page.goto(f"/trajectories/{trajectory.public_id}/")
    page.locator("#id_to_status").select_option("closed")
    page.locator("#id_closure_reason").select_option("work_regular")
    _submit(page, "form[action$='/status/']")
    # Closing cannot be undone: the second step names the job coaching that still runs.
    expect(page.locator("#confirm-warnings")).to_contain_text("Jobcoaching door")
    assert_accessible("the question before closing a trajectory")
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED
    _submit(page, "#confirm-form")
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.closure_reason) == (Status.CLOSED, "work_regular")
    assert trajectory.end_date == today
    assert_accessible("the closed trajectory")


def _pop_and_job(page, live_server, trajectory, today, assert_accessible) -> None:
    """Draft a POP, sign it off, download its PDF; record a job start and job coaching."""
    base = f"/trajectories/{trajectory.public_id}"
    page.goto(f"{base}/pop/")
    with page.expect_navigation():
        page.locator("#pop-edit-link").click()
    page.locator("#id_job_target").fill("Magazijnier")
    page.locator("#id_perspective_0").check()
    page.locator("#id_work_plan").fill("Heftruckattest halen.")
    page.locator("#id_welfare_plan").fill("Schuldbemiddeling bij het OCMW.")
    _submit(page, "#pop-form")
    _submit(page, "#sign-off-form")
    # Signing off cannot be undone: a second step says so; nothing is signed yet.
    expect(page.locator("#confirm-step")).to_contain_text("verandert nooit meer")
    assert_accessible("the question before signing off a POP")
    assert trajectory.pops.get().signed_off_on is None
    _submit(page, "#confirm-form")
    assert trajectory.pops.get().signed_off_on == today
    assert_accessible("the signed-off POP")
    with page.expect_download() as download_info:
        page.locator("#pop-pdf-link").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"{base}/job/new/")
    page.locator("#id_employer").select_option("")
    page.locator("#id_new_employer_name").fill("Haven Logistiek")
    page.locator("#id_new_employer_municipality").fill("Gent")
    page.locator("#id_started_on").fill((today - dt.timedelta(days=5)).isoformat())
    page.locator("#id_contract_type").select_option("permanent")
    _submit(page, "#job-start-form")
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED
    assert_accessible("work and job coaching")

    with page.expect_navigation():
        page.locator(".job-coaching-link").click()
    page.locator("#id_coach").select_option(str(trajectory.lead_mediator_id))
    page.locator("#id_started_on").fill(today.isoformat())
    page.locator("#id_employer_consent_on").fill((today - dt.timedelta(days=1)).isoformat())
    _submit(page, "#job-coaching-form")
    assert JobCoaching.objects.filter(job_start__trajectory=trajectory).count() == 1
    assert_accessible("job coaching started")
