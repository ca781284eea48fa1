"""The programme dashboard: cumulative counts per quarter worked out by hand, budgets of the
seeded call-478 projects, small counts hidden, constant queries, access."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.demo.organisations import seed_organisations
from tandem.demo.programmes import seed_calls_and_projects
from tandem.programmes.services import project_target_upsert, project_upsert
from tandem.reporting.dashboard import (
    Participation,
    ProjectInfo,
    Target,
    cumulative,
    load_dashboard,
    progress,
    quarter_ends,
)
from tandem.trajectories.models import StatusChange
from tests.factories import OrganisationFactory, make_user
from tests.reporting.test_indicators import World

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 1)
URL = "/programmes/dashboard/"


def test_quarters_run_from_the_start_to_the_last_day_counted():
    assert quarter_ends(D(2023, 2, 10), D(2023, 8, 15)) == [
        ("2023 Q1", D(2023, 3, 31)),
        ("2023 Q2", D(2023, 6, 30)),
        ("2023 Q3", D(2023, 8, 15)),
    ]
    assert quarter_ends(D(2023, 12, 31), D(2024, 1, 1)) == [
        ("2023 Q4", D(2023, 12, 31)),
        ("2024 Q1", D(2024, 1, 1)),
    ]
    assert quarter_ends(D(2024, 5, 1), D(2024, 4, 1)) == []


def test_cumulative_counts_days_on_or_before_each_end():
    days = [D(2023, 3, 31), D(2023, 1, 5), D(2023, 4, 1)]
    assert cumulative(days, [D(2022, 12, 31), D(2023, 3, 31), D(2023, 6, 30)]) == [0, 2, 3]


def test_progress_counts_each_person_once_from_their_first_day():
    project = ProjectInfo(
        1,
        "p",
        "P",
        D(2023, 1, 1),
        D(2023, 12, 31),
        (Target("into_work_or_training", "at_least", 2, None),),
    )
    rows = [
        Participation(1, 10, D(2023, 2, 1)),
        Participation(1, 10, D(2023, 5, 1), D(2023, 8, 1)),  # the same person again
        Participation(1, 11, D(2023, 4, 1), D(2023, 7, 1)),
        Participation(2, 12, D(2023, 1, 1), D(2023, 1, 2)),  # another project
    ]
    item = progress(project, rows, TODAY)
    assert item.until == D(2023, 12, 31)
    assert item.quarters == ["2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4"]
    assert item.participants == [1, 2, 2, 2]
    assert item.outcomes == [0, 0, 2, 2]
    assert item.participant_target is None
    assert item.outcome_target == Target("into_work_or_training", "at_least", 2, None)


def test_without_an_outcome_target_only_participants_are_counted():
    project = ProjectInfo(
        1, "p", "P", D(2023, 1, 1), D(2030, 1, 1), (Target("participants", "at_least", 9, None),)
    )
    item = progress(project, [Participation(1, 10, D(2023, 2, 1), D(2023, 3, 1))], D(2023, 5, 5))
    assert item.until == D(2023, 5, 5)
    assert item.participants == [1, 1]
    assert item.outcomes is None


def _build() -> World:
    """Five participants of ``esf-test`` (2023–2025), by hand:

    A 2023 Q1 (closed for work 2023 Q3), B and C 2023 Q2 (C closed for training 2023 Q4),
    E 2023 Q3 (employed from 2024 Q1), D placed in a group 2023 Q4 (left for work 2024 Q1);
    F has a trajectory outside the project.
    """
    w = World()
    for kind, value in (("participants", 10), ("into_work_or_training", 4)):
        project_target_upsert(
            acting_user=None, project=w.project, kind=kind, value=value, due_date=D(2025, 12, 31)
        )
    w.trajectory(w.person("F", D(1990, 1, 1)), D(2023, 2, 10), D(2023, 9, 15), "work_regular")
    w.trajectory(w.person("M", D(1985, 1, 1)), D(2023, 5, 1))
    w.trajectory(w.person("F", D(1980, 1, 1)), D(2023, 5, 20), D(2023, 12, 1), "training")
    outside = w.trajectory(w.person("M", D(1975, 1, 1)), D(2023, 10, 1), in_project=False)
    w.enrolment(outside, D(2023, 11, 2), D(2024, 1, 15), reason="work")
    employed = w.trajectory(w.person("X", D(1995, 1, 1)), D(2023, 8, 1))
    employed.status = "employed"
    employed.save(update_fields=["status"])
    StatusChange.objects.create(
        trajectory=employed,
        from_status="active",
        to_status="employed",
        on=D(2024, 2, 1),
        by=w.mediator,
    )
    w.trajectory(w.person("F", D(1970, 1, 1)), D(2023, 3, 1), in_project=False)
    return w


def test_the_hand_built_project_per_quarter():
    w = _build()
    data = load_dashboard(TODAY)
    (item,) = data.progress
    assert item.project.code == w.project.code
    assert item.until == D(2025, 12, 31)
    assert item.quarters[:5] == ["2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4", "2024 Q1"]
    assert len(item.quarters) == 12
    assert item.participants == [1, 3, 4, 5] + [5] * 8
    assert item.outcomes == [0, 0, 1, 2] + [4] * 8
    assert item.participant_target.value == 10
    assert item.outcome_target.value == 4
    assert dict((p.code, n) for p, n in data.participants) == {"esf-test": 5}


@pytest.fixture
def seeded():
    seed_calls_and_projects(seed_organisations())


def test_budgets_per_province_and_promoter(seeded):
    data = load_dashboard(TODAY)
    provinces = {row.label: row for row in data.by_province}
    assert provinces["West-Vlaanderen"].budget == Decimal("498143")
    assert provinces["West-Vlaanderen"].projects == 1
    # Oost-Vlaanderen: call 478's OVL project and the Mobiel Arbeidsteam Gent.
    assert provinces["Oost-Vlaanderen"].budget == Decimal("499467") + Decimal("4700000")
    promoters = {row.label: row for row in data.by_promoter}
    intro = promoters["Groep Intro vzw"]
    assert intro.projects == 4
    assert intro.budget == Decimal("1997383")
    # Call 478 states no split: the whole budget is "split not stated".
    assert intro.esf == 0 and intro.cofinancing == 0 and intro.not_split == Decimal("1997383")
    assert data.total.budget == sum((row.budget for row in data.by_province), Decimal(0))


def test_a_split_is_summed_into_esf_and_cofinancing():
    org = OrganisationFactory(name="Promotor & Co")
    for code, esf in (("a", 60), ("b", 30)):
        project_upsert(
            acting_user=None,
            code=code,
            name=code,
            promoter=org,
            province="limburg",
            start_date=D(2023, 1, 1),
            end_date=D(2023, 12, 31),
            budget=100,
            esf_amount=esf,
            cofinancing_amount=100 - esf,
        )
    (row,) = load_dashboard(TODAY).by_promoter
    assert (row.budget, row.esf, row.cofinancing, row.not_split) == (200, 90, 110, 0)


def test_the_page_shows_chart_tables_and_hides_small_counts(client, seeded):
    _build()
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    # A chart per project with a target, with the target lines and a data table.
    assert body.count('role="img"') == 2  # and the Mobiel Arbeidsteam Gent's
    assert 'class="line-target"' in body
    assert "Target: participants: 10" in body
    assert "Target: into work or training: 4" in body
    table = body.split('id="progress-table-esf-test"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    # Per quarter: participants, then into work or training; 1–4 as "x".
    assert cells[:10] == ["x", "0", "x", "0", "x", "x", "5", "x", "5", "x"]
    # Small counts are gaps in the chart and "x" in its words, never a number.
    desc = body.split('<desc id="chart-1-desc">')[1].split("</desc>")[0]
    assert "2023 Q1: x" in desc and "2023 Q4: 5" in desc
    # Budgets and participants per project.
    assert "1,997,383" in body and "498,143" in body
    participants = body.split('id="participants-table"')[1].split("</table>")[0]
    assert re.search(r'id="participants-esf-test">.*?<td class="num">5</td>', participants)
    assert re.search(r'id="participants-esf478-wvl">.*?<td class="num">0</td>', participants)


def test_small_participant_counts_are_suppressed(client):
    w = World()
    w.trajectory(w.person("F", D(1990, 1, 1)), D(2023, 2, 10))
    client.force_login(make_user(Role.ADMIN))
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'id="participants-esf-test">.*?<td class="num">x</td>', body)


def test_labels_are_escaped_in_the_chart(client):
    w = World()
    w.project.name = "Werk <script>alert(1)</script> & zo"
    w.project.save()
    project_target_upsert(acting_user=None, project=w.project, kind="participants", value=3)
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<script>alert(1)" not in body
    assert "Werk &lt;script&gt;alert(1)&lt;/script&gt; &amp; zo" in body


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    w = _build()
    _queries(client)  # the first request of a session does a few more (session, user)
    small = _queries(client)
    # Eight more participants (trajectories and group placements), six more projects with
    # targets and promoters.
    for k in range(8):
        t = w.trajectory(w.person("F", D(1990, 1, 1 + k)), D(2025, 2, 1), D(2025, 3, 1), "training")
        w.enrolment(t, D(2025, 2, 2 + k), None, status="placed")
    for k in range(6):
        project = project_upsert(
            acting_user=None,
            code=f"extra-{k}",
            name=f"Extra {k}",
            promoter=OrganisationFactory(name=f"Promotor {k}"),
            province="antwerpen",
            start_date=D(2022, 1, 1),
            end_date=D(2024, 12, 31),
            budget=1000,
        )
        project_target_upsert(acting_user=None, project=project, kind="participants", value=5)
    assert _queries(client) == small


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.WELFARE_PARTNER, Role.OUTREACH_WORKER])
def test_other_roles_get_403(client, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


def test_linked_from_the_call_list_and_the_home_page(client):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    assert URL in client.get(reverse("programmes:call_list")).content.decode()
    assert URL in client.get(reverse("home:home")).content.decode()
