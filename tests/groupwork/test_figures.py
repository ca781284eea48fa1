"""Group-work figures on a hand-computed small data set: fill rate, waiting time, attendance
and completion per province, programme, module and intake moment; disclosure control; the
filters; who sees which programmes; the CSV; and the query count.

The arithmetic is checked on the rows with primary suppression only (``_primary``: counts 1–4
hidden, a rate over them not shown); what the page publishes after secondary suppression (no
hidden count can be worked out from a total) is checked separately: on this small set it hides
almost everything below the total.

The data set (D = 200 days ago, T = today; every group's first session is on its start day):

Programme "Groepswerk Gent" (oost_vlaanderen), coach A
  Module "Zelfinzicht", capacity 4, 3 sessions a week apart
    A1-1 starts D+60 (sessions D+60, D+67, D+74)
      e1 requested D+10, placed, completed D+75     wait 50   attendance P P P
      e2 requested D+20, placed, completed D+75     wait 40   attendance P E P
      e3 requested D+30, placed, left D+68          wait 30   attendance P A
      e4 requested D+40, placed, left D+50 (before the start: place given back, not counted)
      e5 requested D+45, waiting; gets e4's place   wait 15   attendance A P E
    A1-2 starts T+30 (upcoming)
      e6 requested D+100, waiting, placed when A1-2 is planned   wait 130
      e7 requested D+110, likewise                               wait 120
  Module "Budget", capacity 8, 2 sessions
    A2-1 starts D+100 (sessions D+100, D+107)
      e8  requested D+70, completed D+110    wait 30   attendance P P
      e9  requested D+80, completed D+110    wait 20   attendance P A
      e10 requested D+85, left D+104        wait 15   attendance E
      e11 requested D+90, completed D+110    wait 10   attendance P P
      e12 requested D+95, declined (no group: counted nowhere)
Programme "Groepswerk Hasselt" (limburg), coach B
  Module "Netwerk", capacity 8, 2 sessions
    B1-1 starts D+150 (sessions D+150, D+157)
      e13 requested D+120, completed D+160   wait 30   attendance P P
      e14 requested D+130, completed D+160   wait 20   attendance P E
      e15 requested D+140, still placed      wait 10   attendance A A
      e16 requested D+145, left D+158        wait 5    attendance P P
    B1-2 starts D+170: started, nobody placed
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.groupwork import services as gs
from tandem.groupwork.enrolment import follow_up
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.figures.selectors import (
    FigureRow,
    GroupWorkFigures,
    figure_programmes_for,
    group_work_figures,
)
from tandem.groupwork.models import Enrolment, IntakeMoment, Module, Programme
from tandem.programmes.services import project_upsert
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Trajectory
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

T = timezone.localdate()
D = T - dt.timedelta(days=200)
URL = "/groupwork/figures/"


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


@dataclass
class World:
    mediator: Any
    coach_a: Any
    coach_b: Any
    manager: Any
    gent: Programme
    hasselt: Programme
    trajectories: list[Trajectory]


def _programme(name: str, province: str, code: str) -> tuple[Programme, Any]:
    partner = OrganisationFactory(
        name=f"Partner {name}", code=f"partner-{code}", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner)
    project = project_upsert(
        acting_user=None,
        code=f"esf-{code}",
        name=name,
        promoter=partner,
        start_date=D - dt.timedelta(days=100),
        end_date=T + dt.timedelta(days=400),
        budget=1000,
    )
    programme = gs.programme_save(
        acting_user=None, project=project, name=name, province=province, coaches=[coach]
    )
    return programme, coach


def _module(programme: Programme, name: str, capacity: int, sessions: int) -> Module:
    return gs.module_save(
        acting_user=None,
        programme=programme,
        name=name,
        theme="self_insight",
        session_count=sessions,
        capacity=capacity,
    )


def _intake(module: Module, starts_on: dt.date, coach: Any) -> IntakeMoment:
    return enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=starts_on,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
        coach=coach,
    )


def _enrol(w: World, n: int, module: Module, coach: Any, on: dt.date) -> Enrolment:
    enrolment = enrolment_services.enrolment_request(
        acting_user=w.mediator, trajectory=w.trajectories[n - 1], module=module, on=on
    )
    return enrolment_services.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=True, on=on
    )


def _attend(coach: Any, intake: IntakeMoment, marks: dict[Enrolment, str]) -> None:
    """``marks``: enrolment → one letter per session (P present, E excused, A absent)."""
    status = {"P": "present", "E": "excused", "A": "absent"}
    for session in intake.sessions.order_by("number"):
        statuses = {
            e.pk: status[letters[session.number - 1]]
            for e, letters in marks.items()
            if len(letters) >= session.number
        }
        if statuses:
            follow_up.attendance_record(acting_user=coach, session=session, statuses=statuses)


def _refresh(e: Enrolment) -> Enrolment:
    return Enrolment.objects.get(pk=e.pk)


@pytest.fixture
def world(mediator) -> World:
    gent, coach_a = _programme("Groepswerk Gent", "oost_vlaanderen", "gent")
    hasselt, coach_b = _programme("Groepswerk Hasselt", "limburg", "hasselt")
    manager = make_user(Role.PROGRAMME_MANAGER, username="manager")
    trajectories = [
        tservices.trajectory_start(
            acting_user=mediator,
            person=make_person(mediator, first_name=f"Deelnemer{n}"),
            type="w2",
            reason="Groepswerk",
            status="active",
            start_date=D,
        )
        for n in range(1, 17)
    ]
    w = World(mediator, coach_a, coach_b, manager, gent, hasselt, trajectories)

    # Gent, Zelfinzicht (capacity 4).
    a1 = _module(gent, "Zelfinzicht", 4, 3)
    a1_1 = _intake(a1, day(60), coach_a)
    e1, e2, e3, e4 = (_enrol(w, n, a1, coach_a, day(10 * n)) for n in (1, 2, 3, 4))
    e5 = _enrol(w, 5, a1, coach_a, day(45))
    assert e5.status == "waiting"  # the group is full
    enrolment_services.enrolment_leave(
        acting_user=coach_a, enrolment=e4, reason="moved", on=day(50)
    )
    e5 = _refresh(e5)
    assert (e5.status, e5.intake_id) == ("placed", a1_1.pk)  # e4's place went on
    assert _refresh(e4).intake_id is None
    _attend(coach_a, a1_1, {e1: "PPP", e2: "PEP", e3: "PA", e5: "APE"})
    enrolment_services.enrolment_leave(
        acting_user=coach_a, enrolment=e3, reason="dropped_out", on=day(68)
    )
    for e in (e1, e2):
        enrolment_services.enrolment_complete(acting_user=coach_a, enrolment=e, on=day(75))
    e6 = _enrol(w, 6, a1, coach_a, day(100))
    e7 = _enrol(w, 7, a1, coach_a, day(110))
    assert (e6.status, e7.status) == ("waiting", "waiting")
    a1_2 = _intake(a1, T + dt.timedelta(days=30), coach_a)
    assert {_refresh(e6).intake_id, _refresh(e7).intake_id} == {a1_2.pk}

    # Gent, Budget (capacity 8).
    a2 = _module(gent, "Budget", 8, 2)
    a2_1 = _intake(a2, day(100), coach_a)
    e8, e9, e10, e11 = (
        _enrol(w, n, a2, coach_a, day(d)) for n, d in ((8, 70), (9, 80), (10, 85), (11, 90))
    )
    e12 = enrolment_services.enrolment_request(
        acting_user=w.mediator, trajectory=w.trajectories[11], module=a2, on=day(95)
    )
    enrolment_services.enrolment_decide(
        acting_user=coach_a, enrolment=e12, accept=False, note="Past nu niet", on=day(95)
    )
    _attend(coach_a, a2_1, {e8: "PP", e9: "PA", e10: "E", e11: "PP"})
    enrolment_services.enrolment_leave(
        acting_user=coach_a, enrolment=e10, reason="work", on=day(104)
    )
    for e in (e8, e9, e11):
        enrolment_services.enrolment_complete(acting_user=coach_a, enrolment=e, on=day(110))

    # Hasselt, Netwerk (capacity 8).
    b1 = _module(hasselt, "Netwerk", 8, 2)
    b1_1 = _intake(b1, day(150), coach_b)
    _intake(b1, day(170), coach_b)
    e13, e14, e15, e16 = (
        _enrol(w, n, b1, coach_b, day(d)) for n, d in ((13, 120), (14, 130), (15, 140), (16, 145))
    )
    assert {_refresh(e).intake_id for e in (e13, e14, e15, e16)} == {b1_1.pk}
    _attend(coach_b, b1_1, {e13: "PP", e14: "PE", e15: "AA", e16: "PP"})
    enrolment_services.enrolment_leave(
        acting_user=coach_b, enrolment=e16, reason="work", on=day(158)
    )
    for e in (e13, e14):
        enrolment_services.enrolment_complete(acting_user=coach_b, enrolment=e, on=day(160))
    return w


def _figures(**filters: Any) -> GroupWorkFigures:
    return group_work_figures(Programme.objects.all(), today=T, **filters)


def _summary(row: FigureRow) -> tuple[Any, ...]:
    return (
        row.participants_shown,
        row.capacity,
        row.fill_rate,
        row.waiting_median,
        row.waiting_mean,
        row.attendance_rate,
        row.excused_share,
        row.completed_shown,
        row.ended_shown,
        row.completion_rate,
    )


def _primary(row: FigureRow) -> FigureRow:
    """The row as it would be shown with primary suppression only."""
    return replace(row, hidden=frozenset())


def _by_name(figures: GroupWorkFigures) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in figures.programmes:
        out[p.row.name] = p
        for m in p.modules:
            out[m.row.name] = m
    return out


# --- the figures -------------------------------------------------------------------------------


def test_the_figures_on_the_hand_computed_set(world):
    f = _figures()
    rows = _by_name(f)

    # Zelfinzicht A1-1: places given e1, e2, e3, e5 (e4 left before the start) → 4 of 4.
    zelf = rows["Zelfinzicht"]
    (a1_1,) = zelf.intakes
    # 4 places given is a small count: its share (the fill rate) is not shown.
    assert (a1_1.starts_on, a1_1.given, a1_1.capacity, a1_1.fill_rate) == (day(60), 4, 4, None)
    assert a1_1.fill_too_few
    # A1-2 is upcoming: e6 and e7 → 2 of 4 now; it does not count in the module's fill rate.
    (a1_2,) = zelf.upcoming
    assert (a1_2.started, a1_2.given, a1_2.capacity, a1_2.fill_rate) == (False, 2, 4, None)
    # Module: fill 4/4 (4 given: not shown); participants e1 e2 e3 e5 e6 e7 = 6; waits 15 30 40
    # 50 120 130: median (40+50)/2 = 45, mean 385/6 = 64.17. Attendance: 7 present, 2
    # excused, 2 absent over 4 persons → hidden. Completion: 2 completed, 1 left = 3 ended → hidden.
    assert (zelf.row.given, zelf.row.capacity) == (4, 4)
    assert _summary(_primary(zelf.row)) == (
        "6",
        4,
        None,
        45.0,
        64.2,
        None,
        None,
        "x",
        "x",
        None,
    )
    assert (zelf.row.present, zelf.row.excused, zelf.row.absent) == (7, 2, 2)
    assert _primary(zelf.row).attendance_too_few and _primary(zelf.row).completion_too_few
    assert not _primary(zelf.row).waiting_too_few

    # Budget A2-1: e8 e9 e10 e11 → 4 of 8; waits 30 20 15 10 (4: hidden); attendance 5 P, 1 E,
    # 1 A over 4 persons (hidden); 3 completed, 1 left (4 ended: hidden).
    budget = rows["Budget"]
    assert (budget.row.given, budget.row.capacity) == (4, 8)
    assert _summary(_primary(budget.row)) == (
        "x",
        8,
        None,
        None,
        None,
        None,
        None,
        "x",
        "x",
        None,
    )
    assert budget.row.waiting_too_few
    assert (budget.row.completed, budget.row.left) == (3, 1)

    # Programme Gent: fill (4+4)/(4+8) = 66.7 %; 10 participants; waits 10 15 15 20 30 30 40 50
    # 120 130: median 30, mean 460/10 = 46; attendance 12 of 18 rows (8 persons) = 66.7 %,
    # excused 3/18 = 16.7 %; completion 5 of 7 ended = 71.4 %.
    gent = rows["Groepswerk Gent"]
    assert [m.row.name for m in gent.modules] == ["Budget", "Zelfinzicht"]
    assert _summary(_primary(gent.row)) == (
        "10",
        12,
        66.7,
        30.0,
        46.0,
        66.7,
        16.7,
        "5",
        "7",
        71.4,
    )

    # Netwerk B1-1: e13–e16 → 4 of 8; B1-2 started empty → 0 of 8; module 4/16 = 25 %.
    # Attendance 5 P, 1 E, 2 A (4 persons); 2 completed, 1 left: all hidden.
    netwerk = rows["Netwerk"]
    assert [(i.given, i.fill_rate) for i in netwerk.intakes] == [(4, None), (0, 0.0)]
    assert netwerk.upcoming == []
    assert (netwerk.row.given, netwerk.row.capacity) == (4, 16)
    assert _summary(_primary(netwerk.row)) == (
        "x",
        16,
        None,
        None,
        None,
        None,
        None,
        "x",
        "x",
        None,
    )
    assert _summary(rows["Groepswerk Hasselt"].row) == _summary(netwerk.row)

    # Provinces in the order of the province list: Limburg before Oost-Vlaanderen.
    assert [p.name for p in f.provinces] == ["Limburg", "Oost-Vlaanderen"]
    assert _summary(f.provinces[0]) == _summary(netwerk.row)
    assert _summary(_primary(f.provinces[1])) == _summary(_primary(gent.row))

    # All: fill 12/28 = 42.9 %; 14 participants; waits 5 10 10 15 15 20 20 | 30 30 30 40 50 120
    # 130: median (20+30)/2 = 25, mean 525/14 = 37.5; attendance 17 of 26 = 65.4 %, excused
    # 4/26 = 15.4 % (12 persons); completion 7 of 10 = 70 %.
    assert _summary(_primary(f.total)) == (
        "14",
        28,
        42.9,
        25.0,
        37.5,
        65.4,
        15.4,
        "7",
        "10",
        70.0,
    )
    assert f.total.attendees == 12


def test_what_the_hand_computed_set_publishes(world):
    """Secondary suppression on the set: Limburg's 4 participants are hidden, so Oost-
    Vlaanderen's 10 is too (14 − 10 = 4), and with it Gent's; Gent's Budget (4) hides
    Zelfinzicht (6). Hidden participants take their waiting time and attendance along."""
    f = _figures()
    rows = _by_name(f)
    hidden_row = ("x", None, None, None, None, None, "x", "x", None)
    for row in (*f.provinces, rows["Groepswerk Gent"].row, rows["Zelfinzicht"].row):
        assert (_summary(row)[0], *_summary(row)[2:]) == hidden_row, row.name
        assert row.waiting_too_few and row.attendance_too_few and row.completion_too_few
    # The total: 14 participants shown; 12 places given hidden (14 − 2 upcoming would give the
    # hidden 2 away); 10 ended hidden (14 − 10 = 4 still in a group), 7 completed hidden
    # (10 − 7 = 3 left).
    assert _summary(f.total) == ("14", 28, None, 25.0, 37.5, 65.4, 15.4, "x", "x", None)
    assert f.total.hidden == {"given", "completed", "ended"}


def test_the_filters(world):
    # Limburg only: Hasselt.
    f = _figures(province="limburg")
    assert [p.row.name for p in f.programmes] == ["Groepswerk Hasselt"]
    assert (f.total.given, f.total.capacity, f.total.fill_rate) == (4, 16, None)  # 25 %, hidden

    # One programme.
    f = _figures(programme=world.gent)
    assert [p.row.name for p in f.programmes] == ["Groepswerk Gent"]
    assert _summary(_primary(f.total)) == (
        "10",
        12,
        66.7,
        30.0,
        46.0,
        66.7,
        16.7,
        "5",
        "7",
        71.4,
    )
    # Published: 8 places given would give the upcoming group's 2 away (10 − 8), 7 ended the 3
    # still in a group, 5 completed the 2 who left.
    assert _summary(f.total) == ("10", 12, None, 30.0, 46.0, 66.7, 16.7, "x", "x", None)

    # Groups starting D+90 … D+160: A2-1 and B1-1. Fill 8/16 = 50 %; waits 5 10 10 15 | 20 20
    # 30 30: median 17.5, mean 140/8 = 17.5; attendance 10 of 15 = 66.7 %, excused 2/15 =
    # 13.3 % (8 persons); completion 5 of 7 = 71.4 %.
    f = _figures(starts_from=day(90), starts_to=day(160))
    assert _summary(_primary(f.total)) == (
        "8",
        16,
        50.0,
        17.5,
        17.5,
        66.7,
        13.3,
        "5",
        "7",
        71.4,
    )
    assert _summary(f.total) == ("8", 16, 50.0, 17.5, 17.5, 66.7, 13.3, "x", "x", None)
    # Hasselt (Limburg) comes first: provinces in the order of the province list.
    assert [i.starts_on for p in f.programmes for m in p.modules for i in m.intakes] == [
        day(150),
        day(100),
    ]

    # A period in which nothing starts.
    f = _figures(starts_from=T + dt.timedelta(days=100))
    assert f.programmes == [] and f.total.fill_rate is None and f.total.participants_shown == "0"


def test_the_reference_date_decides_what_has_started(world):
    # Seen from D+155, B1-2 (D+170) is still upcoming: Netwerk's fill is 4/8 (50 %, not shown
    # over 4 places given).
    f = group_work_figures(Programme.objects.all(), today=day(155))
    netwerk = _by_name(f)["Netwerk"]
    assert [i.starts_on for i in netwerk.upcoming] == [day(170)]
    assert (netwerk.row.given, netwerk.row.capacity, netwerk.row.fill_rate) == (4, 8, None)


def test_who_sees_which_programmes(world):
    assert set(figure_programmes_for(world.manager)) == {world.gent, world.hasselt}
    assert list(figure_programmes_for(world.coach_a)) == [world.gent]
    assert list(figure_programmes_for(world.coach_b)) == [world.hasselt]
    assert not figure_programmes_for(world.mediator).exists()


# --- the page ----------------------------------------------------------------------------------


def test_the_page_for_a_programme_manager(world, client):
    client.force_login(world.manager)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert reverse("groupwork:figures") == URL
    body = response.content.decode()
    assert "Groepswerk Gent" in body and "Groepswerk Hasselt" in body
    assert "fewer than 5 participants" in body
    assert "—*" in body  # a hidden rate
    assert "x" in body  # a small count
    assert 'scope="col"' in body and "<caption" in body
    # No person on the page.
    assert "Deelnemer" not in body
    lines = {
        line.label: line for t in response.context["tables"] for _h, g in t.groups for line in g
    }
    assert [c.value for c in lines["All"].cells] == [
        "14",
        28,
        None,
        25.0,
        37.5,
        65.4,
        15.4,
        "x",
        "x",
        None,
    ]
    assert [c.too_few for c in lines["All"].cells] == [False, False, True] + [False] * 4 + [
        False,
        False,
        True,
    ]
    # Gent's 10 is hidden: with Limburg's 4 hidden, it would follow from the total 14.
    assert lines["Groepswerk Gent (Oost-Vlaanderen)"].cells[0].value == "x"
    budget = lines["Budget"].cells
    assert [(c.value, c.too_few) for c in budget[3:7]] == [(None, True)] * 4


def test_a_coach_sees_only_their_programme(world, client):
    client.force_login(world.coach_a)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Groepswerk Gent" in body
    assert "Groepswerk Hasselt" not in body
    assert "Limburg</th>" not in body
    # Asking for another programme is refused and shows nothing of it.
    response = client.get(URL, {"programme": world.hasselt.pk})
    assert response.status_code == 400
    assert "Groepswerk Hasselt" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.ADMIN, Role.WELFARE_PARTNER])
def test_other_roles_are_refused(world, client, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


def test_a_period_that_ends_before_it_starts_is_refused(world, client):
    client.force_login(world.manager)
    response = client.get(
        URL, {"starts_from": day(100).isoformat(), "starts_to": day(90).isoformat()}
    )
    assert response.status_code == 400
    assert response.context["figures"] is None


def test_the_period_filter_on_the_page(world, client):
    client.force_login(world.manager)
    response = client.get(
        URL, {"starts_from": day(90).isoformat(), "starts_to": day(160).isoformat()}
    )
    assert response.status_code == 200
    assert response.context["figures"].total.fill_rate == 50.0


def test_the_csv(world, client):
    client.force_login(world.manager)
    response = client.get(URL, {"format": "csv", "province": "oost_vlaanderen"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="group-work-figures-{T:%Y%m%d}.csv"'
    )
    # In Dutch, as Excel with Belgian settings reads it: a BOM, ";" and a decimal comma.
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, total, province, programme, budget, budget_1, zelf, zelf_1, zelf_2 = rows
    assert len(header) == 16
    # All (= Oost-Vlaanderen here): the programme's figures.
    assert total[6:] == ["10", "12", "—", "30,0", "46,0", "66,7", "16,7", "x", "x", "—"]
    assert province[1] == "Oost-Vlaanderen" and province[6:] == total[6:]
    assert programme[2] == "Groepswerk Gent"
    # Budget: small counts as x, hidden figures as —, same as on the page.
    assert budget[3] == "Budget"
    assert budget[6:] == ["x", "8", "—", "—", "—", "—", "—", "x", "x", "—"]
    assert budget_1[4] == day(100).isoformat()
    assert zelf[6:9] == ["x", "4", "—"]  # 6, hidden: 10 − 4 (Budget) would give it
    assert zelf_2[4] == (T + dt.timedelta(days=30)).isoformat()
    # The upcoming group: 2 of 4 now, hidden with its fill rate; nothing ended yet.
    assert zelf_2[6:9] == ["x", "4", "—"]
    assert zelf_2[13:16] == ["0", "0", ""]
    assert zelf_1[5] != zelf_2[5]  # started / upcoming


def test_the_csv_of_a_coach_holds_only_their_programme(world, client):
    client.force_login(world.coach_b)
    response = client.get(URL, {"format": "csv"})
    body = response.content.decode()
    assert "Groepswerk Hasselt" in body and "Groepswerk Gent" not in body


# --- queries -----------------------------------------------------------------------------------


def _grow(w: World) -> None:
    """Three more modules with two groups each, 16 participants per module, with attendance."""
    for k in range(3):
        module = _module(w.hasselt, f"Extra {k}", 8, 2)
        first = _intake(module, day(20 + k), w.coach_b)
        _intake(module, day(40 + k), w.coach_b)
        for n in range(1, 17):
            _enrol(w, n, module, w.coach_b, day(5))
        marks = {e: "PA" for e in Enrolment.objects.filter(intake=first).exclude(status="waiting")}
        _attend(w.coach_b, first, marks)


def test_the_figures_cost_three_queries(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        _figures()
    _grow(world)
    with django_assert_num_queries(3):
        f = _figures()
    assert len(_by_name(f)["Groepswerk Hasselt"].modules) == 4


@pytest.mark.parametrize("grow", [False, True])
def test_the_page_costs_a_constant_number_of_queries(
    world, client, grow, django_assert_max_num_queries
):
    if grow:
        _grow(world)
    client.force_login(world.manager)
    client.get(URL)
    # Eight on the page: the figures' three and the POPs delivered per partner (one).
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(URL, {"format": "csv"}).status_code == 200
