"""Outcomes in a real browser, with axe on every page: a programme manager opens the outcome
dashboard, filters it by province, and downloads that province's yearly report as PDF and as
spreadsheet."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture then skips or fails, saying why
    expect = None

from tandem.accounts.models import Role
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outcomes.services import refresh_outcomes
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
REPORT_YEAR = TODAY.year - 1  # the last complete year: the dashboard's default
MEASURED_START = dt.date(TODAY.year - 5, 3, 1)
MEASURED_END = dt.date(TODAY.year - 5, 10, 1)  # +6, +12 and +24 months all in the past


def _trajectories(
    mediator, count: int, province: str, kind: str, status: str | None, group: bool = False
) -> None:
    """``count`` imported trajectories that ended long ago (or, with ``status`` None, that
    started in the report year and run on), each of its own person."""
    for _ in range(count):
        person = make_person(mediator)
        if status is None:
            ImportedTrajectory.objects.create(
                person=person,
                type=kind,
                province=province,
                start_date=dt.date(REPORT_YEAR, 3, 1),
                group_work=group,
            )
            continue
        ImportedTrajectory.objects.create(
            person=person,
            type=kind,
            province=province,
            start_date=MEASURED_START,
            end_date=MEASURED_END,
            group_work=group,
        )
        StatusEvent.objects.create(
            person=person, date=MEASURED_END + dt.timedelta(days=20), status=status
        )


def _cell(page, table: str, column: int) -> str:
    """The text of a cell of the total row (columns counted from 1, the heading included)."""
    return page.locator(f"#{table} tr.total > :nth-child({column})").inner_text().strip()


@pytest.mark.browser
def test_programme_manager_filters_outcomes_and_downloads_the_report(
    page, live_server, log_in_as, assert_accessible
):
    mediator = make_user(Role.MEDIATOR, username="bemiddelaar-uitstroom")
    manager = make_user(Role.PROGRAMME_MANAGER, username="programmabeheerder-uitstroom")
    # Oost-Vlaanderen, W²: 20 individual only (12 in work, 8 unemployed), 10 with group work
    # (5 in work, 5 unemployed): 17 of 30 out of unemployment (57 %).
    _trajectories(mediator, 12, "oost_vlaanderen", "w2", "employed")
    _trajectories(mediator, 8, "oost_vlaanderen", "w2", "unemployed")
    _trajectories(mediator, 5, "oost_vlaanderen", "w2", "employed", group=True)
    _trajectories(mediator, 5, "oost_vlaanderen", "w2", "unemployed", group=True)
    # Antwerpen, work and care: 15 in work, 5 unemployed: 15 of 20 (75 %).
    _trajectories(mediator, 15, "antwerpen", "work_care", "employed")
    _trajectories(mediator, 5, "antwerpen", "work_care", "unemployed")
    # Starts in the report year: 12 youth tracks in Oost-Vlaanderen, still running.
    _trajectories(mediator, 12, "oost_vlaanderen", "youth", None)
    refresh_outcomes()  # written past the services: the outcome table follows by hand

    # 1. The dashboard, every province: 50 measured, 32 out of unemployment (64 %).
    log_in_as(manager)
    page.goto("/outcomes/")
    assert_accessible("the outcome dashboard")
    expect(page.locator("main svg[role=img]")).to_have_count(3)
    expect(page.locator("#chart-months-title")).to_have_count(1)
    assert _cell(page, "table-province", 4) == "50"
    assert _cell(page, "table-province", 5) == "32"
    assert _cell(page, "table-province", 6).startswith("64 %")
    expect(page.locator("#table-province")).to_contain_text("Antwerpen")
    expect(page.locator("#comparison-table")).to_be_visible()

    # 2. Filtered by province: Oost-Vlaanderen's figures only.
    page.get_by_label("Provincie", exact=True).select_option("oost_vlaanderen")
    with page.expect_navigation():
        page.locator("#outcome-filters button[type=submit]").click()
    assert "province=oost_vlaanderen" in page.url
    assert_accessible("the outcome dashboard filtered by province")
    assert _cell(page, "table-province", 4) == "30"
    assert _cell(page, "table-province", 5) == "17"
    assert _cell(page, "table-province", 6).startswith("57 %")
    expect(page.locator("#table-province")).not_to_contain_text("Antwerpen")
    expect(page.locator("#outcome-scope")).to_contain_text("Oost-Vlaanderen")

    # 3. The yearly report of that province, for the last complete year: PDF and XLSX.
    expect(page.get_by_label("Jaar", exact=True)).to_have_value(str(REPORT_YEAR))
    expect(page.locator("#report-pdf")).to_have_text("PDF")
    with page.expect_download() as pdf_download:
        page.locator("#report-pdf").click()
    pdf = pdf_download.value
    assert f"year={REPORT_YEAR}" in pdf.url and "province=oost_vlaanderen" in pdf.url
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_download() as xlsx_download:
        page.locator("#report-xlsx").click()
    xlsx = xlsx_download.value
    assert f"year={REPORT_YEAR}" in xlsx.url and "province=oost_vlaanderen" in xlsx.url
    from openpyxl import load_workbook

    with open(xlsx.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    starts = workbook["Starts"]
    year_rows = [
        [cell for cell in row if cell is not None]
        for row in starts.iter_rows(values_only=True)
        if row and str(row[0]) == str(REPORT_YEAR)
    ]
    # The first table of the sheet counts starts per year and type: the 12 youth tracks,
    # in a row whose total is 12 too.
    assert year_rows, f"no row for {REPORT_YEAR} in the sheet Starts"
    assert year_rows[0][-1] == 12 and 12 in year_rows[0][1:-1]
    assert page.url.startswith(f"{live_server.url}/outcomes/")  # the page stayed put
