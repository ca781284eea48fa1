"""The calls and projects of DOMAIN.md §8, seeded with the exact figures of the sources."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tandem.demo import data as demo_data
from tandem.demo.organisations import seed_organisations
from tandem.demo.programmes import seed_calls_and_projects
from tandem.programmes.models import Call, CallTarget, Project, ProjectTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    orgs = seed_organisations()
    seed_calls_and_projects(orgs)
    return orgs


def _counts():
    return (
        Call.objects.count(),
        Project.objects.count(),
        CallTarget.objects.count(),
        ProjectTarget.objects.count(),
        sorted(Project.objects.values_list("code", "budget", "esf_amount", "call__code")),
    )


def test_every_call_is_there(seeded):
    assert set(Call.objects.values_list("code", flat=True)) == {
        "esf-478",
        "esf-outreach-activering",
        "esf-wij3",
        "esf-armoede-2016",
        "lokale-partnerschappen-2024-2027",
    }


def test_call_478_stated_total_and_rows_differ_by_one_euro(seeded):
    call = Call.objects.get(number="478")
    assert call.operational_programme == "OP ESF Vlaanderen 2014–2020"
    assert call.priority == "3" and call.investment_priority.startswith("9i")
    assert (call.start_date, call.end_date) == (dt.date(2020, 8, 1), dt.date(2022, 12, 31))
    assert call.total_budget == D("2479628")
    budgets = dict(call.projects.values_list("code", "budget"))
    assert budgets == {
        "esf478-wvl": D("498143"),
        "esf478-ovl": D("499467"),
        "esf478-lim": D("499773"),
        "esf478-vbr": D("500000"),
        "esf478-ant": D("482244"),
    }
    # The source's rows sum to 2,479,627; its TOTAAL line says 2,479,628.
    assert call.projects_total == D("2479627")
    assert call.projects_difference == D("-1")
    assert call.esf_share_percent is None  # the sources state no split
    target = call.targets.get()
    assert (target.kind, target.bound, target.value) == ("participants", "more_than", 700)
    assert target.due_date == dt.date(2022, 12, 31)


def test_wij3_is_forty_percent_esf_and_sixty_percent_flemish(seeded):
    call = Call.objects.get(code="esf-wij3")
    assert call.total_budget == D("12000000")
    assert (call.esf_share_percent, call.cofinancing_percent) == (D("40"), D("60"))
    assert call.split == (D("4800000"), D("7200000"))
    assert sum(call.split) == D("12000000")
    assert (call.start_date, call.end_date) == (dt.date(2017, 10, 1), dt.date(2021, 6, 30))
    assert call.planned_projects == 14
    target = call.targets.get()
    assert (target.bound, target.value, target.kind) == ("more_than", 4000, "participants")


def test_poverty_call_2016_is_one_million_esf_and_one_and_a_half_cofinancing(seeded):
    call = Call.objects.get(code="esf-armoede-2016")
    assert call.total_budget == D("2500000")
    assert call.split == (D("1000000"), D("1500000"))
    assert (call.start_date, call.end_date) == (dt.date(2016, 7, 1), dt.date(2018, 8, 31))
    assert "zeer lage werkintensiteit" in call.target_group


def test_outreach_call_and_the_ghent_mobiel_arbeidsteam(seeded):
    call = Call.objects.get(code="esf-outreach-activering")
    assert call.total_budget == D("30000000")
    assert (call.start_date, call.end_date) == (dt.date(2019, 10, 1), dt.date(2021, 12, 31))
    assert call.planned_projects == 74
    assert call.targets.get().value == 10_000
    ghent = Project.objects.get(code="gent-mobiel-arbeidsteam")
    assert ghent.call == call
    assert ghent.budget == D("4700000")
    assert ghent.partners.count() == 9
    target = ghent.targets.get()
    assert (target.kind, target.bound, target.value) == ("into_work_or_training", "more_than", 900)
    assert target.due_date == dt.date(2022, 12, 31)


def test_local_partnerships_2024_2027(seeded):
    call = Call.objects.get(code="lokale-partnerschappen-2024-2027")
    assert call.total_budget == D("9900000")
    assert (call.start_date, call.end_date) == (dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    assert sorted(call.targets.values_list("kind", "bound", "value")) == [
        ("into_work", "at_least", 2400),
        ("into_work", "at_least", 4000),
    ]


def test_every_demo_project_is_seeded_with_its_call(seeded):
    assert set(Project.objects.values_list("code", flat=True)) == {
        p.code for p in demo_data.projects()
    }
    assert not Project.objects.filter(call__isnull=True).exists()


def test_the_seed_is_idempotent(seeded):
    before = _counts()
    seed_calls_and_projects(seeded)
    assert _counts() == before
