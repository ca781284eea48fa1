"""Outflow on a small cohort computed by hand, its breakdowns, the comparison, and the
``outcomes_report`` command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from tandem.accounts.models import Role
from tandem.common.dates import add_months
from tandem.outcomes import comparison
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outcomes.outflow import NOT_DUE, measure_period, outflow_table, publish
from tandem.outcomes.services import refresh_outcomes
from tests.factories import make_person, make_user

D = dt.date
pytestmark = pytest.mark.django_db


EARLY_START = D(2017, 3, 1)


def _trajectory(
    person, end, *, group=False, type="w2", province="oost_vlaanderen", start=EARLY_START
):
    return ImportedTrajectory.objects.create(
        person=person,
        type=type,
        province=province,
        start_date=start,
        end_date=end,
        closure_reason="other" if end else "",
        group_work=group,
    )


def _events(person, *events):
    StatusEvent.objects.bulk_create(
        StatusEvent(person=person, date=day, status=status) for day, status in events
    )


@pytest.fixture
def cohort():
    """Seven trajectories whose statuses at +6, +12 and +24 months are worked out by hand.

    individual  A  ended 31/08/2019: employed from 29/02/2020 (= +6 exactly)  → +6 work
                B  ended 31/08/2019: employed from 01/03/2020 (a day after +6) → +6 unemployed
                F  ended a month ago: too recent at every N
    group       C  ended 31/01/2019: training from 01/06/2019 → out, not in work
                D  ended 31/01/2019: no events at all → unknown
                E  ended 15/05/2019: self-employed 2020, unemployed again from 01/03/2021
    outside     G  ended in 2017 (before the period)
    """
    user = make_user(Role.MEDIATOR)
    people = {name: make_person(user, first_name=name) for name in "ABCDEFG"}
    _trajectory(people["A"], D(2019, 8, 31))
    _events(people["A"], (D(2019, 6, 1), "unemployed"), (D(2020, 2, 29), "employed"))
    _trajectory(people["B"], D(2019, 8, 31))
    _events(people["B"], (D(2019, 6, 1), "unemployed"), (D(2020, 3, 1), "employed"))
    _trajectory(people["F"], add_months(timezone.localdate(), -1), type="youth")
    _events(people["F"], (D(2019, 1, 1), "leefloon"))
    _trajectory(people["C"], D(2019, 1, 31), group=True, province="limburg", start=D(2018, 3, 15))
    _events(people["C"], (D(2018, 1, 1), "leefloon"), (D(2019, 6, 1), "training"))
    _trajectory(people["D"], D(2019, 1, 31), group=True, province="limburg")
    _trajectory(people["E"], D(2019, 5, 15), group=True)
    _events(
        people["E"],
        (D(2019, 1, 1), "jobseeker_no_benefit"),
        (D(2020, 1, 1), "self_employed"),
        (D(2021, 3, 1), "unemployed"),
    )
    _trajectory(people["G"], D(2017, 12, 31))
    _events(people["G"], (D(2018, 1, 1), "employed"))
    refresh_outcomes()  # written past the services: the outcome table follows by hand
    return people


def _counts(row):
    c = row.count
    return (c.ended, c.measured, c.unknown, c.out, c.work, c.too_recent)


def test_outflow_by_group_work_at_24_and_6_months(cohort):
    measurements = measure_period(timezone.localdate(), ended_from=D(2018, 1, 1))
    assert len(measurements) == 6  # G ended before the period

    at24 = outflow_table(measurements, 24, by=("group_work",))
    rows = {row.values: row for row in at24.rows}
    # (ended and due, measured, unknown, out of unemployment, into work, too recent)
    assert _counts(rows[("group",)]) == (3, 2, 1, 1, 0, 0)  # C training, D ?, E unemployed
    assert _counts(rows[("individual",)]) == (2, 2, 0, 2, 2, 1)  # A, B employed; F too recent
    assert _counts(at24.total) == (5, 4, 1, 3, 2, 1)

    at6 = outflow_table(measurements, 6, by=("group_work",))
    rows = {row.values: row for row in at6.rows}
    assert _counts(rows[("individual",)]) == (2, 2, 0, 1, 1, 1)  # B still unemployed at +6
    assert _counts(rows[("group",)]) == (3, 2, 1, 1, 0, 0)  # E job seeker at +6

    at12 = outflow_table(measurements, 12, by=("group_work",))
    group = {row.values: row for row in at12.rows}[("group",)]
    assert _counts(group) == (3, 2, 1, 2, 1, 0)  # E self-employed at +12


def test_statuses_of_the_measurements(cohort):
    measurements = {m.row.person_id: m for m in measure_period(timezone.localdate())}
    a = measurements[cohort["A"].pk]
    assert a.at == {6: "employed", 12: "employed", 24: "employed"}
    assert measurements[cohort["D"].pk].at == {6: None, 12: None, 24: None}
    assert measurements[cohort["F"].pk].at == {6: NOT_DUE, 12: NOT_DUE, 24: NOT_DUE}
    assert measurements[cohort["C"].pk].months_unemployed == 2  # leefloon since 1/1/2018
    assert measurements[cohort["A"].pk].months_unemployed is None  # nothing known in 2017


def test_breakdowns_by_province_and_end_year_and_type(cohort):
    measurements = measure_period(timezone.localdate(), ended_from=D(2018, 1, 1))
    table = outflow_table(measurements, 24, by=("province", "end_year"))
    keys = [row.values for row in table.rows]
    assert keys == sorted(keys)
    assert ("limburg", "2019") in keys
    limburg = {row.values: row for row in table.rows}[("limburg", "2019")]
    assert limburg.labels == ("Limburg", "2019")
    assert _counts(limburg) == (2, 1, 1, 1, 0, 0)
    by_type = {row.values: row for row in outflow_table(measurements, 24, ("type",)).rows}
    assert by_type[("youth",)].count.too_recent == 1
    with pytest.raises(ValueError, match="colour"):
        outflow_table(measurements, 24, ("colour",))


def test_province_filter_limits_the_cohort(cohort):
    measurements = measure_period(timezone.localdate(), province="limburg")
    assert {m.row.person_id for m in measurements} == {cohort["C"].pk, cohort["D"].pk}


def test_tandem_trajectories_count_too(cohort):
    """A closed Tandem trajectory joins the cohort alongside the imported ones."""
    from tandem.trajectories.models import Trajectory

    person = cohort["G"]
    Trajectory.objects.create(
        organisation=person.organisation,
        person=person,
        type="w2",
        status="closed",
        start_date=D(2018, 1, 1),
        end_date=D(2018, 6, 30),
        closure_reason="work_regular",
        lead_mediator=make_user(Role.MEDIATOR),
        start_reason="test",
    )
    measurements = measure_period(timezone.localdate(), ended_from=D(2018, 1, 1))
    own = [m for m in measurements if m.row.key.startswith("t")]
    assert len(own) == 1
    assert own[0].at[24] == "employed"


def test_published_table_hides_small_counts_and_their_shares(cohort):
    measurements = measure_period(timezone.localdate(), ended_from=D(2018, 1, 1))
    table = outflow_table(measurements, 24, by=("group_work",))
    published = publish(table, limit=5)
    # Every count here is 1-4 (or derived from them): all hidden, and so are the shares.
    for row in published:
        assert row.share("out") is None
        assert row.interval("out") is None
    assert published[-1].value("ended") == 5  # 5 is not small
    assert "measured" in published[-1].hidden  # 4
    unprotected = publish(table, limit=1)
    assert unprotected[-1].share("out") == pytest.approx(3 / 4)
    assert unprotected[-1].interval("out") is not None


def test_comparison_reports_raw_and_adjusted_differences(cohort):
    measurements = measure_period(timezone.localdate(), ended_from=D(2018, 1, 1))
    result = comparison.compare(measurements, 24, traits=("age_band",))
    assert result is not None
    out = result.differences[0]
    assert out.group_share == pytest.approx(1 / 2)
    assert out.individual_share == pytest.approx(1.0)
    # Everyone has the same age band, so reweighting changes nothing.
    assert out.adjusted == pytest.approx(out.raw) == pytest.approx(-0.5)
    # In English whatever language an earlier test left active (the suite runs in Dutch).
    with translation.override("en"):
        sentence = comparison.explain(result)
    assert "−50.0" in sentence
    assert "does not prove" in sentence


def test_raking_matches_the_target_mix():
    reference = (
        [{"a": "x", "b": "p"}] * 4
        + [{"a": "x", "b": "q"}] * 2
        + [{"a": "y", "b": "p"}] * 2
        + [{"a": "y", "b": "q"}] * 2
    )
    target = [{"a": "x", "b": "p"}] * 1 + [{"a": "y", "b": "q"}] * 3
    weights = comparison.rake(reference, target, ("a", "b"))
    total = sum(weights)
    share_y = sum(w for w, item in zip(weights, reference, strict=True) if item["a"] == "y") / total
    share_q = sum(w for w, item in zip(weights, reference, strict=True) if item["b"] == "q") / total
    assert share_y == pytest.approx(0.75, abs=1e-6)
    assert share_q == pytest.approx(0.75, abs=1e-6)


def test_adjustment_removes_a_difference_that_comes_from_the_mix():
    """Individual-only: low-educated 20 % out, others 80 %; group (all low-educated) 20 %.
    Raw difference −48 points (the group is all low-educated); adjusted: 0."""
    from tandem.outcomes.cohort import CohortRow
    from tandem.outcomes.outflow import Measurement

    def m(education, group, status):
        row = CohortRow(
            "x", 1, "w2", D(2018, 1, 1), D(2019, 1, 1), group, "limburg", "", "F",
            D(1980, 1, 1), education, "unemployment", None,
        )  # fmt: skip
        return Measurement(row, {24: status}, 12)

    individual = (
        [m("isced_0_2", False, "employed")] * 2
        + [m("isced_0_2", False, "unemployed")] * 8
        + [m("isced_3_4", False, "employed")] * 32
        + [m("isced_3_4", False, "unemployed")] * 8
    )
    group = [m("isced_0_2", True, "employed")] * 4 + [m("isced_0_2", True, "unemployed")] * 16
    result = comparison.compare(individual + group, 24)
    out = result.differences[0]
    assert out.raw == pytest.approx(0.2 - 34 / 50)
    assert out.adjusted == pytest.approx(0.0, abs=1e-9)


def test_outcomes_report_json(cohort):
    stdout = io.StringIO()
    call_command(
        "outcomes_report", "--months", "24", "--by", "group_work", "--ended-from",
        "01/01/2018", "--format", "json", "--threshold", "1", stdout=stdout,
    )  # fmt: skip
    document = json.loads(stdout.getvalue())
    rows = {row["group_work"]: row for row in document["rows"]}
    group = rows["group"]
    assert (
        group["ended"], group["measured"], group["unknown"],
        group["out_of_unemployment"], group["into_work"],
    ) == (3, 2, 1, 1, 0)  # fmt: skip
    assert group["out_of_unemployment_share"] == 0.5
    assert group["into_work_share"] == 0.0
    assert 0 < group["out_of_unemployment_ci_low"] < 0.5 < group["out_of_unemployment_ci_high"]
    assert document["total"]["ended"] == 5
    assert document["ended_from"] == "2018-01-01"


def test_outcomes_report_csv_suppresses_by_default(cohort):
    stdout = io.StringIO()
    call_command("outcomes_report", "--by", "province", "--format", "csv", stdout=stdout)
    rows = list(csv.DictReader(io.StringIO(stdout.getvalue())))
    assert rows[-1]["province"] == "total"
    limburg = next(row for row in rows if row["province"] == "limburg")
    assert limburg["ended"] == "x"
    assert limburg["out_of_unemployment_share"] == ""
    assert "Peeters" not in stdout.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "colour"], "unknown breakdown colour"),
        (["--ended-from", "2019-02-30"], "not a date"),
        (["--ended-from", "2020-01-01", "--ended-to", "2019-01-01"], "before"),
        (["--threshold", "0"], "threshold"),
    ],
)
def test_outcomes_report_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("outcomes_report", *args, stdout=io.StringIO())


FORMULAS = {
    "equals": '=HYPERLINK("x")',  # a province holds up to 20 characters
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd",
    "at": "@SUM(1+1)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}


@pytest.mark.parametrize("start", list(FORMULAS))
def test_outcomes_report_csv_neutralises_a_cell_that_starts_like_a_formula(cohort, start):
    """``outcomes_report --format csv`` wrote ``=HYPERLINK(...)`` cells unchanged (issue 16)."""
    person = make_person(make_user(Role.MEDIATOR), last_name="Formule", insz=None)
    _trajectory(person, D(2019, 8, 31), province=FORMULAS[start])
    refresh_outcomes([person.pk])
    stdout = io.StringIO()
    call_command(
        "outcomes_report",
        "--by",
        "province",
        "--format",
        "csv",
        "--threshold",
        "1",
        stdout=stdout,
    )
    rows = list(csv.DictReader(io.StringIO(stdout.getvalue(), newline="")))
    assert "'" + FORMULAS[start] in [row["province"] for row in rows]
    assert FORMULAS[start] not in [row["province"] for row in rows]
