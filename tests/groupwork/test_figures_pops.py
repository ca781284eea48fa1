"""POPs delivered per group-work partner and per participation perspective (issue 17; source
004: "Er werden POP's afgeleverd ... jobdoelwit, participatie ifv werk (NEC, SEC, LDE,
arbeidszorg of werk niet haalbaar)"), on the group-work figures page, under disclosure control.

The data set: Groep Intro's programme (coach) and Randstad's (coach_r).
  Groep Intro: 6 enrolments with NEC, 2 with work-care, 1 without a perspective, and 1 whose
  coach wrote twice (LDE first, then NEC: the latest counts, so NEC 7); 1 enrolment without
  POP input (not counted).
  Randstad: 5 with social economy.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tandem.accounts.models import OrganisationKind, Role
from tandem.common.disclosure import HIDDEN, audit, recording
from tandem.groupwork import services as gs
from tandem.groupwork.enrolment import follow_up
from tandem.groupwork.figures.pops import pops_delivered
from tandem.groupwork.figures.selectors import figure_programmes_for
from tandem.programmes.services import project_upsert
from tandem.trajectories.models import Perspective
from tests.factories import OrganisationFactory, make_user

from .conftest import TODAY, enrol

pytestmark = pytest.mark.django_db
P = Perspective


@pytest.fixture
def world(mediator, coach, module):
    randstad = OrganisationFactory(
        name="Randstad", code="randstad-t", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach_r = make_user(Role.GROUP_COACH, organisation=randstad, username="coach_r")
    project = project_upsert(
        acting_user=None,
        code="esf478-ant-t",
        name="Samen naar Werk!",
        promoter=randstad,
        start_date=TODAY - dt.timedelta(days=700),
        end_date=TODAY + dt.timedelta(days=700),
        budget=482244,
    )
    programme_r = gs.programme_save(
        acting_user=None,
        project=project,
        name="Samen naar Werk Antwerpen",
        province="antwerpen",
        coaches=[coach_r],
    )
    module_r = gs.module_save(
        acting_user=None, programme=programme_r, name="Sterk", theme="resilience", session_count=3
    )

    def write(coach_user, enrolment, perspective, days_ago=5):
        follow_up.pop_input_write(
            acting_user=coach_user,
            enrolment=enrolment,
            perspective=perspective,
            work_plan="Drie vacatures per week bespreken.",
            on=TODAY - dt.timedelta(days=days_ago),
        )

    for perspective in [P.NEC] * 6 + [P.WORK_CARE] * 2 + [""]:
        write(coach, enrol(mediator, coach, module), perspective)
    twice = enrol(mediator, coach, module)
    write(coach, twice, P.LDE, days_ago=20)
    write(coach, twice, P.NEC, days_ago=2)
    enrol(mediator, coach, module)  # no POP input: not delivered
    for _n in range(5):
        write(coach_r, enrol(mediator, coach_r, module_r), P.SOCIAL_ECONOMY)
    manager = make_user(Role.PROGRAMME_MANAGER, username="pm")
    return {"manager": manager, "coach": coach, "coach_r": coach_r, "programme_r": programme_r}


COLUMNS = [P.NEC, P.SOCIAL_ECONOMY, P.LDE, P.WORK_CARE, P.NOT_FEASIBLE, ""]


def test_pops_are_counted_per_partner_and_perspective(world, settings):
    settings.TANDEM_DISCLOSURE_THRESHOLD = 1  # nothing hidden: the arithmetic itself
    pops = pops_delivered(figure_programmes_for(world["manager"]))
    assert [code for code, _label in pops.columns] == COLUMNS
    assert [(r.partner, r.cells, r.total) for r in pops.rows] == [
        ("Groep Intro", ["7", "0", "0", "2", "0", "1"], "10"),
        ("Randstad", ["0", "5", "0", "0", "0", "0"], "5"),
    ]
    assert pops.column_totals == ["7", "5", "0", "2", "0", "1"]
    assert pops.total == "15"
    # The filters of the page: one programme, one province.
    only_r = pops_delivered(figure_programmes_for(world["manager"]), programme=world["programme_r"])
    assert [(r.partner, r.total) for r in only_r.rows] == [("Randstad", "5")]
    by_province = pops_delivered(
        figure_programmes_for(world["manager"]), province="oost_vlaanderen"
    )
    assert [(r.partner, r.total) for r in by_province.rows] == [("Groep Intro", "10")]


def test_a_coach_sees_the_pops_of_the_programmes_they_coach(world, settings):
    settings.TANDEM_DISCLOSURE_THRESHOLD = 1
    pops = pops_delivered(figure_programmes_for(world["coach_r"]))
    assert [(r.partner, r.total) for r in pops.rows] == [("Randstad", "5")]


def test_small_counts_are_hidden_and_cannot_be_worked_out(world):
    with recording() as calls:
        pops = pops_delivered(figure_programmes_for(world["manager"]))
    assert len(calls) == 1 and not audit(calls[0])
    groep_intro, randstad = pops.rows
    # 2 work-care and 1 not given are small; enough else is hidden that no total tells them.
    assert groep_intro.cells[3] == HIDDEN and groep_intro.cells[5] == HIDDEN
    assert groep_intro.cells[0] == "7" and randstad.cells[1] == "5"
    assert pops.total == "15"


def test_the_page_shows_the_table_to_a_programme_manager_only(world, client, mediator):
    url = reverse("groupwork:figures")
    client.force_login(world["manager"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figures-pops"' in html and "Randstad" in html
    assert 'id="pops-delivered"' in html
    client.force_login(mediator)
    assert client.get(url).status_code == 403


def test_the_yearly_report_counts_the_pops_delivered_in_the_year(world, settings):
    from django.utils import translation

    from tandem.reporting.yearly_report.tables import build_report

    settings.TANDEM_DISCLOSURE_THRESHOLD = 1
    year = (TODAY - dt.timedelta(days=2)).year
    with translation.override("en"):
        table = build_report(year, today=TODAY).section("Group work").tables[-1]
        earlier = build_report(year - 5, today=TODAY).section("Group work").tables[-1]
        nec, sec, care = (str(P.NEC.label), str(P.SOCIAL_ECONOMY.label), str(P.WORK_CARE.label))
    assert table.header[0] == "Partner" and table.header[-1] == "Total"
    if (TODAY - dt.timedelta(days=20)).year == year:  # every input of the world in one year
        assert table.cell("Groep Intro", nec).text == "7"
        assert table.cell("Groep Intro", care).text == "2"
        assert table.cell("Randstad", sec).text == "5"
        assert table.cell("Total", "Total").text == "15"
    assert earlier.rows == earlier.rows[-1:]  # nothing delivered then: the total row only
