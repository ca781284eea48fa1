"""The outcome table (issue 20): its rows agree with the per-trajectory computation
(``outflow.measure_period``) on the demo's outcome data for every breakdown and every +N, on
several days; the status import, the trajectory import and closing a trajectory keep it
current; a full rebuild and per-person refreshes give the same table."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command

from tandem.accounts.models import Role
from tandem.demo.organisations import seed_organisations
from tandem.demo.outcomes import seed_outcomes
from tandem.outcomes import figures, rules
from tandem.outcomes.comparison import compare
from tandem.outcomes.importing import import_status
from tandem.outcomes.models import ImportedTrajectory, TrajectoryOutcome
from tandem.outcomes.outflow import DIMENSIONS, measure_period, outflow_table
from tandem.outcomes.services import refresh_outcomes
from tandem.trajectories.services import trajectory_start, trajectory_transition
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _counts(table):
    return [(row.values, row.labels, vars(row.count)) for row in [*table.rows, table.total]]


@pytest.fixture
def demo():
    seed_organisations()
    seed_outcomes(random.Random(11), today=TODAY)


def test_the_table_agrees_with_the_per_trajectory_computation_on_the_demo_data(demo):
    # Some +N days lie ahead on the earlier days: "too recent" is decided at query time.
    for today in (TODAY, dt.date(2020, 7, 1), dt.date(2021, 3, 15)):
        measurements = measure_period(today)
        assert TrajectoryOutcome.objects.count() == len(measurements) > 1000
        for months in rules.MEASURE_MONTHS:
            for by in [(), *((d,) for d in DIMENSIONS), ("type", "province")]:
                expected = outflow_table(measurements, months, by)
                found = figures.outflow_counts(today=today, months=months, by=by)
                assert _counts(found) == _counts(expected), (today, months, by)
            old = compare(measurements, months)
            new = figures.comparison(figures.outcomes(), months, today=today)
            assert (old is None) == (new is None)
            if old is None or new is None:
                continue
            assert (new.group_measured, new.individual_measured) == (
                old.group_measured,
                old.individual_measured,
            )
            assert new.effective_individual == pytest.approx(old.effective_individual)
            for a, b in zip(old.differences, new.differences, strict=True):
                assert b.group_share == pytest.approx(a.group_share)
                assert b.individual_share == pytest.approx(a.individual_share)
                assert b.individual_adjusted == pytest.approx(a.individual_adjusted)
    # A filtered period and province too.
    period = {"ended_from": dt.date(2019, 1, 1), "ended_to": dt.date(2019, 12, 31)}
    for province in ("", "limburg"):
        expected = outflow_table(measure_period(TODAY, **period, province=province), 24, ("type",))
        found = figures.outflow_counts(
            today=TODAY, months=24, by=("type",), province=province, **period
        )
        assert _counts(found) == _counts(expected)


def test_a_full_rebuild_and_per_person_refreshes_agree(demo):
    columns = [f.attname for f in TrajectoryOutcome._meta.concrete_fields if f.name != "id"]
    before = sorted(TrajectoryOutcome.objects.values_list(*columns))
    refresh_outcomes()
    assert sorted(TrajectoryOutcome.objects.values_list(*columns)) == before
    persons = list(ImportedTrajectory.objects.values_list("person_id", flat=True)[:50])
    refresh_outcomes(persons)
    assert sorted(TrajectoryOutcome.objects.values_list(*columns)) == before
    stdout = io.StringIO()
    call_command("refresh_outcomes", stdout=stdout)
    assert f"{len(before)} ended trajectories measured" in stdout.getvalue()


def _ended(person, end):
    ImportedTrajectory.objects.create(
        person=person,
        type="w2",
        province="limburg",
        start_date=end - dt.timedelta(days=300),
        end_date=end,
        group_work=False,
    )


def test_a_status_import_changes_the_figure():
    mediator = make_user(Role.MEDIATOR)
    person = make_person(mediator, with_insz=True)
    _ended(person, dt.date(2019, 1, 31))
    refresh_outcomes([person.pk])
    today = dt.date(2026, 1, 1)
    before = figures.outflow_counts(today=today, months=24).total.count
    assert (before.ended, before.unknown, before.work) == (1, 1, 0)
    import_status(io.StringIO(f"insz,date,status\n{person.insz},2020-06-01,employed\n"))
    after = figures.outflow_counts(today=today, months=24).total.count
    assert (after.ended, after.unknown, after.out, after.work) == (1, 0, 1, 1)
    row = TrajectoryOutcome.objects.get()
    assert (row.status_6, row.status_12, row.status_24) == (None, None, "employed")


def test_closing_a_trajectory_adds_its_row_and_editing_the_person_follows():
    mediator = make_user(Role.MEDIATOR)
    person = make_person(mediator, gender="F")
    trajectory = trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="test",
        status="active",
        start_date=dt.date(2020, 3, 2),
    )
    assert not TrajectoryOutcome.objects.exists()
    trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status="closed",
        on=dt.date(2021, 2, 1),
        closure_reason="work_regular",
    )
    row = TrajectoryOutcome.objects.get()
    assert (row.trajectory_id, row.imported_id, row.end_date) == (
        trajectory.pk,
        None,
        dt.date(2021, 2, 1),
    )
    assert (row.day_6, row.day_24) == (dt.date(2021, 8, 1), dt.date(2023, 2, 1))
    assert row.status_24 is None and row.gender == "F"
    person.gender = "M"
    person.save()
    assert TrajectoryOutcome.objects.get().gender == "M"
