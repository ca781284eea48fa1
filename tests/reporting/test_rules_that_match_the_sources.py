"""Issue 17, "Targets measured, and one definition per figure": one definition of a participant
of a project used by every page, one definition of a group start used by both sheets of the
yearly report, targets beside their actuals, and the reach of outreach per year."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.models import Role
from tandem.outcomes.models import ImportedTrajectory
from tandem.outcomes.selectors import group_start_counts
from tandem.outreach.funnel import funnel
from tandem.outreach.models import ContactMoment, FindPlace, Prospect
from tandem.outreach.selectors import funnel_rows_all
from tandem.programmes.models import CallTarget, Project, ProjectTarget, TargetKind
from tandem.programmes.selectors import Via, project_participant_counts, project_participations
from tandem.programmes.services import call_upsert
from tandem.reporting.dashboard import load_dashboard
from tandem.reporting.indicators import participants_of
from tandem.reporting.yearly_report.tables import build_report
from tests.factories import make_user
from tests.reporting.test_indicators import World

D = dt.date
pytestmark = pytest.mark.django_db


# --- one definition of a participant of a project --------------------------------------------


def _prospect(world, person, converted_on, *, project=None, met=None):
    place, _ = FindPlace.objects.get_or_create(
        organisation=world.org,
        municipality="Gent",
        name="Schoolpoort",
        defaults={"kind": "school_gate", "project": world.project},
    )
    prospect = Prospect.objects.create(
        organisation=world.org,
        nickname=f"p{Prospect.objects.count()}",
        project=project or world.project,
        person=person,
        converted_on=converted_on if person else None,
    )
    for day in met or (D(2024, 1, 5),):
        ContactMoment.objects.create(prospect=prospect, on=day, place=place)
    return prospect


# Each case: how the person met the project, whether that makes them a participant, and their
# start in the project. The rule is issue 17's decision (written in the selector's docstring).
PARTICIPANT_CASES = [
    ("a trajectory funded by the project", "funded", True, D(2024, 3, 1)),
    ("placed in a group of the project's programme", "placed", True, D(2024, 4, 1)),
    (
        "met by its outreach, trajectory after registration",
        "outreach",
        True,
        D(2024, 2, 1),
    ),
    ("met by its outreach, trajectory from before registration", "outreach_before", False, None),
    ("met by its outreach, registered, no trajectory yet", "registered_only", False, None),
    ("met by its outreach, never registered", "met_only", False, None),
    ("a trajectory of no project", "unfunded", False, None),
]


@pytest.mark.parametrize(("case", "how", "counts", "start"), PARTICIPANT_CASES)
def test_who_is_a_participant_of_a_project(case, how, counts, start):
    world = World()
    person = world.person("F", D(1990, 1, 1))
    if how == "funded":
        world.trajectory(person, D(2024, 3, 1))
    elif how == "placed":
        own = world.trajectory(person, D(2024, 1, 1), in_project=False)
        world.enrolment(own, D(2024, 4, 1), None, status="placed")
    elif how == "outreach":
        _prospect(world, person, D(2024, 1, 20))
        world.trajectory(person, D(2024, 2, 1), in_project=False)
    elif how == "outreach_before":
        world.trajectory(person, D(2023, 6, 1), in_project=False)
        _prospect(world, person, D(2024, 1, 20))
    elif how == "registered_only":
        _prospect(world, person, D(2024, 1, 20))
    elif how == "met_only":
        _prospect(world, None, None)
    else:
        world.trajectory(person, D(2024, 3, 1), in_project=False)
    rows = [r for r in project_participations() if r.project_id == world.project.pk]
    assert project_participant_counts(rows).get(world.project.pk, 0) == (1 if counts else 0), case
    if counts:
        assert min(r.start for r in rows) == start, case


def test_a_person_counts_once_from_their_first_start():
    world = World()
    person = world.person("M", D(1985, 1, 1))
    _prospect(world, person, D(2024, 1, 20))
    funded = world.trajectory(person, D(2024, 2, 1))  # funded AND brought by outreach
    world.enrolment(funded, D(2024, 5, 1), None, status="placed")
    rows = project_participations([world.project.pk])
    assert {r.via for r in rows} == {Via.TRAJECTORY, Via.GROUP}  # the funded one not twice
    assert project_participant_counts(rows) == {world.project.pk: 1}
    assert project_participant_counts(rows, on=D(2024, 1, 31)) == {}


# --- the pages agree on the demo data ---------------------------------------------------------


def _cells(html: str, row_id: str) -> list[str]:
    row = html[html.index(f'id="{row_id}"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def _number(text: str) -> int | None:
    text = text.replace(".", "").replace(",", "").strip()
    return int(text) if text.isdigit() else None


@pytest.fixture
def demo(django_db_blocker):
    call_command("seed_demo", "--seed", "1", "--persons", "200", stdout=StringIO())


def test_every_page_counts_the_same_participants_per_project(demo, client):
    """The programme dashboard, each project's ESF+ indicators (EECO01 over all time) and the
    outreach funnel (its "trajectory" stage, for a project whose participants all came through
    outreach) give the same number for the same project. Before issue 17 the dashboard showed
    0 for Mobiel Arbeidsteam Gent where the funnel showed the outreach it brought to a
    trajectory."""
    from tandem.accounts.models import User

    client.force_login(User.objects.get(username="demo_programme_manager"))
    with translation.override("en"):
        dashboard = client.get(reverse("reporting:programme_dashboard")).content.decode()
        funnel_page = client.get(reverse("outreach:funnel")).content.decode()
    funnel_table = funnel_page[funnel_page.index('id="funnel-projects"') :]
    rows = project_participations()
    vias: dict[int, set[str]] = {}
    for r in rows:
        vias.setdefault(r.project_id, set()).add(r.via)
    today = timezone.localdate()
    compared = 0
    for project in Project.objects.order_by("code"):
        (on_dashboard,) = _cells(dashboard, f"participants-{project.code}")
        url = reverse("reporting:project_indicators", kwargs={"code": project.code})
        esf = client.get(url, {"from": "2000-01-01", "to": f"{today:%Y-%m-%d}"}).content.decode()
        *_by_gender, esf_total = _cells(esf, "indicator-EECO01")
        figures = [on_dashboard, esf_total]
        if vias.get(project.pk) == {Via.OUTREACH}:
            row = funnel_table[funnel_table.index(f'<th scope="row">{project.name}</th>') :]
            figures.append(re.findall(r'<td class="num">([^<]*)</td>', row)[3])
        # Each page hides its own small counts (the mark "x"); the figures shown agree.
        shown = {_number(f) for f in figures} - {None}
        assert len(shown) <= 1, (project.code, figures)
        compared += len(figures) - 1 if len(shown) == 1 and None not in map(_number, figures) else 0
    # Behind the marks: the counts the pages are built from agree too.
    raw = {info.pk: n for info, n in load_dashboard(today).participants}
    by_project = funnel(funnel_rows_all(), lambda r: r.project).groups
    for project in Project.objects.all():
        assert raw[project.pk] == len(participants_of(project)), project.code
        if vias.get(project.pk) == {Via.OUTREACH}:
            assert raw[project.pk] == by_project[project.name].trajectory, project.code
    mobiel = Project.objects.get(code="gent-mobiel-arbeidsteam")
    assert vias.get(mobiel.pk) == {Via.OUTREACH} and raw[mobiel.pk] > 0
    assert _number(_cells(dashboard, "participants-gent-mobiel-arbeidsteam")[0]) != 0
    assert compared >= 3


# --- group starts: one definition for both sheets (source 004) --------------------------------

# Source 004: "474 werkzoekenden startten een intensief groepsluik" in 2018 and "er werden dus
# geen groepen meer opgestart in 2019": a group start is when the group part began.
GROUP_START_CASES = [
    (
        "source 004: in the year of the first placement",
        "placed_later",
        2019,
    ),
    ("source 004: placed twice, one group start, the first", "placed_twice", 2018),
    (
        "source 004: imported with group work: its start year",
        "imported_group",
        2018,
    ),
    (
        "source 004: imported without group work: none",
        "imported_single",
        None,
    ),
]


@pytest.mark.parametrize(("case", "how", "year"), GROUP_START_CASES)
def test_a_group_start_is_counted_the_same_on_both_sheets(case, how, year):
    world = World()
    person = world.person("F", D(1990, 1, 1))
    if how == "placed_later":
        t = world.trajectory(person, D(2018, 11, 1))
        world.enrolment(t, D(2019, 2, 1), None, status="placed")
    elif how == "placed_twice":
        t = world.trajectory(person, D(2018, 3, 1))
        world.enrolment(t, D(2018, 4, 1), D(2018, 6, 1))
        world.enrolment(t, D(2019, 4, 1), None, status="placed")
    else:
        ImportedTrajectory.objects.create(
            person=person,
            type="w2",
            province="oost_vlaanderen",
            start_date=D(2018, 5, 1),
            group_work=how == "imported_group",
        )
    counts = group_start_counts()
    assert {y: n for y, n in counts.items() if n} == ({year: 1} if year else {}), case
    for report_year in (2018, 2019):
        with translation.override("en"):
            report = build_report(report_year, today=D(2026, 1, 15))
        per_year = report.section("Starts").tables[1]
        per_type = report.section("Group work").tables[0]
        # Both sheets show the same figure for the year (one start is small: the one mark).
        on_starts = per_year.cell(str(report_year), "Group starts").text
        assert on_starts == per_type.cell("Total", "Group starts").text, case
        assert on_starts == ("x" if year == report_year else "0"), case
        assert per_year.notes == per_type.notes and "source 004" in per_year.notes[0]


# --- targets beside their actuals -------------------------------------------------------------


def test_each_target_kind_has_its_actual_or_says_it_is_not_measurable():
    """DOMAIN.md §8 from the sources: call 478 "> 700 participants" (source 000), the
    outreach call's 10,000 people reached (source 004), Mobiel Arbeidsteam's "> 900 to work
    or training" (source 002), the local partnerships' "at least 4,000 into work" (source
    001), WIJ3's "> 4,000" with no project in Tandem."""
    world = World()
    call = call_upsert(
        acting_user=None,
        code="oproep-test",
        number="478",
        title="Werk-welzijn",
        start_date=D(2023, 1, 1),
        end_date=D(2025, 12, 31),
        total_budget=1000,
    )
    empty = call_upsert(
        acting_user=None,
        code="oproep-leeg",
        number="",
        title="Zonder projecten",
        start_date=D(2023, 1, 1),
        end_date=D(2025, 12, 31),
        total_budget=1000,
    )
    Project.objects.filter(pk=world.project.pk).update(call=call)
    for kind, value in (
        (TargetKind.PARTICIPANTS, 700),
        (TargetKind.REACHED, 10000),
        (TargetKind.INTO_WORK, 4000),
    ):
        CallTarget.objects.create(call=call, kind=kind, bound="more_than", value=value)
    CallTarget.objects.create(call=empty, kind=TargetKind.PARTICIPANTS, value=4000)
    ProjectTarget.objects.create(
        project=world.project,
        kind=TargetKind.INTO_WORK_OR_TRAINING,
        value=900,
        due_date=D(2024, 12, 31),
    )
    people = [world.person("F", D(1990, 1, i + 1)) for i in range(6)]
    for i, person in enumerate(people[:5]):  # five funded: three into work, one training
        reason = ["work_regular", "work_regular", "work_social_economy", "training", ""][i]
        world.trajectory(person, D(2024, 2, 1), D(2024, 9, 1) if reason else None, reason)
    _prospect(world, people[5], D(2024, 1, 20), met=(D(2024, 1, 5), D(2025, 2, 1)))
    world.trajectory(people[5], D(2025, 3, 1), in_project=False)
    _prospect(world, None, None, met=(D(2024, 6, 1),))
    data = load_dashboard(D(2025, 6, 30))
    actual = {(row.target.code, row.target.kind): row for row in data.targets}
    assert actual[("oproep-test", TargetKind.PARTICIPANTS)].actual == 6
    assert actual[("oproep-test", TargetKind.REACHED)].actual == 2
    assert actual[("oproep-test", TargetKind.INTO_WORK)].actual == 3
    assert actual[("oproep-test", TargetKind.PARTICIPANTS)].as_of == D(2025, 6, 30)
    assert actual[("oproep-leeg", TargetKind.PARTICIPANTS)].actual is None
    # Measured on its due date: the outreach trajectory of 2025 comes after it.
    into = actual[("esf-test", TargetKind.INTO_WORK_OR_TRAINING)]
    assert (into.as_of, into.actual) == (D(2024, 12, 31), 4)


def test_the_dashboard_and_the_report_show_targets_beside_actuals(client):
    world = World()
    ProjectTarget.objects.create(
        project=world.project, kind=TargetKind.PARTICIPANTS, value=50, due_date=D(2024, 12, 31)
    )
    for i in range(7):
        world.trajectory(world.person("M", D(1980, 1, i + 1)), D(2024, 2, 1))
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    with translation.override("en"):
        page = client.get(
            reverse("reporting:programme_dashboard"), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        report = build_report(2024, today=D(2026, 1, 15))
    row = page[page.index('id="targets-table"') :]
    row = row[row.index("ESF testproject") :]
    row = row[: row.index("</tr>")]
    assert "at least 50" in row and '<td class="num">7</td>' in row and "31/12/2024" in row
    targets = report.section("Targets").tables[0]
    assert targets.cell("ESF testproject", "Actual").value == 7
    assert targets.cell("ESF testproject", "Measured on").value == D(2024, 12, 31)


# --- reach per year (source 003, question 3) --------------------------------------------------


def test_the_report_gives_reach_and_trajectories_per_year():
    """Source 003, question 3: a yearly state of affairs of the efforts and results for the
    vulnerable: people reached by outreach, and brought to a trajectory, per year."""
    world = World()
    for i in range(6):
        person = world.person("F", D(1990, 2, i + 1))
        _prospect(world, person, D(2024, 3, 1), met=(D(2023, 11, 1),))
        world.trajectory(person, D(2024, 4, 1), in_project=False)
    for _i in range(5):
        _prospect(world, None, None, met=(D(2024, 5, 1),))
    with translation.override("en"):
        report = build_report(2024, today=D(2026, 1, 15))
    reach = report.section("Reach").tables[0]
    assert reach.cell("2023", "People reached").value == 6
    assert reach.cell("2024", "People reached").value == 5
    assert reach.cell("2024", "Brought to a trajectory").value == 6
    assert reach.cell("Total", "People reached").value == 11
