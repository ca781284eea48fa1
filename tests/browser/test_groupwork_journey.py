"""Group work in a real browser, with axe on every page: the mediator enrols a person in a
module from the trajectory; the partner's coach accepts the request (the person is placed in
the group that starts today); on a 390-px-wide phone the coach takes attendance for the first
session of a group of eight, draws the person's network map and writes POP input; the mediator
sees the input on the trajectory and takes it into the POP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import OrganisationKind, Role
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import Attendance, Enrolment, NetworkMap, PopInput
from tandem.programmes.services import project_upsert
from tandem.trajectories import services as tservices
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


def _trajectory(mediator, first_name: str, last_name: str):
    return tservices.trajectory_start(
        acting_user=mediator,
        person=make_person(mediator, first_name=first_name, last_name=last_name),
        type="w2",
        reason="Individuele bemiddeling volstaat niet",
        status="active",
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )


@pytest.mark.browser
def test_group_work_from_enrolment_to_pop_input(page, live_server, log_in_as, assert_accessible):
    today = timezone.localdate()
    office = OrganisationFactory(name="VDAB Gent", code="vdab-gent-groupwork-browser")
    intro = OrganisationFactory(
        name="Groep Intro", code="groep-intro-browser", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    mediator = make_user(Role.MEDIATOR, organisation=office, username="bemiddelaar-groep")
    coach = make_user(Role.GROUP_COACH, organisation=intro, username="groepsbegeleider")
    project = project_upsert(
        acting_user=None,
        code="esf478-ovl-browser",
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
        name="Mijn netwerk",
        theme="social_network",
        session_count=6,
    )
    intake = enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=today,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis De Centrale",
        coach=coach,
    )
    # Seven people are already in the group that starts today.
    for n in range(7):
        other = enrolment_services.enrolment_request(
            acting_user=mediator,
            trajectory=_trajectory(mediator, f"Deelnemer{n}", "Groep"),
            module=module,
            on=today - dt.timedelta(days=10),
        )
        enrolment_services.enrolment_decide(acting_user=coach, enrolment=other, accept=True)
    trajectory = _trajectory(mediator, "Yasmina", "Amrani")
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=today,
        domain="mental_health",
        text="Slaapproblemen besproken",
    )

    # 1. The mediator enrols the person from the trajectory page.
    log_in_as(mediator)
    page.goto(f"/trajectories/{trajectory.public_id}/")
    expect(page.locator("#groupwork-panel")).to_contain_text("Nog geen groepswerk")
    with page.expect_navigation():
        page.locator("#enrol-groupwork").click()
    assert_accessible("the enrolment form")
    expect(page.locator("#enrol-form")).to_contain_text("1 vrij")
    page.locator(f"#module-{module.pk}").check()
    page.locator("#id_note").fill("Spreekt Nederlands en Arabisch; liefst voormiddag.")
    _submit(page, "#enrol-form")
    enrolment = Enrolment.objects.get(trajectory=trajectory)
    assert enrolment.status == "requested"
    expect(page.locator(f"#enrolment-{enrolment.public_id}")).to_contain_text("Gevraagd")
    assert_accessible("the trajectory page with a request")

    # 2. The partner's coach accepts: placed in the group that starts today.
    page.context.clear_cookies()
    log_in_as(coach)
    page.goto("/")
    with page.expect_navigation():
        page.locator("main a[href='/groupwork/requests/']").first.click()
    expect(page.locator(f"#request-{enrolment.public_id}")).to_contain_text("Yasmina Amrani")
    assert_accessible("the coach's inbox")
    with page.expect_navigation():
        page.locator(f"#request-{enrolment.public_id} a").click()
    assert_accessible("the request")
    page.locator("input[name='decide-decision'][value='accept']").check()
    _submit(page, "#decide-form")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.intake_id) == ("placed", intake.pk)
    expect(page.locator(".message-success")).to_contain_text(today.strftime("%d/%m/%Y"))
    # Only what the group needs: no note of the file.
    expect(page.locator("main")).not_to_contain_text("Slaapproblemen")

    # 3. On a phone: attendance for the first session of the group of eight.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/groupwork/groups/{intake.pk}/")
    expect(page.locator(".participants li")).to_have_count(8)
    assert_accessible("the group on a phone")
    with page.expect_navigation():
        page.locator("#sessions a", has_text="Aanwezigheden").first.click()
    assert_accessible("the attendance list on a phone")
    rows = page.locator(".attendance-row")
    expect(rows).to_have_count(8)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    assert not wide, f"wider than a 390-px phone: {wide}"
    # Nobody starts as present: the coach marks everyone.
    expect(page.locator("#attendance-form input[type=radio]:checked")).to_have_count(0)
    for row_id in Enrolment.objects.filter(intake=intake).values_list("pk", flat=True):
        page.locator(f"#row-{row_id} label", has_text="Aanwezig").click()
    page.locator(f"#row-{enrolment.pk} label", has_text="Verontschuldigd").click()
    first_other = Enrolment.objects.filter(intake=intake).exclude(pk=enrolment.pk).first()
    page.locator(f"#row-{first_other.pk} label", has_text="Afwezig").last.click()
    _submit(page, "#attendance-form")
    recorded = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert len(recorded) == 8
    assert recorded[enrolment.pk] == "excused" and recorded[first_other.pk] == "absent"
    assert sorted(recorded.values()).count("present") == 6

    # 4. The coach draws the start network map with the participant.
    page.goto(f"/groupwork/enrolments/{enrolment.public_id}/")
    with page.expect_navigation():
        page.locator("#draw-start").click()
    assert_accessible("the network map form on a phone")
    page.locator("#id_ties-0-label").fill("Zus Leila")
    page.locator("input[name='ties-0-kind'][value='person']").check()
    page.locator("#id_ties-0-relation").select_option("family")
    page.locator("input[name='ties-0-strength'][value='3']").check()
    page.locator("#id_ties-1-label").fill("OCMW Gent")
    page.locator("input[name='ties-1-kind'][value='organisation']").check()
    page.locator("#id_ties-1-relation").select_option("professional")
    page.locator("input[name='ties-1-strength'][value='2']").check()
    _submit(page, "#network-map-form")
    network_map = NetworkMap.objects.get(enrolment=enrolment, moment="start")
    assert sorted(network_map.ties.values_list("label", flat=True)) == ["OCMW Gent", "Zus Leila"]
    expect(page.locator("svg").first).to_be_visible()
    assert_accessible("the network maps side by side on a phone")

    # 5. The coach writes POP input for the mediator.
    page.goto(f"/groupwork/enrolments/{enrolment.public_id}/")
    page.locator("#pop-input-details summary").click()
    page.locator("#id_pop-strengths").fill("Helpt anderen in de groep; komt op tijd.")
    page.locator("#id_pop-job_target").fill("Keukenhulp")
    page.locator("input[name='pop-perspective'][value='social_economy']").check()
    page.locator("#id_pop-work_plan").fill("Stage in een sociaal restaurant")
    _submit(page, "#pop-input-form")
    expect(page.locator("#pop-inputs")).to_contain_text("Keukenhulp")
    assert_accessible("the participant with POP input on a phone")
    pop_input = PopInput.objects.get(enrolment=enrolment)

    # 6. The mediator sees it on the trajectory and takes it into the POP.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    log_in_as(mediator)
    page.goto(f"/trajectories/{trajectory.public_id}/")
    expect(page.locator(f"#pop-input-{pop_input.pk}")).to_contain_text(
        "Stage in een sociaal restaurant"
    )
    expect(page.locator(f"#enrolment-{enrolment.public_id}")).to_contain_text("Geplaatst")
    assert_accessible("the trajectory with the group's POP input")
    with page.expect_navigation():
        page.locator(f"#adopt-{pop_input.pk}").click()
    expect(page.locator("#id_job_target")).to_have_value("Keukenhulp")
    pop = trajectory.pops.get()
    assert (pop.perspective, pop.work_plan) == ("social_economy", "Stage in een sociaal restaurant")
    page.goto(f"/groupwork/enrolments/{enrolment.public_id}/network/")
    expect(page.locator("main")).to_contain_text("Zus Leila")
    assert_accessible("the network maps as the mediator sees them")
