"""The demo's outcome data reproduces the sources' shape (source 004, DOMAIN.md §7): W² starts
574 in 2018 and 576 in 2019, 474 group starts in 2018 and none in 2019, Limburg's wrong
registrations (106 then 1); at +24 months 55 %/34 % out of unemployment/into work for
individual-only participants against 45 %/28 % with group work; a raw comparison that the
adjustment shrinks; and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from tandem.accounts.models import Organisation, Role
from tandem.common.models import Province
from tandem.demo.organisations import seed_organisations
from tandem.demo.outcomes import seed_outcomes
from tandem.outcomes import rules
from tandem.outcomes.comparison import compare
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outcomes.outflow import measure_period, outflow_table
from tandem.outcomes.selectors import group_start_counts, start_counts
from tandem.registry import insz as insz_rules
from tandem.registry.models import Benefit, EducationLevel, Person
from tandem.trajectories.services import trajectory_start
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def organisations() -> dict[str, Organisation]:
    return seed_organisations()


def _w2_starts() -> tuple[Counter[int], Counter[int], Counter[int]]:
    starts: Counter[int] = Counter()
    group: Counter[int] = Counter()
    limburg: Counter[int] = Counter()
    for key, n in start_counts().items():
        if key.type != "w2":
            continue
        starts[key.year] += n
        limburg[key.year] += n if key.province == Province.LIMBURG else 0
    group.update(group_start_counts())
    return starts, group, limburg


def _snapshot() -> tuple[list, list, list]:
    return (
        sorted(
            ImportedTrajectory.objects.values_list(
                "person__insz",
                "province",
                "organisation__code",
                "start_date",
                "end_date",
                "closure_reason",
                "group_work",
            )
        ),
        sorted(StatusEvent.objects.values_list("person__insz", "date", "status", "source")),
        sorted(
            Person.objects.values_list(
                "insz", "first_name", "last_name", "birth_date", "education", "benefit"
            )
        ),
    )


def test_the_demo_reproduces_the_sources_and_a_second_run_changes_nothing(organisations):
    first = seed_outcomes(random.Random(11), today=TODAY)

    starts, group, limburg = _w2_starts()
    assert (starts[2018], starts[2019]) == (574, 576)
    assert (group[2018], group[2019]) == (474, 0)
    assert (limburg[2018], limburg[2019]) == (106, 1)
    assert first.trajectories_created == first.persons_created == 574 + 576
    # Every row ran at a VDAB office of its province, and every INSZ is a valid one.
    for trajectory in ImportedTrajectory.objects.select_related("organisation", "person"):
        assert trajectory.organisation.province == trajectory.province
        assert trajectory.organisation.code.startswith("vdab-")
        assert insz_rules.is_valid(trajectory.person.insz)
        assert trajectory.end_date is None or trajectory.closure_reason
    assert 0 < ImportedTrajectory.objects.filter(end_date__isnull=True).count() <= 15
    # The enrichment: group participants start weaker.
    profile = {
        flag: Counter(
            Person.objects.filter(imported_trajectories__group_work=flag).values_list(
                "education", "benefit"
            )
        )
        for flag in (False, True)
    }
    for flag in (False, True):
        assert not any(benefit == Benefit.UNKNOWN for _, benefit in profile[flag])

    def share(flag: bool, test) -> float:
        return sum(n for key, n in profile[flag].items() if test(key)) / profile[flag].total()

    low = lambda key: key[0] == EducationLevel.ISCED_0_2  # noqa: E731
    leefloon = lambda key: key[1] == Benefit.LEEFLOON  # noqa: E731
    assert share(True, low) > share(False, low) + 0.1
    assert share(True, leefloon) > share(False, leefloon) + 0.1

    measurements = measure_period(TODAY)
    table = outflow_table(measurements, 24, by=("group_work",))
    by_group = {row.values[0]: row.count for row in table.rows}
    for name, out, work in (("individual", 0.55, 0.34), ("group", 0.45, 0.28)):
        count = by_group[name]
        assert count.too_recent == 0
        assert abs(count.out / count.measured - out) <= 0.02
        assert abs(count.work / count.measured - work) <= 0.02
        assert 0.03 <= count.unknown / count.ended <= 0.05
    # The curve rises: fewer out of unemployment at +6 and +12 months than at +24.
    shares = []
    for months in rules.MEASURE_MONTHS:
        total = outflow_table(measurements, months).total.count
        shares.append(total.out / total.measured)
    assert shares[0] < shares[1] < shares[2]
    # Group participants had longer unemployment before the start.
    spells = {flag: [] for flag in (False, True)}
    for m in measurements:
        if m.months_unemployed is not None:
            spells[m.row.group_work].append(m.months_unemployed)
    assert sum(spells[True]) / len(spells[True]) > sum(spells[False]) / len(spells[False]) + 3

    comparison = compare(measurements, 24)
    assert comparison is not None
    out = comparison.differences[0]
    assert out.raw == pytest.approx(-0.10, abs=0.02)
    assert abs(out.adjusted) < abs(out.raw) - 0.03

    before = _snapshot()
    second = seed_outcomes(random.Random(11), today=TODAY)
    assert (second.trajectories_created, second.persons_created, second.events_created) == (
        0,
        0,
        0,
    )
    assert second.trajectories == first.trajectories
    assert second.events == first.events
    assert _snapshot() == before


def test_the_import_tops_up_tandems_own_starts(organisations):
    mediator = make_user(Role.MEDIATOR, organisation=organisations["vdab-hasselt"])
    person = make_person(mediator, province=Province.LIMBURG, birth_date=dt.date(1980, 3, 3))
    trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        start_date=dt.date(2018, 4, 9),
        reason="Test: a trajectory Tandem itself holds",
    )

    seed_outcomes(random.Random(3), today=TODAY)

    starts, group, limburg = _w2_starts()
    assert (starts[2018], starts[2019]) == (574, 576)
    assert (group[2018], group[2019]) == (474, 0)
    assert (limburg[2018], limburg[2019]) == (106, 1)
    assert ImportedTrajectory.objects.filter(start_date__year=2018).count() == 573
    # The legacy persons never take a national number already in the registry.
    assert Person.objects.filter(insz=person.insz).count() == 1
