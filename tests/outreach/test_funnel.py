"""The funnel on a hand-built set, and on rows read from the database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.outreach import selectors, services
from tandem.outreach.funnel import FunnelRow, by_quarter, funnel
from tandem.trajectories.services import trajectory_start, trajectory_transition

from .conftest import PERSON

D = dt.date


def _rows():
    school = "School (Gent)"
    resto = "Klavertjevier (Hasselt)"
    return [
        # Met once in 2020.
        FunnelRow("Jes", "Gent", school, (D(2020, 2, 1),)),
        # Engaged in 2020, never registered.
        FunnelRow("Jes", "Gent", school, (D(2020, 2, 1), D(2020, 5, 1))),
        # Engaged, registered, trajectory, work in 2021.
        FunnelRow(
            "Jes",
            "Gent",
            school,
            (D(2020, 3, 1), D(2020, 4, 1), D(2020, 6, 1)),
            converted_on=D(2020, 6, 1),
            trajectory_on=D(2020, 7, 1),
            outcome_on=D(2021, 2, 1),
        ),
        # Registered after one contact; trajectory in 2021.
        FunnelRow(
            "IN-Z",
            "",
            resto,
            (D(2020, 11, 1),),
            converted_on=D(2020, 11, 1),
            trajectory_on=D(2021, 1, 10),
        ),
        # Only met in 2021.
        FunnelRow("IN-Z", "", resto, (D(2021, 3, 1), D(2021, 3, 8))),
    ]


def test_funnel_counts_all_time():
    result = funnel(_rows(), lambda r: r.team)
    assert result.total.as_list() == [5, 3, 2, 2, 1]
    assert result.groups["Jes"].as_list() == [3, 2, 1, 1, 1]
    assert result.groups["IN-Z"].as_list() == [2, 1, 1, 1, 0]


def test_funnel_counts_in_a_period_are_as_of_its_end():
    result = funnel(_rows(), lambda r: r.place, start=D(2020, 1, 1), end=D(2020, 12, 31))
    assert result.total.as_list() == [4, 2, 2, 1, 0]
    assert result.groups["Klavertjevier (Hasselt)"].as_list() == [1, 0, 1, 0, 0]
    only_2021 = funnel(_rows(), lambda r: r.team, start=D(2021, 1, 1), end=D(2021, 12, 31))
    assert only_2021.total.as_list() == [1, 1, 0, 0, 0]


def test_by_quarter():
    quarters = {q.quarter: q for q in by_quarter(_rows())}
    assert quarters["2020 Q1"].counts.as_list() == [3, 0, 0, 0, 0]
    assert quarters["2020 Q2"].counts.as_list() == [0, 2, 1, 0, 0]
    assert quarters["2021 Q1"].counts.as_list() == [1, 1, 0, 1, 1]
    assert quarters["2021 Q1"].outcome_cumulative == 1
    assert list(quarters) == sorted(quarters)


def test_funnel_rows_from_the_database(worker, place, office, mediator):
    today = timezone.localdate()
    first = services.contact_log(
        acting_user=worker, place=place, nickname="A", on=today - dt.timedelta(days=20)
    )
    services.contact_log(
        acting_user=worker, place=place, prospect=first.prospect, on=today - dt.timedelta(days=10)
    )
    services.contact_log(acting_user=worker, place=place, nickname="B")
    data = dict(PERSON, birth_date=dt.date(1990, 3, 4))
    person = services.prospect_convert(
        acting_user=worker,
        prospect=first.prospect,
        person_data=data,
        office=office,
        consent=True,
        evidence="signed_form",
    )
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="outreach", reason="Via outreach", status="active"
    )
    trajectory_transition(
        acting_user=mediator, trajectory=trajectory, to_status="closed", closure_reason="training"
    )
    rows = selectors.funnel_rows_for(worker)
    assert funnel(rows, lambda r: r.place).total.as_list() == [2, 1, 1, 1, 1]
    assert rows[0].place == str(place) or rows[1].place == str(place)
