"""Audit events recorded in bulk (the demo loader): the same events, written in one insert at
the end of the block, and none when the block fails."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, audit_events_in_bulk
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Types no factory writes: the events below are the only ones of these types.
TYPES = [Event.PERSON_EXPORTED, Event.RETENTION_APPLIED]


def test_events_in_bulk_are_the_same_events_in_one_insert():
    user = make_user()
    with CaptureQueriesContext(connection) as queries, audit_events_in_bulk():
        for n in range(30):
            audit_event_record(actor=user, event_type=Event.PERSON_EXPORTED, data={"n": n})
        # Nested blocks collect into the outer one.
        with audit_events_in_bulk():
            audit_event_record(actor=user, event_type=Event.RETENTION_APPLIED)
        assert not AuditEvent.objects.filter(event_type__in=TYPES).exists()
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')]
    assert len(inserts) == 1
    events = list(AuditEvent.objects.filter(event_type__in=TYPES).order_by("pk"))
    assert [e.data.get("n") for e in events] == [*range(30), None]
    assert {(e.actor_id, e.organisation_id) for e in events} == {(user.pk, user.organisation_id)}
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_a_failing_block_writes_no_events_and_later_events_are_written_at_once():
    user = make_user()
    with pytest.raises(RuntimeError), audit_events_in_bulk():
        audit_event_record(actor=user, event_type=Event.PERSON_EXPORTED)
        raise RuntimeError
    assert not AuditEvent.objects.filter(event_type=Event.PERSON_EXPORTED).exists()
    audit_event_record(actor=user, event_type=Event.RETENTION_APPLIED)
    assert AuditEvent.objects.filter(event_type=Event.RETENTION_APPLIED).count() == 1
