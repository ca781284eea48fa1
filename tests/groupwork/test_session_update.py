"""Moving a group session (``session_update``) is audited: who moved which session, from when to
when — never the place's free text, only that it changed (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.groupwork.enrolment import services as enrolment_services

from .conftest import TODAY, plan


@pytest.fixture
def session(module, coach):
    intake = plan(module, TODAY + dt.timedelta(days=14), coach=coach)
    return intake.sessions.get(number=2)


def test_moving_a_session_records_who_moved_it_and_from_when_to_when(session, coach, programme):
    old_day = session.on
    new_day = old_day + dt.timedelta(days=1)
    enrolment_services.session_update(
        acting_user=coach,
        session=session,
        on=new_day,
        starts_at=dt.time(13, 0),
        ends_at=dt.time(15, 30),
        place="Wijkcentrum Kiosk, 2de verdieping",
        coach=coach,
    )
    session.refresh_from_db()
    assert session.on == new_day
    event = AuditEvent.objects.get(event_type=Event.GROUPWORK_SESSION_UPDATED)
    assert event.actor == coach
    assert event.organisation == programme.promoter
    assert event.data["session"] == session.pk
    assert event.data["intake"] == session.intake_id
    assert event.data["number"] == 2
    assert event.data["changed"] == ["ends_at", "on", "place", "starts_at"]
    assert event.data["on"] == {"from": old_day.isoformat(), "to": new_day.isoformat()}
    assert event.data["starts_at"] == {"from": "09:30:00", "to": "13:00:00"}
    # The place is free text: the event keeps that it changed, not what it says.
    assert "Kiosk" not in str(event.data)


def test_a_refused_move_writes_nothing(session, mediator):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        enrolment_services.session_update(
            acting_user=mediator,
            session=session,
            on=session.on,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            place=session.place,
            coach=None,
        )
    assert AuditEvent.objects.count() == before
