"""Outreach in a real browser, with axe on every page: on a 390-px-wide phone an outreach
worker logs a contact at a school gate, logs a second one with the same person, and registers
the person with their consent, handing them over to the VDAB office; a mediator of that office
starts a trajectory funded by the project; the programme manager sees the funnel, the project's
ESF indicators move and the programme dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.outreach import services
from tandem.outreach.models import Prospect
from tandem.trajectories.models import Trajectory
from tests.factories import OrganisationFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


@pytest.mark.browser
def test_outreach_from_school_gate_to_funnel(page, live_server, log_in_as, assert_accessible):
    jes = OrganisationFactory(
        name="vzw Jes",
        code="jes-browser",
        kind=OrganisationKind.OUTREACH_PARTNER,
        province="oost_vlaanderen",
        municipality="Gent",
    )
    office = OrganisationFactory(
        name="VDAB Gent",
        code="vdab-gent-outreach-browser",
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreachwerker")
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-outreach")
    manager = make_user(Role.PROGRAMME_MANAGER, username="programmabeheerder-outreach")
    place = services.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort De Vlieger", municipality="Gent"
    )
    from tandem.programmes.services import project_target_upsert, project_upsert

    project = project_upsert(
        acting_user=None,
        code="gent-mat-browser",
        name="Mobiel Arbeidsteam Gent (test)",
        promoter=jes,
        start_date=timezone.localdate() - dt.timedelta(days=365),
        end_date=timezone.localdate() + dt.timedelta(days=365),
        budget=4_700_000,
    )
    project_target_upsert(
        acting_user=None,
        project=project,
        kind="into_work_or_training",
        value=900,
        due_date=project.end_date,
        bound="more_than",
    )
    place.project = project
    place.save()

    # 1. On a phone, a first contact at the school gate.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_as(worker)
    page.goto("/outreach/")
    assert_accessible("the contact form on a phone")
    page.locator("#id_place").select_option(str(place.pk))
    page.locator("#id_nickname").fill("Mama Yasmine")
    page.locator("#id_approximate_age").fill("34")
    page.locator("#contact-form input[value=ar]").check()
    page.locator("#id_need").fill("werk")
    _submit(page, "#contact-form")
    expect(page.locator(".messages")).to_contain_text("Mama Yasmine")
    prospect = Prospect.objects.get()

    # 2. A second contact with the same person: chosen from "met before?"; the place is asked
    # again (no silent default).
    expect(page.locator("#id_place")).to_have_value("")
    page.locator("#id_place").select_option(str(place.pk))
    page.locator("#id_prospect").select_option(str(prospect.public_id))
    _submit(page, "#contact-form")
    expect(page.locator(".messages")).to_contain_text("2")
    assert prospect.moments.count() == 2

    # 3. The list shows her as engaged; the worker registers her with consent.
    page.goto("/outreach/prospects/")
    assert_accessible("the people met on a phone")
    expect(page.locator("#prospects")).to_contain_text("betrokken")
    with page.expect_navigation():
        page.get_by_role("link", name="Mama Yasmine").click()
    assert_accessible("the prospect on a phone")
    with page.expect_navigation():
        page.locator("#register").click()
    assert_accessible("the registration form on a phone")
    page.locator("#id_first_name").fill("Yasmine")
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_birth_date").fill("1991-05-12")
    # No choice is made for the worker: benefit starts as unknown, gender, province and
    # registration on nothing.
    expect(page.locator("#id_benefit")).to_have_value("unknown")
    expect(page.locator("#id_province")).to_have_value("")
    expect(page.locator("#convert-form input[type=radio]:checked")).to_have_count(0)
    page.locator("#convert-form input[name=gender][value=F]").check()
    page.locator("#id_province").select_option("oost_vlaanderen")
    page.locator("#convert-form input[name=registration][value=non_active]").check()
    page.locator("#id_nationality_group").select_option("non_eu")
    page.locator("#id_office").select_option(str(office.pk))
    page.locator("#convert-form input[name=urgency][value=normal]").check()
    page.locator("#id_intake_note").fill("Zoekt werk, spreekt wat Nederlands.")
    page.locator("#id_consent").check()
    page.locator("#convert-form input[name=evidence][value=signed_form]").check()
    _submit(page, "#convert-form")
    prospect.refresh_from_db()
    person = prospect.person
    assert person is not None and person.registration == "non_active"
    expect(page.locator("#moments")).to_contain_text("Schoolpoort De Vlieger")

    # Before the trajectory: the project's indicators count no participant yet.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_as(manager)
    indicators = f"/programmes/projects/{project.code}/indicators/"
    page.goto(indicators)
    expect(page.locator("#indicator-EECO01 td").last).to_have_text("0")

    # 4. A mediator of the office starts a trajectory, funded by the project.
    page.context.clear_cookies()
    log_in_as(mediator)
    page.goto(f"/trajectories/start/{person.public_id}/")
    page.locator("#id_type").select_option("outreach")
    page.locator("#id_reason").fill("Toegeleid via vzw Jes")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_status_0").check()  # referred: nothing is ticked for the mediator
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    assert Trajectory.objects.filter(person=person, project=project).exists()

    # 5. The programme manager sees the funnel, small counts hidden.
    page.context.clear_cookies()
    log_in_as(manager)
    page.goto("/outreach/funnel/")
    assert_accessible("the funnel")
    expect(page.locator("#funnel-teams")).to_contain_text("vzw Jes")
    expect(page.locator("#funnel-total")).to_contain_text("x")
    expect(page.locator("#funnel-projects")).to_contain_text("900")

    # 6. The project's indicators move: one participant (shown as "x"), a third-country national.
    page.goto(indicators)
    assert_accessible("the project's ESF indicators")
    expect(page.locator("#indicator-EECO01 td").last).to_have_text("x")
    expect(page.locator("#indicator-EECO13 td").last).to_have_text("x")
    page.goto("/programmes/dashboard/")
    assert_accessible("the programme dashboard")
    expect(page.locator("main")).to_contain_text("Mobiel Arbeidsteam Gent (test)")
