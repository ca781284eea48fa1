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
    # Source 002 (10 October 2019): "tegen 2022"; source 004 §b: the call's projects "lopen van
    # 1 oktober 2019 tot en met 31 december 2021".
    assert target.due_date == dt.date(2021, 12, 31)
    assert (ghent.start_date, ghent.end_date) == (dt.date(2019, 10, 1), dt.date(2021, 12, 31))


# Every project lies within its call's period, and every target is due within its holder's.
PERIOD_CASES = [
    (
        "source 004 §b, 002: the Mobiel Arbeidsteam within the outreach call",
        "gent-mobiel-arbeidsteam",
    ),
    ("source 000: call 478's projects, 1 August 2020 to the end of 2022", "esf478-lim"),
]


@pytest.mark.parametrize("case, code", PERIOD_CASES, ids=[c for c, _code in PERIOD_CASES])
def test_a_project_lies_within_its_call(seeded, case, code):
    project = Project.objects.select_related("call").get(code=code)
    call = project.call
    assert call.start_date <= project.start_date <= project.end_date <= call.end_date, case
    for target in project.targets.all():
        assert project.start_date <= target.due_date <= project.end_date, case


def test_every_target_is_due_within_its_call(seeded):
    for target in CallTarget.objects.select_related("call"):
        assert target.due_date is not None, target.call.code
        assert target.call.start_date <= target.due_date <= target.call.end_date, target.call.code


def test_local_partnerships_2024_2027(seeded):
    """Source 001: 9.9 M EUR for "tussen 2024 en 2027 minstens 4.000 mensen" into work, on top
    ("daarbovenop") of the minister's 2,400 "dit en volgend jaar" through intensive
    trajectories like IN-Z's, which the source does not attach to this call."""
    call = Call.objects.get(code="lokale-partnerschappen-2024-2027")
    assert call.total_budget == D("9900000")
    assert (call.start_date, call.end_date) == (dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    assert list(call.targets.values_list("kind", "bound", "value", "due_date")) == [
        ("into_work", "at_least", 4000, dt.date(2027, 12, 31)),
    ]
    assert "2.400" in call.description and "dit en volgend jaar" in call.description


def test_every_demo_project_is_seeded_with_its_call(seeded):
    assert set(Project.objects.values_list("code", flat=True)) == {
        p.code for p in demo_data.projects()
    }
    assert not Project.objects.filter(call__isnull=True).exists()


def test_the_seed_is_idempotent(seeded):
    before = _counts()
    seed_calls_and_projects(seeded)
    assert _counts() == before
