"""The yearly report ("stand van zaken"): figures from a crafted dataset, disclosure control,
the PDF and the spreadsheet, parameters and who may download it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tandem.accounts.models import Role
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outcomes.services import refresh_outcomes
from tandem.programmes.models import Project
from tandem.programmes.services import call_upsert, project_upsert
from tandem.reporting.yearly_report.tables import build_report
from tandem.trajectories.models import Trajectory
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

YEAR = 2019
TODAY = dt.date(2026, 1, 15)
PDF_URL = reverse("reporting:report_pdf")
XLSX_URL = reverse("reporting:report_xlsx")


def imported(person, kind, start, end=None, *, group=False, province="oost_vlaanderen"):
    return ImportedTrajectory.objects.create(
        person=person,
        type=kind,
        province=province,
        start_date=start,
        end_date=end,
        group_work=group,
    )


@pytest.fixture
def data(mediator):
    """Twelve persons with imported trajectories and one with a Tandem trajectory.

    Starts: 2017 W² 10 (6 with group work); 2018 W² 6, youth 3; 2019 W² 7 + 1 Tandem, regular 5.
    Running in 2019: 13 persons (16 trajectories): W² 8 (women 5, men 3), regular 5 (women 4,
    X 1). Outflow at +24 months of the 2017 cohort (measured in mid-2019): with group work
    6 ended, 1 unknown, 5 measured, 4 out, 4 in work; individual only 4 ended, 4 measured,
    2 out, 1 in work.
    """
    genders = ["M", "M", "F", "F", "F", "F", "F", "X", "F", "F", "F", "F"]
    people = [
        make_person(mediator, first_name=f"Geheim{i}", last_name=f"Persoonsnaam{i}", gender=g)
        for i, g in enumerate(genders)
    ]
    for i, person in enumerate(people[:10]):
        imported(person, "w2", dt.date(2017, 1, 10), dt.date(2017, 6, 30), group=i < 6)
    for person in people[:6]:
        imported(person, "w2", dt.date(2018, 3, 1), dt.date(2018, 12, 31))
    for person in people[6:9]:
        imported(person, "youth", dt.date(2018, 4, 1))
    for person in people[:7]:
        imported(person, "w2", dt.date(2019, 2, 1))
    for person in people[7:12]:
        imported(person, "regular", dt.date(2019, 5, 1))
    on_day = dt.date(2019, 6, 1)  # before the +24 day (30/06/2019) of the 2017 cohort
    statuses = [
        "employed",
        "employed",
        "self_employed",
        "employed",
        "unemployed",
        None,  # status unknown
        "employed",
        "unemployed",
        "leefloon",
        "training",
    ]
    for person, status in zip(people[:10], statuses, strict=True):
        if status:
            StatusEvent.objects.create(person=person, date=on_day, status=status)
    promoter = OrganisationFactory(name="Promotor vzw", code="promotor-report")
    call = call_upsert(
        acting_user=None,
        code="oproep-report",
        number="478",
        title="Werk-welzijn",
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2021, 12, 31),
        total_budget=Decimal("1000000.00"),
        funds=["w2", "group_work"],  # a call that says nothing funds nothing (issue 17)
    )
    project = project_upsert(
        acting_user=None,
        code="esf-report-ovl",
        name="Werk-welzijn OVL",
        promoter=promoter,
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2020, 12, 31),
        budget=Decimal("499467.00"),
        esf_amount=Decimal("199786.80"),
        cofinancing_amount=Decimal("299680.20"),
        province="oost_vlaanderen",
        call=call,
    )
    tandem_person = make_person(
        mediator, first_name="Tandemgeheim", last_name="Tandemnaam", gender="M"
    )
    trajectory_start(
        acting_user=mediator,
        person=tandem_person,
        type="w2",
        reason="test",
        status="active",
        start_date=dt.date(2019, 3, 1),
        project=project,
    )
    refresh_outcomes()  # trajectories and events written past the services
    return {"people": [*people, tandem_person], "project": project, "promoter": promoter}


def _report(province=""):
    with translation.override("en"):
        return build_report(YEAR, province, today=TODAY)


def test_starts_per_year_and_type_with_suppression(data):
    report = _report()
    starts = report.section("Starts").tables[0]
    assert [row[0].text for row in starts.rows] == ["2017", "2018", "2019", "Total"]
    w2 = "Work-welfare trajectory (W²)"
    youth = "Youth track (18–25)"
    assert starts.cell("2017", w2).value == 10
    assert starts.cell("2017", "Total").value == 10
    assert starts.cell("2018", "Total").value == 9
    assert starts.cell("2019", "Total").value == 13
    assert starts.cell("Total", "Total").value == 32
    assert starts.cell("2018", "Work-and-care trajectory").value == 0  # zeros are not hidden
    # Three youth starts in 2018: primary suppression; the row total (9) would give them away
    # from the W² starts (6), so those are hidden too (secondary, shown as "x").
    assert starts.cell("2018", youth).value == "x"
    assert starts.cell("2018", w2).value == "x"
    assert starts.cell("2018", w2).hidden
    group = report.section("Starts").tables[1]
    # Group starts count when the group part began: the six 2017 W² rows with group work.
    assert group.cell("2017", "Group starts").value == 6
    assert group.cell("2018", "Group starts").value == 0
    assert group.cell("Total", "Group starts").value == 6


def test_participants_count_persons_once(data):
    table = _report().section("Participants").tables[0]
    # 16 trajectories ran in 2019, held by 13 persons.
    assert table.cell("Total", "Total").value == 13
    assert table.cell("Woman", "Total").value == 9
    assert table.cell("Man", "Total").value == "x"
    assert table.cell("X (non-binary)", "Regular mediation").value == "x"
    assert table.cell("Woman", "Youth track (18–25)").value == 0


def test_outflow_of_the_cohort_two_years_back(data):
    section = _report().section("Outflow")
    assert "ended in 2017" in section.paragraphs[0]
    by_group = section.tables[0]
    assert by_group.cell("Total", "Ended").value == 10
    assert by_group.cell("Total", "Out of unemployment").value == 6
    assert by_group.cell("With group work", "Status unknown").value == "x"
    assert by_group.cell("Individual only", "Ended").value == "x"
    # 6 ended with group work, but with the total (10) that would give the 4 away: hidden.
    assert by_group.cell("With group work", "Ended").value == "x"
    # 9 measured: the single unknown (1) would follow from 10 − 9, so it is hidden too.
    assert by_group.cell("Total", "Status known").value == "x"
    # A hidden count has no share, nor does a count whose base (status known) is hidden.
    assert by_group.cell("Individual only", "Share into work").value is None
    assert by_group.cell("Total", "Share out of unemployment").value is None
    by_type = section.tables[1]
    assert by_type.cell("Work-welfare trajectory (W²)", "Ended").value == 10
    # Too few on either side to compare group work fairly: said, not shown.
    assert len(section.tables) == 2
    assert "not compared" in section.paragraphs[-1]


def test_budgets_and_esf(data):
    report = _report()
    projects = report.section("Budgets").tables[1]
    assert projects.cell("Werk-welzijn OVL", "Budget").value == Decimal("499467.00")
    assert projects.cell("Werk-welzijn OVL", "Promoter").value == "Promotor vzw"
    assert projects.cell("Total", "ESF").value == Decimal("199786.80")
    calls = report.section("Budgets").tables[0]
    assert calls.cell("478 Werk-welzijn", "Total budget").value == Decimal("1000000.00")
    esf = report.section("ESF+").tables[0]
    row = next(r for r in esf.rows if r[0].text == "EECO01")
    assert [c.value for c in row[2:]] == [0, "x", 0, "x"]
    rural = next(r for r in esf.rows if r[0].text == "EECO17")
    assert rural[2].value == "not recorded"


def test_comparison_shown_when_both_groups_are_large_enough(mediator):
    for i in range(22):
        person = make_person(mediator, first_name=f"Cohort{i}")
        imported(person, "w2", dt.date(2016, 1, 4), dt.date(2017, 3, 31), group=i < 12)
        employed = i < 7 or 12 <= i < 17
        StatusEvent.objects.create(
            person=person,
            date=dt.date(2018, 1, 1),
            status="employed" if employed else "unemployed",
        )
    refresh_outcomes()
    section = _report().section("Outflow")
    assert len(section.tables) == 3
    by_group = section.tables[0]
    assert by_group.cell("With group work", "Into work").value == 7
    assert by_group.cell("With group work", "Share into work").value == round(7 / 12, 4)
    assert by_group.cell("Individual only", "Share into work").text == "50.0 %"
    comparison = section.tables[2]
    out = comparison.cell("Out of unemployment", "Raw difference (points)")
    assert out.text == "+8.3"
    assert comparison.cell("Out of unemployment", "Adjusted difference (points)").text == "+8.3"
    assert "+8.3 percentage points" in section.paragraphs[-1]


def test_province_filter(data, mediator):
    limburg = make_person(mediator, first_name="Limburger", province="limburg")
    imported(limburg, "outreach", dt.date(2019, 9, 1), province="limburg")
    project_upsert(
        acting_user=None,
        code="esf-report-lim",
        name="Werk-welzijn Limburg",
        promoter=data["promoter"],
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 12, 31),
        budget=Decimal("100000.00"),
        province="limburg",
    )
    report = _report("limburg")
    starts = report.section("Starts").tables[0]
    assert [row[0].text for row in starts.rows] == ["2019", "Total"]
    assert starts.cell("2019", "Outreach activation").value == "x"
    projects = report.section("Budgets").tables[1]
    assert [row[0].text for row in projects.rows] == ["Werk-welzijn Limburg", "Total"]
    everywhere = _report().section("Starts").tables[0]
    assert everywhere.cell("Total", "Total").value == 33


def test_query_count_is_pinned(data, django_assert_max_num_queries):
    # Ten of them for the targets beside their actuals and the reach of outreach (issue 17);
    # one for the POPs delivered per group-work partner and perspective (issue 17).
    with django_assert_max_num_queries(31):
        _report()


def _secrets(people):
    return [s for p in people for s in (p.first_name, p.last_name, p.insz) if s]


@pytest.fixture
def manager_client(client, db):
    client.force_login(make_user(Role.PROGRAMME_MANAGER, username="report_manager"))
    return client


def test_xlsx_holds_the_figures_and_no_person(data, manager_client):
    response = manager_client.get(XLSX_URL, {"year": YEAR})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="tandem-stand-van-zaken-2019.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Starts",
        "Participants",
        "Group work",
        "Outflow",
        "ESF+",
        "Targets",
        "Reach",
        "Budgets",
    ]
    rows = [list(r) for r in workbook["Starts"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Jaar")  # the first table's header
    assert rows[start][6] == "Totaal"
    by_year = {r[0]: r for r in rows[start + 1 : start + 5]}
    assert by_year["2017"][1] == 10
    assert by_year["2018"][1] == "x"
    assert by_year["2018"][3] == "x"
    assert by_year["2019"][6] == 13
    budget_rows = [list(r) for r in workbook["Budgets"].iter_rows(values_only=True)]
    assert any(r[0] == "Werk-welzijn OVL" and r[6] == 499467 for r in budget_rows)
    cells = [
        str(v)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    text = "\n".join(cells)
    for secret in _secrets(data["people"]):
        assert secret not in text


def test_pdf_is_a_pdf_and_its_html_holds_the_figures(data, manager_client, rf):
    response = manager_client.get(PDF_URL, {"year": YEAR, "province": "oost_vlaanderen"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="tandem-stand-van-zaken-2019-oost_vlaanderen.pdf"'
    )
    with translation.override("nl"):
        report = build_report(YEAR, "", today=TODAY)
        html = render_to_string("reporting/report_pdf.html", {"report": report})
    assert "Stand van zaken 2019" in html
    assert '<th scope="row">2017</th><td class="num">10</td>' in html
    assert '<td class="num">x</td>' in html  # hidden counts
    assert "&lt;5" not in html  # one mark for all of them
    assert "€ 499.467,00" in html
    for secret in _secrets(data["people"]):
        assert secret not in html


def test_default_year_is_the_last_complete_one(manager_client):
    from django.utils import timezone

    response = manager_client.get(XLSX_URL)
    assert response.status_code == 200
    last = timezone.localdate().year - 1
    assert f"tandem-stand-van-zaken-{last}.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"year": "twintig"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "3000"}, "year"),
        ({"province": "atlantis"}, "province"),
    ],
)
def test_bad_parameters_answer_400(manager_client, params, named):
    for url in (PDF_URL, XLSX_URL):
        response = manager_client.get(url, params)
        assert response.status_code == 400
        assert named in response.content.decode()


@pytest.mark.parametrize("role", sorted(Role.values))
def test_only_programme_managers_and_admins(client, db, role):
    client.force_login(make_user(role, username=f"report_{role}"))
    expected = 200 if role in (Role.PROGRAMME_MANAGER, Role.ADMIN) else 403
    assert client.get(XLSX_URL, {"year": YEAR}).status_code == expected


def test_anonymous_goes_to_login(client, db):
    response = client.get(PDF_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_tandem_trajectory_counts_among_the_starts(data):
    assert Trajectory.objects.count() == 1
    starts = _report().section("Starts").tables[0]
    assert starts.cell("Total", "Work-welfare trajectory (W²)").value == 24


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://x","klik")', "+1+1", "-1+cmd", "@SUM(1)", "\t=1+1", "\r=1+1"]
)
def test_xlsx_neutralises_a_name_that_starts_like_a_formula(data, manager_client, formula):
    """Every workbook goes through common.exports.xlsx_workbook (issue 16): a project named
    like a formula is text in the Budgets sheet, not a formula."""
    Project.objects.filter(pk=data["project"].pk).update(name=formula)
    response = manager_client.get(XLSX_URL, {"year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content))["Budgets"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "'" + formula.replace("\r", "\n") in [cell.value for cell in cells]
