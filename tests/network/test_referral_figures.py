"""The referral figures (issue 20): one GROUP BY in the database, the median as
``percentile_cont``, over a period (the last twelve months unless chosen).

The figures are checked against an independent, plain Python computation over the same rows
(the way the page computed them before: every referral loaded with its first acceptance, the
median by ``statistics.median``), on the demo's data and on generated data, on SQLite and on
PostgreSQL alike. The page's query count is pinned and the same with few and many referrals.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.common.aggregates import percentile_cont
from tandem.network.models import Referral, ReferralStatus, ReferralStatusChange, Service
from tandem.network.referrals import selectors as rsel
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

ALL_TIME = (dt.date(2000, 1, 1), dt.date(2035, 12, 31))


# --- the reference: plain Python over the rows ----------------------------------------------


def reference_figures(date_from: dt.date, date_to: dt.date) -> dict[tuple[str, str], tuple]:
    """(organisation, service or "") → (sent, accepted, ended, completed, answered,
    no capacity, median days to acceptance), computed row by row."""
    first_acceptance: dict[int, dt.datetime] = {}
    changes = ReferralStatusChange.objects.filter(to_status=ReferralStatus.ACCEPTED)
    for referral_id, at in changes.order_by("at", "pk").values_list("referral_id", "at"):
        first_acceptance.setdefault(referral_id, at)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    rows = Referral.objects.values_list(
        "pk", "receiving_organisation__name", "service__name", "status", "sent_at"
    )
    for pk, organisation, service, status, sent_at in rows:
        if not date_from <= timezone.localtime(sent_at).date() <= date_to:
            continue
        accepted_at = first_acceptance.get(pk)
        for key in ((organisation, ""), (organisation, service)):
            g = groups.setdefault(key, {"counts": [0] * 6, "days": []})
            counts = g["counts"]
            counts[0] += 1
            if accepted_at is not None:
                counts[1] += 1
                g["days"].append((accepted_at - sent_at).total_seconds() / 86400)
            counts[2] += status in rsel.ENDED_STATUSES
            counts[3] += status == ReferralStatus.COMPLETED
            counts[4] += accepted_at is not None or status in (
                ReferralStatus.DECLINED,
                ReferralStatus.NO_CAPACITY,
            )
            counts[5] += status == ReferralStatus.NO_CAPACITY
    return {
        key: (*g["counts"], statistics.median(g["days"]) if g["days"] else None)
        for key, g in groups.items()
    }


def computed(figures: list[rsel.OrganisationFigures]) -> dict[tuple[str, str], tuple]:
    def values(row: rsel.FigureRow) -> tuple:
        counts = (row.sent, row.accepted, row.ended, row.completed, row.answered)
        return (*counts, row.no_capacity, row.median_days_to_acceptance)

    out = {}
    for o in figures:
        out[(o.total.name, "")] = values(o.total)
        for s in o.services:
            out[(o.total.name, s.name)] = values(s)
    return out


def assert_same(figures: list[rsel.OrganisationFigures], expected: dict) -> None:
    got = computed(figures)
    assert got.keys() == expected.keys()
    for key, row in expected.items():
        assert got[key][:6] == row[:6], key
        if row[6] is None:
            assert got[key][6] is None, key
        else:
            # percentile_cont interpolates first + (second − first) × 0.5, statistics.median
            # (first + second) / 2: the same number up to the last bit.
            assert got[key][6] == pytest.approx(row[6], rel=1e-12, abs=1e-12), key
            assert round(got[key][6], 1) == round(row[6], 1), key


# --- the median -------------------------------------------------------------------------------

# percentile_cont(0.5) as PostgreSQL defines it (the linear interpolation between the two
# middle values), against statistics.median.
MEDIAN_CASES = [
    ([], None),
    ([4.0], 4.0),
    ([1.0, 2.0], 1.5),
    ([3.0, 1.0, 2.0], 2.0),
    ([5.0, 1.0, 4.0, 2.0], 3.0),
    ([0.25, 7.5, 0.25, 9.0, 1.0, 2.0], 1.5),
]


@pytest.mark.parametrize(("values", "median"), MEDIAN_CASES)
def test_percentile_cont_is_the_median(values, median):
    assert percentile_cont(values, 0.5) == median
    if values:
        assert percentile_cont(values, 0.5) == statistics.median(values)


# --- the figures against the reference --------------------------------------------------------


@pytest.fixture
def demo_data():
    call_command("seed_demo", "--seed", "3", "--persons", "40", stdout=StringIO())


# Where a referral ends up, and how often (roughly as the demo and the generator have it).
ROADS = [
    ((ReferralStatus.SENT,), 2),
    ((ReferralStatus.ACCEPTED,), 2),
    ((ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS), 2),
    ((ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED), 6),
    ((ReferralStatus.ACCEPTED, ReferralStatus.NOT_REACHED), 1),
    ((ReferralStatus.ACCEPTED, ReferralStatus.WITHDRAWN), 1),
    ((ReferralStatus.DECLINED,), 2),
    ((ReferralStatus.NO_CAPACITY,), 2),
    ((ReferralStatus.WITHDRAWN,), 1),
]


def make_referrals(count: int, *, seed: int = 7) -> None:
    """``count`` referrals over three years to three organisations (two services each), each
    on a road of the state machine with its status changes, at times to the microsecond."""
    rng = random.Random(seed)
    sender = OrganisationFactory(name="VDAB Brugge", code=f"vdab-brugge-{seed}")
    user = make_user(Role.MEDIATOR, organisation=sender)
    person = make_person(user, first_name="Lotte", last_name="Peeters")
    services = [
        Service.objects.create(organisation=receiver, name=name, life_domains=["housing"])
        for receiver in (
            OrganisationFactory(name=f"OCMW {seed}-{k}", code=f"ocmw-{seed}-{k}", kind="ocmw")
            for k in range(3)
        )
        for name in ("Woonbegeleiding", "Schuldhulp")
    ]
    roads = [road for road, weight in ROADS for _ in range(weight)]
    start = timezone.now() - dt.timedelta(days=3 * 365)
    referrals, roads_of = [], []
    for _ in range(count):
        service = rng.choice(services[: rng.choice((2, 6))])  # some services busier
        road = rng.choice(roads)
        sent_at = start + dt.timedelta(seconds=rng.uniform(0, 3 * 365 * 86400))
        referrals.append(
            Referral(
                organisation=sender,
                receiving_organisation_id=service.organisation_id,
                person=person,
                service=service,
                status=road[-1],
                question="?",
                override_reason="test",
                sent_by=user,
                sent_at=sent_at,
                last_update_at=sent_at,
            )
        )
        roads_of.append(road)
    Referral.objects.bulk_create(referrals)
    changes = []
    for referral, road in zip(Referral.objects.order_by("pk"), roads_of, strict=True):
        at, previous = referral.sent_at, ReferralStatus.SENT
        for status in road[1:] if road[0] == ReferralStatus.SENT else road:
            at += dt.timedelta(seconds=rng.uniform(600, 40 * 86400))
            changes.append(
                ReferralStatusChange(
                    referral=referral, from_status=previous, to_status=status, at=at, by=user
                )
            )
            previous = status
    ReferralStatusChange.objects.bulk_create(changes)


@pytest.fixture
def generated_data():
    make_referrals(400)


def test_the_demo_figures_are_todays_figures(demo_data):
    assert Referral.objects.exists()
    assert_same(
        rsel.referral_figures(date_from=ALL_TIME[0], date_to=ALL_TIME[1]),
        reference_figures(*ALL_TIME),
    )
    today = timezone.localdate()
    period = rsel.default_figure_period(today)
    assert_same(
        rsel.referral_figures(date_from=period[0], date_to=period[1]), reference_figures(*period)
    )


def test_generated_figures_match_the_reference(generated_data):
    assert Referral.objects.filter(status=ReferralStatus.COMPLETED).count() > 100
    for period in (
        ALL_TIME,
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        rsel.default_figure_period(timezone.localdate()),
    ):
        expected = reference_figures(*period)
        assert_same(rsel.referral_figures(date_from=period[0], date_to=period[1]), expected)
    # Medians over even and odd numbers of accepted referrals were both compared.
    accepted = {row[1] % 2 for row in reference_figures(*ALL_TIME).values() if row[1]}
    assert accepted == {0, 1}


# --- the period -------------------------------------------------------------------------------

# The default period: the last twelve months, today included (a rolling year).
PERIOD_CASES = [
    (dt.date(2026, 12, 7), dt.date(2025, 12, 8)),
    (dt.date(2026, 1, 1), dt.date(2025, 1, 2)),
    (dt.date(2026, 12, 31), dt.date(2026, 1, 1)),
    (dt.date(2028, 2, 29), dt.date(2027, 3, 1)),
]


@pytest.mark.parametrize(("today", "start"), PERIOD_CASES)
def test_the_default_period_is_the_last_twelve_months(today, start):
    assert rsel.default_figure_period(today) == (start, today)


def test_the_period_counts_referrals_sent_on_its_first_and_last_day(generated_data):
    sent = sorted(
        timezone.localtime(at).date() for at in Referral.objects.values_list("sent_at", flat=True)
    )
    day = sent[len(sent) // 2]
    on_the_day = sum(1 for d in sent if d == day)
    figures = rsel.referral_figures(date_from=day, date_to=day)
    assert sum(o.total.sent for o in figures) == on_the_day
    before = rsel.referral_figures(date_from=sent[0], date_to=day - dt.timedelta(days=1))
    after = rsel.referral_figures(date_from=day + dt.timedelta(days=1), date_to=sent[-1])
    assert sum(o.total.sent for o in before) + on_the_day + sum(o.total.sent for o in after) == len(
        sent
    )


# --- the page ---------------------------------------------------------------------------------


def _manager_client(client):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    return client


def test_the_page_shows_the_default_period_and_keeps_it_in_the_links(client, generated_data):
    start, end = rsel.default_figure_period(timezone.localdate())
    body = (
        _manager_client(client)
        .get(reverse("network:referral_figures"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert f"Referrals sent from {start:%d/%m/%Y} to {end:%d/%m/%Y}" in body
    assert f"?from={start.isoformat()}&amp;to={end.isoformat()}&amp;format=csv" in body
    assert f'value="{start:%d/%m/%Y}"' in body or f'value="{start.isoformat()}"' in body


def test_the_csv_has_the_period_in_its_name_and_the_pages_figures(client, generated_data):
    url = reverse("network:referral_figures") + "?from=2024-01-01&to=2024-12-31&format=csv"
    response = _manager_client(client).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'filename="referral-figures-20240101-20241231.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    figures = rsel.referral_figures(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert len(lines) == 1 + sum(1 + len(o.services) for o in figures)
    first = lines[1].split(",")
    assert first[0] == figures[0].total.name and first[2] == figures[0].total.sent_shown


def test_an_impossible_period_shows_the_error_and_no_figures(client, generated_data):
    url = reverse("network:referral_figures") + "?from=2025-01-01&to=2024-01-01"
    response = _manager_client(client).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert "referral-figures" not in response.content.decode()


PAGE_QUERIES = 4  # session, user, the user's roles; the figures


def test_the_page_takes_the_same_queries_with_few_and_many_referrals(
    client, django_assert_num_queries
):
    client = _manager_client(client)
    url = reverse("network:referral_figures") + "?from=2000-01-01&to=2035-12-31"
    client.get(url)  # the first request after the login saves the session
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    make_referrals(400)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url + "&format=csv").status_code == 200


# --- the API: the same selector ---------------------------------------------------------------


def test_the_api_gives_the_pages_figures_for_the_same_period(generated_data):
    from tandem.api.scopes import Scope
    from tests.api.helpers import api_client_for, http

    _client, token = api_client_for(
        OrganisationFactory(name="VDAB Hasselt", code="vdab-hasselt-f"),
        role=Role.MEDIATOR,
        scopes=[Scope.AGGREGATES_READ],
    )
    api = http(token)
    body = api.get("/api/v1/aggregates/referrals/?date_from=2024-01-01&date_to=2024-12-31").json()
    assert (body["date_from"], body["date_to"]) == ("2024-01-01", "2024-12-31")
    figures = rsel.referral_figures(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    expected = []
    for o in figures:
        for level, service, row in [("organisation", None, o.total)] + [
            ("service", s.name, s) for s in o.services
        ]:
            hidden = row.sent_shown == "x"
            expected.append(
                {
                    "level": level,
                    "organisation": o.total.name,
                    "service": service,
                    "referrals": None if hidden else row.sent,
                    "median_days_to_acceptance": row.median_days,
                    "completed_share": row.share_completed,
                    "no_capacity_share": row.share_no_capacity,
                    "suppressed": ["referrals"] if hidden else [],
                }
            )
    assert body["rows"] == expected
    assert any(r["median_days_to_acceptance"] is not None for r in body["rows"])
    start, end = rsel.default_figure_period(timezone.localdate())
    body = api.get("/api/v1/aggregates/referrals/").json()
    assert (body["date_from"], body["date_to"]) == (start.isoformat(), end.isoformat())
