"""The outcome dashboard: shares by months, type and province from a hand-counted cohort, the
province filter, disclosure control, the honest comparison, the report form, no persons in the
page, bad filters answered with a message, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outcomes.services import refresh_outcomes
from tandem.registry.models import Person
from tests.factories import make_person, make_user

URL = "/outcomes/"
TODAY = timezone.localdate()
LONG_AGO = TODAY.replace(year=TODAY.year - 5, month=1, day=15)  # every +N day lies in the past
RECENT = TODAY - dt.timedelta(days=30)  # every +N day still ahead


@pytest.fixture
def manager_client(client, db):
    client.force_login(make_user(Role.PROGRAMME_MANAGER, username="outcome_manager"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def add(
    mediator,
    *,
    count: int,
    province: str,
    status: str | None,
    kind: str = "w2",
    group: bool = False,
    end: dt.date = LONG_AGO,
) -> list[Person]:
    """``count`` imported trajectories that ended on ``end``, each of its own person, whose
    status from a month after the end on is ``status`` (None: no status known)."""
    persons = []
    for _ in range(count):
        person = make_person(mediator, with_insz=True)
        ImportedTrajectory.objects.create(
            person=person,
            type=kind,
            province=province,
            start_date=end - dt.timedelta(days=200),
            end_date=end,
            group_work=group,
        )
        if status is not None:
            StatusEvent.objects.create(
                person=person, date=end + dt.timedelta(days=31), status=status, source="test"
            )
        persons.append(person)
    refresh_outcomes(p.pk for p in persons)  # written past the services
    return persons


@pytest.fixture
def cohort(mediator):
    """Oost-Vlaanderen, W²: 20 individual-only measured (10 employed, 5 in training,
    5 unemployed) and 5 without status; 10 with group work (5 employed, 5 unemployed).
    Antwerpen, work-and-care: 20 individual-only measured (15 employed, 5 unemployed) and
    5 that ended a month ago (too recent).

    At 24 months: Oost-Vlaanderen 35 ended, 5 unknown, 30 measured, 20 out (67 %), 15 in work
    (50 %); Antwerpen 20 measured, 15 out and in work (75 %), 5 too recent; all 55 ended,
    50 measured, 35 out (70 %), 30 in work (60 %). Group 5/10 out (50 %) against individual
    only 30/40 (75 %): −25.0 points.
    """
    persons = []
    persons += add(mediator, count=10, province="oost_vlaanderen", status="employed")
    persons += add(mediator, count=5, province="oost_vlaanderen", status="training")
    persons += add(mediator, count=5, province="oost_vlaanderen", status="unemployed")
    persons += add(mediator, count=5, province="oost_vlaanderen", status=None)
    persons += add(mediator, count=5, province="oost_vlaanderen", status="employed", group=True)
    persons += add(mediator, count=5, province="oost_vlaanderen", status="unemployed", group=True)
    common = {"province": "antwerpen", "kind": "work_care"}
    persons += add(mediator, count=15, status="employed", **common)
    persons += add(mediator, count=5, status="unemployed", **common)
    persons += add(mediator, count=5, status="employed", end=RECENT, **common)
    return persons


def row(html: str, table_id: str, label: str) -> list[str]:
    """The cells of the row headed ``label`` in the table with ``table_id``, as text."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = [
            html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
        ]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in {table_id}")


# Columns: ended, unknown, measured, out, out share, work, work share, too recent.


@pytest.mark.django_db
def test_the_dashboard_shows_hand_counted_shares(manager_client, cohort):
    response = manager_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    total = row(html, "table-province", "Total")
    assert total[:4] == ["55", "5", "50", "35"]
    assert total[4].startswith("70 % (")
    assert total[5] == "30" and total[6].startswith("60 % (")
    assert total[7] == "5"
    assert row(html, "table-province", "Oost-Vlaanderen")[:6] == [
        "35",
        "5",
        "30",
        "20",
        "67 % (49–81 %)",
        "15",
    ]
    antwerpen = row(html, "table-province", "Antwerpen")
    assert antwerpen[2:5] == ["20", "15", "75 % (53–89 %)"] and antwerpen[7] == "5"
    assert row(html, "table-type", "Work-and-care trajectory")[3] == "15"
    # By months after the end: the same statuses at 6, 12 and 24 months.
    for months in (6, 12, 24):
        assert row(html, f"table-months-{months}", "With group work")[2:5] == [
            "10",
            "5",
            "50 % (24–76 %)",
        ]
        assert row(html, f"table-months-{months}", "Individual only")[2:4] == ["40", "30"]
    # Every chart is an accessible SVG with a title and a description.
    assert html.count('role="img"') == 3
    assert 'id="chart-months-title"' in html and 'id="chart-province-desc"' in html


@pytest.mark.django_db
def test_the_province_filter_changes_the_figures(manager_client, cohort):
    html = manager_client.get(URL, {"province": "antwerpen"}).content.decode()
    total = row(html, "table-province", "Total")
    assert total[:5] == ["20", "0", "20", "15", "75 % (53–89 %)"]
    assert "Oost-Vlaanderen</th>" not in html
    assert 'name="province" value="antwerpen"' in html  # the yearly report keeps the filter


@pytest.mark.django_db
def test_the_period_and_months_filters(manager_client, cohort):
    html = manager_client.get(URL, {"ended_from": str(RECENT), "months": "6"}).content.decode()
    assert row(html, "table-province", "Total") == ["0", "0", "0", "0", "–", "0", "–", "5"]
    assert "Outflow at 6 months by province" in html


@pytest.mark.django_db
def test_small_counts_are_suppressed_and_not_drawn(manager_client, cohort, mediator):
    add(mediator, count=3, province="limburg", status="employed", kind="youth")
    html = manager_client.get(URL).content.decode()
    limburg = row(html, "table-province", "Limburg")
    assert limburg[0] == "x" and limburg[2] == "x" and limburg[3] == "x"
    assert limburg[4] == "–" and limburg[6] == "–"
    # The chart leaves a gap instead of a bar, and the description says the share is hidden.
    desc = re.search(r'<desc id="chart-province-desc">(.*?)</desc>', html, re.S)
    assert desc and "Limburg: hidden" in desc.group(1)
    # Secondary suppression: with the total shown (58), the smallest other province is
    # hidden too, so the total does not give Limburg away (the same mark: no hint it is big).
    assert row(html, "table-province", "Total")[0] == "58"
    antwerpen = row(html, "table-province", "Antwerpen")
    assert antwerpen[0] == "x"
    assert row(html, "table-province", "Oost-Vlaanderen")[0] == "35"


@pytest.mark.django_db
def test_the_comparison_shows_raw_and_adjusted(manager_client, cohort):
    html = manager_client.get(URL).content.decode()
    out = row(html, "comparison-table", "Out of unemployment")
    # group, individual only, reweighted, raw, adjusted (everyone has the same traits here)
    assert out == ["50 %", "75 %", "75 %", "−25.0", "−25.0"]
    assert row(html, "comparison-table", "Into work")[3] == "−12.5"
    assert "Measured: 10 trajectories with group work, 40 with individual-only" in html
    assert "does not prove that group work causes the difference" in html


@pytest.mark.django_db
def test_no_comparison_when_one_side_is_small(manager_client, mediator):
    add(mediator, count=3, province="antwerpen", status="employed", group=True)
    add(mediator, count=10, province="antwerpen", status="employed")
    html = manager_client.get(URL).content.decode()
    assert 'id="comparison-table"' not in html
    assert "fewer than 5 trajectories were measured at 24 months on one side" in html


@pytest.mark.django_db
def test_no_person_appears(manager_client, cohort):
    html = manager_client.get(URL).content.decode()
    for person in cohort:
        assert person.last_name not in html
        assert person.insz and person.insz not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"ended_from": "gisteren"}, "id_ended_from", "Enter a valid date."),
        ({"months": "7"}, "id_months", "Select a valid choice."),
        ({"province": "mars"}, "id_province", "Select a valid choice."),
        (
            {"ended_from": "2024-05-01", "ended_to": "2024-01-01"},
            "id_ended_to",
            "The end of the period cannot be before its start.",
        ),
    ],
)
def test_bad_filters_get_a_message(manager_client, query, field, message):
    response = manager_client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#{field}"' in html and message in html
    assert 'role="img"' not in html


@pytest.mark.django_db
def test_the_yearly_report_box(manager_client, cohort):
    # The years with a start (every start lies 200 days before its end), newest first, the
    # last complete one chosen; the links carry it and the province shown.
    years = {(LONG_AGO - dt.timedelta(days=200)).year, (RECENT - dt.timedelta(days=200)).year}
    last_complete = max(y for y in years if y < TODAY.year)
    html = manager_client.get(URL, {"province": "antwerpen", "months": "12"}).content.decode()
    form = re.search(r'<form[^>]*id="report-form"[^>]*>(.*?)</form>', html, re.S)
    assert form
    assert {int(y) for y in re.findall(r'<option value="(\d+)"', form.group(1))} == years
    assert f'<option value="{last_complete}" selected>' in form.group(1)
    # Choosing a year keeps the other filters.
    assert '<input type="hidden" name="province" value="antwerpen">' in form.group(1)
    assert '<input type="hidden" name="months" value="12">' in form.group(1)
    assert f'href="/outcomes/report/pdf/?year={last_complete}&amp;province=antwerpen"' in html
    assert f'href="/outcomes/report/xlsx/?year={last_complete}&amp;province=antwerpen"' in html
    oldest = min(years)
    html = manager_client.get(URL, {"report_year": str(oldest)}).content.decode()
    assert f'href="/outcomes/report/pdf/?year={oldest}&amp;province="' in html
    html = manager_client.get(URL, {"report_year": "1999"}).content.decode()
    assert "Choose one of the years listed." in html
    assert f'href="/outcomes/report/xlsx/?year={last_complete}&amp;province="' in html
    assert 'href="/outcomes/quality/"' in html


@pytest.mark.django_db
def test_only_programme_managers_and_admins(client, db):
    client.force_login(make_user(Role.MEDIATOR, username="outcome_mediator"))
    assert client.get(URL).status_code == 403
    client.force_login(make_user(Role.ADMIN, username="outcome_admin"))
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow(manager_client, mediator, django_assert_num_queries):
    """Issue 20: the figures are counted in SQL from the outcome table, one GROUP BY per
    breakdown, so 3 trajectories and 53 cost the same queries: the session, the user and their
    roles (3), outflow by group work at 6/12/24 months, by type, by province (3), the
    comparison's cells (1) and the years with a start for the yearly report's box (2)."""
    add(mediator, count=3, province="antwerpen", status="employed")
    manager_client.get(URL)  # warm the session and the user
    with django_assert_num_queries(9):
        manager_client.get(URL)
    add(mediator, count=30, province="oost_vlaanderen", status="unemployed", group=True)
    add(mediator, count=20, province="limburg", status=None, kind="youth")
    with django_assert_num_queries(9):
        assert manager_client.get(URL).status_code == 200


def test_the_bar_chart_leaves_a_gap_for_a_hidden_share():
    from xml.etree import ElementTree

    from tandem.common.svg import Series, bar_chart

    svg = bar_chart(
        ["Antwerpen", "Limburg"],
        [Series("Uit de werkloosheid", [75.0, None]), Series("Aan het werk", [60.0, 40.0])],
        max_value=100,
        intervals=[[(53.0, 89.0), None], [(40.0, 77.0), (20.0, 60.0)]],
        unit=" %",
        title="Uitstroom <per> provincie",
        chart_id="chart-test",
        none_text="verborgen",
    )
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own output; well-formed
    assert root.get("role") == "img"
    assert root.find("svg:title", ns).text == "Uitstroom <per> provincie"
    assert len(root.findall(".//svg:rect[@class='bar']", ns)) == 3  # no bar for the gap
    assert [t.text for t in root.findall(".//svg:text[@class='bar-gap']", ns)] == ["verborgen"]
    assert len(root.findall(".//svg:path[@class='bar-interval']", ns)) == 3
    desc = root.find("svg:desc", ns).text
    assert "Limburg: verborgen" in desc and "Antwerpen: 75 % (53–89 %)" in desc
    with pytest.raises(ValueError):
        bar_chart(["a"], [Series("s", [1.0, 2.0])])


@pytest.mark.django_db
def test_the_months_select_shows_24_unless_chosen(manager_client):
    html = manager_client.get(URL).content.decode()
    assert '<option value="24" selected>' in html
    html = manager_client.get(URL, {"months": "12"}).content.decode()
    assert '<option value="12" selected>' in html and "Outflow at 12 months by type" in html


@pytest.mark.django_db
def test_the_charts_say_whole_percentages(manager_client, cohort):
    html = manager_client.get(URL).content.decode()
    desc = re.search(r'<desc id="chart-province-desc">(.*?)</desc>', html, re.S)
    assert desc and "Oost-Vlaanderen: 67 % (49–81 %)" in desc.group(1)
