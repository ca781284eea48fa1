"""A mediator drafts a POP, signs it off and downloads it as a PDF; then records a job start at
a new employer and starts job coaching, after the form has said why it could not start without
the employer's consent. Every page on the way is checked with axe-core (WCAG 2.1 A and AA)."""

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
from tandem.audit.models import AccessLog
from tandem.common.dates import add_months
from tandem.trajectories.models import JobCoaching, JobStart, PopReport, Status
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


@pytest.mark.browser
def test_mediator_pop_pdf_job_start_and_job_coaching(
    page, live_server, log_in_as, assert_accessible
):
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-pop-browser")
    gob = OrganisationFactory(name="GOB Gent", code="gob-gent-browser", kind=OrganisationKind.OTHER)
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-pop")
    coach = make_user(Role.JOB_COACH, organisation=gob, username="jobcoach")
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    trajectory = trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="test",
        status="active",
        start_date=add_months(timezone.localdate(), -6),
    )
    base = f"/trajectories/{trajectory.public_id}"
    today = timezone.localdate()
    log_in_as(mediator)

    # The POP: nothing yet, then a first draft.
    page.goto(f"{base}/pop/")
    expect(page.locator("#pop-none")).to_be_visible()
    assert_accessible("the POP page without a POP")
    with page.expect_navigation():
        page.locator("#pop-edit-link").click()
    assert_accessible("the POP form")
    page.locator("#id_job_target").fill("Heftruckchauffeur in de haven")
    page.locator("#id_perspective_0").check()  # the regular labour market
    page.locator("#id_work_plan").fill("Heftruckattest halen.\nSolliciteren in de haven.")
    page.locator("#id_welfare_plan").fill("Schuldbemiddeling bij het OCMW.")
    _submit(page, "#pop-form")
    expect(page).to_have_url(f"{live_server.url}{base}/pop/")
    expect(page.locator("#pop-state")).to_have_attribute("data-state", "draft")
    expect(page.locator("#pop-job-target")).to_have_text("Heftruckchauffeur in de haven")
    assert_accessible("the POP draft")

    # Sign it off (today is filled in), and confirm in the second step.
    _submit(page, "#sign-off-form")
    expect(page.locator("#confirm-what")).to_contain_text("Heftruckchauffeur in de haven")
    assert PopReport.objects.get(trajectory=trajectory).signed_off_on is None
    _submit(page, "#confirm-form")
    expect(page.locator("#pop-state")).to_have_attribute("data-state", "signed-off")
    expect(page.locator("#sign-off-form")).to_have_count(0)
    assert_accessible("the signed-off POP")
    assert PopReport.objects.get(trajectory=trajectory).signed_off_on == today

    # Download the PDF.
    with page.expect_download() as download_info:
        page.locator("#pop-pdf-link").click()
    download = download_info.value
    assert download.suggested_filename == "pop-v1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert AccessLog.objects.filter(person=person, what="POP PDF").count() == 1

    # A job start at a new employer.
    page.goto(f"{base}/job/")
    expect(page.locator("#no-jobs")).to_be_visible()
    assert_accessible("work and job coaching, no job yet")
    with page.expect_navigation():
        page.locator("#job-start-link").click()
    assert_accessible("the job start form")
    started = today - dt.timedelta(days=20)
    page.locator("#id_employer").select_option("")
    page.locator("#id_new_employer_name").fill("Haven Logistiek")
    page.locator("#id_new_employer_municipality").fill("Gent")
    page.locator("#id_started_on").fill(started.isoformat())
    page.locator("#id_contract_type").select_option("permanent")
    page.locator("#id_job_title").fill("Heftruckchauffeur")
    _submit(page, "#job-start-form")
    expect(page).to_have_url(f"{live_server.url}{base}/job/")
    expect(page.locator("section.job")).to_have_count(1)
    expect(page.locator("table.retention tbody tr")).to_have_count(3)
    assert_accessible("work and job coaching with a job")
    job = JobStart.objects.get(trajectory=trajectory)
    assert job.employer.kind == OrganisationKind.EMPLOYER
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED

    # Job coaching: refused in plain words without the employer's consent, then started.
    with page.expect_navigation():
        page.locator(".job-coaching-link").click()
    assert_accessible("the job coaching form")
    page.locator("#id_coach").select_option(str(coach.pk))
    page.locator("#id_started_on").fill(today.isoformat())
    _submit(page, "#job-coaching-form")
    expect(page.locator("#coaching-refused li")).to_have_count(1)
    assert_accessible("the job coaching form with the reasons it cannot start")
    assert not JobCoaching.objects.exists()

    page.locator("#id_employer_consent_on").fill((today - dt.timedelta(days=2)).isoformat())
    _submit(page, "#job-coaching-form")
    expect(page).to_have_url(f"{live_server.url}{base}/job/")
    coaching = JobCoaching.objects.get(job_start=job)
    assert coaching.coach == coach
    assert coaching.ends_on == add_months(today, 6)
    expect(page.locator(f"#coaching-{coaching.pk} .coaching-end")).to_have_attribute(
        "data-date", coaching.ends_on.isoformat()
    )
    assert_accessible("work and job coaching with coaching")

    # The trajectory page shows both in its panels.
    page.goto(f"{base}/")
    expect(page.locator("#pop-panel")).to_be_visible()
    expect(page.locator("#job-panel")).to_be_visible()
    assert_accessible("the trajectory page with the POP and job panels")

    # No name or national number in any URL the browser asked for.
    for url in page.visited_urls:
        for secret in (person.first_name, person.last_name, person.insz):
            assert secret not in url, url
