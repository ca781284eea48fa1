"""ESF+ common indicators on a hand-built project: every count worked out by hand."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import OrganisationKind, Role
from tandem.common import disclosure
from tandem.groupwork import services as groupwork
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import Enrolment
from tandem.programmes.services import project_upsert
from tandem.registry.models import HouseholdMember
from tandem.reporting.indicators import (
    ESF_COLUMNS,
    NOT_MEASURABLE,
    NOT_RECORDED,
    Job,
    Participant,
    employed_six_months_after,
    indicator_table,
    participants_of,
    protect_indicators,
)
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories.models import JobStart, RetentionCheck, Trajectory
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}


class World:
    def __init__(self) -> None:
        self.org = OrganisationFactory(
            name="Groep Intro", code="groep-intro-esf", kind=OrganisationKind.GROUP_WORK_PARTNER
        )
        self.mediator = make_user(Role.MEDIATOR, organisation=self.org)
        self.project = project_upsert(
            acting_user=None,
            code="esf-test",
            name="ESF testproject",
            promoter=self.org,
            start_date=D(2023, 1, 1),
            end_date=D(2025, 12, 31),
            budget=100000,
        )
        programme = groupwork.programme_save(
            acting_user=None, project=self.project, name="Groepswerk", province="oost_vlaanderen"
        )
        self.module = groupwork.module_save(
            acting_user=None,
            programme=programme,
            name="Wie ben ik?",
            theme="self_insight",
            session_count=4,
            capacity=12,
        )

    def person(self, gender, birth, *, activity="", months_worked=None, **extra):
        person = make_person(self.mediator, gender=gender, birth_date=birth, **extra)
        HouseholdMember.objects.filter(person=person, relation="self").update(
            activity=activity, months_worked=months_worked
        )
        return person

    def trajectory(self, person, start, end=None, reason="", *, in_project=True, qualified=False):
        return Trajectory.objects.create(
            qualification_gained=qualified,
            organisation=self.org,
            person=person,
            type="w2",
            status="closed" if end else "active",
            start_date=start,
            end_date=end,
            closure_reason=reason,
            lead_mediator=self.mediator,
            project=self.project if in_project else None,
            start_reason="test",
        )

    def enrolment(self, trajectory, placed, ended, status="completed", reason=""):
        intake = enrolment_services.intake_plan(
            acting_user=None,
            module=self.module,
            starts_on=placed,
            starts_at=dt.time(9, 30),
            ends_at=dt.time(12),
            place="Buurthuis",
        )
        return Enrolment.objects.create(
            trajectory=trajectory,
            module=self.module,
            intake=intake,
            status=status,
            requested_on=placed,
            requested_by=self.mediator,
            placed_on=placed,
            ended_on=ended,
            leave_reason=reason,
        )

    def screening(self, person, day, present=()):
        return screening_conduct(
            acting_user=self.mediator,
            person=person,
            checklist=current_checklist(),
            present=present,
            motivation="sufficient",
            outflow_within_two_years="yes",
            conducted_on=day,
        )

    def job(self, trajectory, started, ended=None):
        return JobStart.objects.create(
            trajectory=trajectory,
            employer=self.org,
            started_on=started,
            ended_on=ended,
            contract_type="permanent",
            recorded_by=self.mediator,
        )


@pytest.fixture
def world():
    w = World()
    # Anna, woman, 33 at entry, ISCED 0–2, registered job seeker without a month of work in
    # the reference year: unemployed AND long-term unemployed. Left for work, job still runs.
    anna = w.person(
        "F", D(1990, 5, 1), education="isced_0_2", activity="unemployed", months_worked=0
    )
    t = w.trajectory(anna, D(2024, 2, 1), D(2024, 10, 31), "work_regular")
    w.job(t, D(2024, 11, 1))
    # Anna was screened twice before entry; the latest one (January 2024) says homeless:
    # EECO16. Foreign background unknown, disability not asked.
    w.screening(anna, D(2023, 6, 1), ["hoge-woonkost"])
    w.screening(anna, D(2024, 1, 15), ["dakloos"])
    # Bart, man, 17 at entry, ISCED 0–2, not registered and no work: inactive. Left for training,
    # with a certificate (EECR03).
    bart = w.person(
        "M", D(2006, 9, 1), education="isced_0_2", registration="non_active", disability="unknown"
    )
    w.trajectory(bart, D(2024, 3, 1), D(2024, 9, 30), "training", qualified=True)
    # Screened on the day he entered: a bad dwelling is not housing exclusion (not EECO16).
    # Disability unknown, foreign background unknown.
    w.screening(bart, D(2024, 3, 1), ["slechte-woning"])
    # Chris, non-binary, 25, ISCED 3–4, non-EU, registered (months worked unknown: not
    # long-term). Dropped out, still a registered job seeker: job searching upon leaving.
    chris = w.person(
        "X",
        D(1998, 6, 15),
        education="isced_3_4",
        nationality_group="non_eu",
        foreign_background="no",
        disability="no",
    )
    w.trajectory(chris, D(2024, 4, 1), D(2024, 12, 15), "dropped_out")
    # Threatened with eviction at the screening before entry: housing exclusion (EECO16).
    w.screening(chris, D(2023, 12, 1), ["uithuiszetting"])
    # Dina, woman, 59, ISCED 5–8, not registered, employed: employed. Still in the project.
    dina = w.person(
        "F",
        D(1965, 1, 10),
        education="isced_5_8",
        registration="non_active",
        activity="employed",
        months_worked=12,
        disability="yes",
    )
    # Dina has a recognised disability (EECO12); no screening; foreign background unknown.
    w.trajectory(dina, D(2024, 5, 1))
    # Els, woman, 24, ISCED 3–4, EU, registered: only in a group of the project (her
    # trajectory is outside it). Left the group for work; the job ended before six months.
    # Born abroad: foreign background (EECO14); no screening; disability not asked.
    els = w.person(
        "F", D(2000, 1, 20), education="isced_3_4", nationality_group="eu", foreign_background="yes"
    )
    t = w.trajectory(els, D(2024, 5, 1), in_project=False)
    w.enrolment(t, D(2024, 6, 1), D(2024, 8, 31), status="left", reason="work")
    w.job(t, D(2024, 9, 2), D(2024, 12, 31))
    # Frank, man, entered in 2023 (trajectory) and joined a group of the project in 2024:
    # one person, entry 2023. Left in March 2024 (reason other), registered: job searching.
    frank = w.person("M", D(1980, 7, 7))
    t = w.trajectory(frank, D(2023, 11, 1), D(2024, 3, 31), "other")
    w.enrolment(t, D(2024, 2, 1), D(2024, 3, 15))
    # Greet, woman, entered in 2025: outside the period.
    greet = w.person("F", D(1985, 3, 3))
    w.trajectory(greet, D(2025, 1, 15))
    # Hasan, man, 34, education unknown, non-EU, registered, worked 3 months: unemployed,
    # not long-term. Closed (other); a job starts 20 days later: in work upon leaving, but
    # the six-month retention check says he no longer is.
    hasan = w.person(
        "M",
        D(1990, 2, 2),
        nationality_group="non_eu",
        education="unknown",
        activity="unemployed",
        months_worked=3,
        foreign_background="yes",
    )
    t = w.trajectory(hasan, D(2024, 7, 1), D(2024, 11, 30), "other")
    # Foreign background (EECO14). Homeless at a screening a month *after* entry: that does
    # not count, and he had none before entry. Disability not asked.
    w.screening(hasan, D(2024, 8, 1), ["dakloos"])
    job = w.job(t, D(2024, 12, 20))
    RetentionCheck.objects.create(
        job_start=job,
        month=6,
        due_on=D(2025, 6, 20),
        checked_on=D(2025, 6, 20),
        still_employed=False,
    )
    # Someone in another project never counts here.
    other = project_upsert(
        acting_user=None,
        code="esf-other",
        name="Ander project",
        promoter=w.org,
        start_date=D(2023, 1, 1),
        end_date=D(2025, 12, 31),
        budget=1000,
    )
    Trajectory.objects.filter(person=greet).update(project=other)
    outsider = w.trajectory(w.person("F", D(1970, 1, 1)), D(2024, 2, 2))
    Trajectory.objects.filter(pk=outsider.pk).update(project=other)
    return w


def counts(table, code):
    row = table.row(code)
    return (row.women, row.men, row.non_binary, row.total) if row.counted else row.status


def test_every_count_by_hand(world):
    table = indicator_table(
        participants_of(world.project), D(2024, 1, 1), D(2024, 12, 31), as_of=D(2026, 1, 1)
    )
    # Entrants in 2024: Anna F, Bart M, Chris X, Dina F, Els F, Hasan M (Frank entered in
    # 2023, Greet in 2025, the other person is in another project).
    assert table.entrants == 6
    assert counts(table, "EECO01") == (3, 2, 1, 6)
    # Registered job seekers: Anna F, Els F, Hasan M, Chris X.
    assert counts(table, "EECO02") == (2, 1, 1, 4)
    # Anna counts in EECO02 and in EECO03.
    assert counts(table, "EECO03") == (1, 0, 0, 1)
    assert counts(table, "EECO04") == (0, 1, 0, 1)  # Bart
    assert counts(table, "EECO05") == (1, 0, 0, 1)  # Dina
    assert counts(table, "EECO06") == (0, 1, 0, 1)  # Bart, 17 on 1 March 2024
    assert counts(table, "EECO07") == (1, 0, 1, 2)  # Els 24, Chris 25 (Hasan is 34)
    assert counts(table, "EECO08") == (1, 0, 0, 1)  # Dina, 59
    assert counts(table, "EECO09") == (1, 1, 0, 2)  # Anna, Bart
    assert counts(table, "EECO10") == (1, 0, 1, 2)  # Els, Chris
    assert counts(table, "EECO11") == (1, 0, 0, 1)  # Dina (Hasan's education is unknown)
    assert counts(table, "EECO13") == (0, 1, 1, 2)  # Hasan, Chris
    # Disability yes: Dina F. Unknown: Bart. Not asked: Anna, Els, Hasan (Chris said no).
    assert counts(table, "EECO12") == (1, 0, 0, 1)
    assert (table.row("EECO12").unknown, table.row("EECO12").not_asked) == (1, 3)
    # Foreign background yes: Els F, Hasan M (Chris said no). Unknown: Anna, Bart, Dina.
    assert counts(table, "EECO14") == (1, 1, 0, 2)
    assert table.row("EECO14").unknown == 3
    # Latest screening on or before entry says homeless or threatened with eviction: Anna F,
    # Chris X. Bart's (entry day) had only a bad dwelling; Hasan's came after entry. Without a
    # screening on or before entry: Dina, Els, Hasan.
    assert counts(table, "EECO16") == (1, 0, 1, 2)
    assert table.row("EECO16").unknown == 3
    for code in ("EECO15", "EECO17"):
        assert counts(table, code) == NOT_RECORDED
    # Leavers in 2024: Anna F, Els F, Bart M, Frank M, Hasan M, Chris X (Dina is still in).
    assert table.leavers == 6
    assert counts(table, "EECR01") == (0, 1, 1, 2)  # Frank, Chris
    assert counts(table, "EECR02") == (0, 1, 0, 1)  # Bart
    assert counts(table, "EECR03") == (0, 1, 0, 1)  # Bart's certificate
    # Anna (closed for work), Els (left the group for work), Hasan (job 20 days later).
    assert counts(table, "EECR04") == (2, 1, 0, 3)
    # Anna's job runs on 30/04/2025; Els's ended 31/12/2024; Hasan's check says no.
    assert counts(table, "EECR05") == (1, 0, 0, 1)
    assert [r.code for r in table.rows] == [f"EECO{n:02}" for n in range(1, 18)] + [
        f"EECR{n:02}" for n in range(1, 6)
    ]


def test_the_period_filters_entries_and_exits(world):
    rows = participants_of(world.project)
    table = indicator_table(rows, D(2023, 1, 1), D(2023, 12, 31), as_of=D(2026, 1, 1))
    # Only Frank entered in 2023 (his group in 2024 does not make him enter twice); nobody left.
    assert counts(table, "EECO01") == (0, 1, 0, 1)
    assert table.leavers == 0
    assert counts(table, "EECR04") == (0, 0, 0, 0)
    table = indicator_table(rows, D(2025, 1, 1), D(2025, 12, 31), as_of=D(2026, 1, 1))
    assert counts(table, "EECO01") == (0, 0, 0, 0)  # Greet is in another project now


def test_six_months_after_leaving_is_not_yet_measurable_before_the_day(world):
    table = indicator_table(
        participants_of(world.project), D(2024, 6, 1), D(2024, 12, 31), as_of=D(2025, 1, 1)
    )
    # Leavers Jun–Dec 2024 all reach their six months in 2025.
    assert table.leavers == 5
    assert counts(table, "EECR05") == NOT_MEASURABLE
    person = Participant(gender="F", birth_date=D(1990, 1, 1), entry=D(2024, 1, 1))
    assert employed_six_months_after(person, D(2025, 1, 1)) is None  # never left
    left = Participant(
        gender="F",
        birth_date=D(1990, 1, 1),
        entry=D(2024, 1, 1),
        exit=D(2024, 8, 31),
        jobs=(Job(D(2024, 9, 1), None),),
    )
    assert employed_six_months_after(left, D(2025, 2, 27)) is None
    assert employed_six_months_after(left, D(2025, 2, 28)) is True


def _url(world, **extra):
    return reverse("reporting:project_indicators", kwargs={"code": world.project.code}) + (
        "?" + "&".join(f"{k}={v}" for k, v in {**PERIOD, **extra}.items())
    )


def test_the_page_suppresses_small_counts(client, world, django_assert_max_num_queries):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    # Eight of them load the participants (three the participations: trajectories of the
    # project, placements in its groups, outreach under it; one the screenings, for EECO16).
    with django_assert_max_num_queries(15):
        response = client.get(_url(world), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<caption>" in body and 'scope="row"' in body
    row = body[body.index('id="indicator-EECO01"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">x</td>' in row and '<td class="num">6</td>' in row
    assert "not recorded" in body
    row = body[body.index('id="indicator-EECO16"') :]
    row = row[: row.index("</tr>")]
    assert "x participants had no screening on or before entry: not counted." in row
    for secret in ("Peeters", "1990-05-01"):
        assert secret not in body


def test_the_query_count_does_not_grow_with_participants(client, world):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    url = _url(world)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        person = world.person("M", D(1990, 1, n + 1))
        t = world.trajectory(person, D(2024, 3, 1), D(2024, 4, 1), "work_regular")
        world.job(t, D(2024, 4, 2))
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_participants_load_in_six_queries(world, django_assert_num_queries):
    """Issue 20: three for the participations (trajectories of the project, placements in its
    groups, outreach under it), one for the persons with their own household record, one for
    the screenings, one for the jobs with their sixth-month retention check; the ids of the
    participants go to the database three times, not five."""
    from tandem.reporting.indicators import participants_of

    with django_assert_num_queries(6):
        rows = participants_of(world.project)
    assert rows
    # What the merged queries bring: the own household record and the retention check.
    assert any(p.own_activity for p in rows)
    assert any(job.six_month_check is not None for p in rows for job in p.jobs)


def test_the_csv_suppresses_small_counts(client, world):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    response = client.get(_url(world, format="csv"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "Code,Indicator,Women,Men,Non-binary,Total,Note"
    assert lines[1] == "EECO01,Total number of participants,x,x,x,6,"
    assert lines[3] == "EECO03,Long-term unemployed,x,0,0,x,"
    assert any(line.startswith("EECO15,") and "not recorded" in line for line in lines)
    eeco12 = next(line for line in lines if line.startswith("EECO12,"))
    assert eeco12.endswith(
        'x,0,0,x,"x participants: unknown, not counted. x participants: not asked, not counted."'
    )


def test_the_xlsx_has_the_layout_and_suppresses_small_counts(client, world):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    response = client.get(_url(world, format="xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    title = sheet["A1"].value
    assert "esf-test" in title and "ESF testproject" in title
    assert "01/01/2024" in title and "31/12/2024" in title
    header = [c.value for c in sheet[2]]
    assert header[:6] == ["Code", "Indicator", "Women", "Men", "Non-binary", "Total"]
    assert [c.value for c in sheet[3]][:6] == [
        "EECO01",
        "Total number of participants",
        "x",
        "x",
        "x",
        6,
    ]
    codes = [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)]
    # The 22 indicators, an empty row, and what the mark means.
    assert codes[-2:] == [None, disclosure.note()]
    codes = codes[:-2]
    assert codes[0] == "EECO01" and codes[-1] == "EECR05" and len(codes) == 22
    eecr04 = [c.value for c in sheet[3 + codes.index("EECR04")]]
    assert eecr04[2:6] == ["x", "x", 0, "x"]


def test_a_bad_period_is_refused_with_a_message(client, world):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    response = client.get(_url(world, to="2023-01-01"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cannot be before its start" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.WELFARE_PARTNER, Role.GROUP_COACH])
def test_other_roles_get_403(client, world, role):
    client.force_login(make_user(role))
    assert client.get(_url(world)).status_code == 403
    assert client.get(_url(world, format="xlsx")).status_code == 403


def test_admins_see_the_page_and_the_detail_links_to_it(client, world):
    client.force_login(make_user(Role.ADMIN))
    detail = client.get(
        reverse("programmes:project_detail", kwargs={"code": world.project.code})
    ).content.decode()
    assert reverse("reporting:project_indicators", kwargs={"code": "esf-test"}) in detail
    assert client.get(_url(world)).status_code == 200


# --- disclosure control: no hidden count follows from the others --------------------------------


def _entrants(women: int, men: int, non_binary: int) -> list[Participant]:
    entry = D(2024, 3, 1)
    return [
        Participant(gender=gender, birth_date=D(1990, 1, 1), entry=entry)
        for gender, n in (("F", women), ("M", men), ("X", non_binary))
        for _ in range(n)
    ]


def test_one_non_binary_participant_cannot_be_worked_out_from_the_total():
    """The issue's case: women 52, men 56, non-binary 1, total 109 showed non-binary "<5"
    beside a total that gave it away (109 − 52 − 56 = 1) in EECO01, 02, 04, 10, 13 and
    EECR01. Now a second cell of each such row is hidden and the exact audit finds nothing."""
    table = indicator_table(_entrants(52, 56, 1), D(2024, 1, 1), D(2024, 12, 31), D(2025, 6, 1))
    with disclosure.recording() as calls:
        hidden = protect_indicators(table)
    assert ("EECO01", "non_binary") in hidden
    eeco01 = {name for code, name in hidden if code == "EECO01"}
    assert len(eeco01) >= 2  # the 1 and one more of women, men, total
    for row in table.rows:
        if row.counted and row.non_binary:
            assert (row.code, "non_binary") in hidden
            assert len({n for c, n in hidden if c == row.code} & set(ESF_COLUMNS)) >= 2
    (call,) = calls
    assert not disclosure.audit(call)


def test_a_small_complement_of_a_row_is_protected_too():
    """107 of 109 unemployed: the 2 who are not could be worked out from EECO01 − EECO02."""
    people = _entrants(52, 57, 0)
    people[:2] = [
        Participant(gender="F", birth_date=D(1990, 1, 1), entry=D(2024, 3, 1), registration=r)
        for r in ("non_active", "non_active")
    ]
    table = indicator_table(people, D(2024, 1, 1), D(2024, 12, 31), D(2025, 6, 1))
    with disclosure.recording() as calls:
        hidden = protect_indicators(table)
    assert table.row("EECO02").total == 107
    assert {("EECO02", "women"), ("EECO01", "women")} & hidden
    assert not disclosure.audit(calls[0])
