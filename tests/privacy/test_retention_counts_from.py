"""Retention counts from the last thing that happened with the person (issue 16): the end of
the last trajectory, imported or not, and the last screening; the registration only when there
is none of these. A person imported today with trajectories that ended in 2018 is due now."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.outcomes.models import ImportedTrajectory
from tandem.privacy import retention
from tandem.registry.models import Person
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tests.factories import make_person

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _imported(person: Person, start: dt.date, end: dt.date | None) -> None:
    ImportedTrajectory.objects.create(
        person=person,
        type="w2",
        province="limburg",
        start_date=start,
        end_date=end,
        closure_reason="work_regular" if end else "",
    )


def _due(years: int = 5) -> set[str]:
    return {p.first_name for p in retention.persons_due(years=years, today=TODAY)}


def test_a_person_imported_with_trajectories_that_ended_in_2018_is_due_now(mediator):
    # Registered today (by the import), trajectories that ended in 2017 and 2018.
    old = make_person(mediator, first_name="Oud")
    _imported(old, dt.date(2016, 3, 1), dt.date(2017, 6, 30))
    _imported(old, dt.date(2017, 9, 1), dt.date(2018, 11, 30))
    # Only registered today: kept, the registration counts when there is nothing else.
    make_person(mediator, first_name="Nieuw")
    # An imported trajectory that ended last year: kept.
    recent = make_person(mediator, first_name="Recent")
    _imported(recent, dt.date(2016, 3, 1), dt.date(2018, 1, 31))
    _imported(recent, dt.date(2023, 3, 1), TODAY - dt.timedelta(days=365))
    # An old import, but screened last year: kept.
    screened = make_person(mediator, first_name="Gescreend")
    _imported(screened, dt.date(2016, 3, 1), dt.date(2018, 1, 31))
    screening_conduct(
        acting_user=mediator,
        person=screened,
        checklist=current_checklist(),
        present=[],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=TODAY - dt.timedelta(days=365),
    )
    # An imported trajectory without an end date counts from its start.
    open_old = make_person(mediator, first_name="ZonderEindeOud")
    _imported(open_old, dt.date(2015, 1, 5), None)
    open_new = make_person(mediator, first_name="ZonderEindeNieuw")
    _imported(open_new, TODAY - dt.timedelta(days=400), None)

    assert _due() == {"Oud", "ZonderEindeOud"}


def test_an_old_registration_with_a_recent_imported_trajectory_is_kept(mediator):
    person = make_person(mediator, first_name="Lang")
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.now() - dt.timedelta(days=365 * 12)
    )
    assert _due() == {"Lang"}  # registered long ago, nothing else: due
    _imported(person, dt.date(2020, 1, 6), TODAY - dt.timedelta(days=30))
    assert _due() == set()
