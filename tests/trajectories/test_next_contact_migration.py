"""The data migration of issue 18's agenda (trajectories 0009): each open trajectory's stored
next-contact date becomes a planned contact at 09:00, of the kind of its latest contact (else
an office visit), by its lead mediator; a closed trajectory's date is dropped. Backwards, the
earliest planned contact's date goes back into the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tandem.trajectories import services as tservices
from tandem.trajectories.models import Contact
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("trajectories", "0008_contact_planning")]
AFTER = [("trajectories", "0010_remove_trajectory_next_contact_on")]
TODAY = timezone.localdate()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_next_contact_dates_become_planned_contacts(mediator):
    def start(name):
        return tservices.trajectory_start(
            acting_user=mediator,
            person=make_person(mediator, first_name=name),
            type="w2",
            reason="Aangemeld",
            status="active",
            start_date=TODAY - dt.timedelta(days=60),
        )

    visited, fresh, closed = start("Bezocht"), start("Nieuw"), start("Gesloten")
    plan_services.contact_record(
        acting_user=mediator, trajectory=visited, kind="home_visit", on=TODAY, text="Thuis"
    )
    plan_services.contact_record(
        acting_user=mediator, trajectory=visited, kind="note", on=TODAY, text="Notitie"
    )
    tservices.trajectory_transition(
        acting_user=mediator,
        trajectory=closed,
        to_status="closed",
        closure_reason="moved_away",
        reason="Verhuisd",
    )
    try:
        old = _migrate(BEFORE).get_model("trajectories", "Trajectory")
        day = TODAY + dt.timedelta(days=9)
        old.objects.filter(pk__in=[visited.pk, fresh.pk, closed.pk]).update(next_contact_on=day)
        _migrate(AFTER)
        planned = {c.trajectory_id: c for c in Contact.objects.filter(status="planned")}
        assert set(planned) == {visited.pk, fresh.pk}
        for trajectory, kind in ((visited, "home_visit"), (fresh, "office")):
            c = planned[trajectory.pk]
            assert (c.on, c.at, c.kind, c.author_id) == (day, dt.time(9, 0), kind, mediator.pk)
        # Backwards: the date goes back into the field, the planned contacts go.
        old = _migrate(BEFORE).get_model("trajectories", "Trajectory")
        assert old.objects.get(pk=fresh.pk).next_contact_on == day
        assert not Contact.objects.filter(status="planned").exists()
    finally:
        _migrate(AFTER)
