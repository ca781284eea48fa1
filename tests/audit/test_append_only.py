"""The audit trail is append-only in PostgreSQL itself (migration audit 0003).

Every UPDATE and DELETE of ``audit_auditevent`` and ``audit_accesslog`` is refused, through the
ORM and through raw SQL; retention's pseudonymisation is the one UPDATE that passes, and only
inside ``accesslog_pseudonymisation()``, for exactly that change. SQLite has no triggers: these
tests are skipped there.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from tandem.access.log import log_person_shown
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.audit.pseudonyms import accesslog_pseudonymisation, person_pseudonym, user_pseudonym
from tandem.audit.services import audit_event_record
from tests.factories import make_person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's"
    ),
]


def _row(mediator) -> AccessLog:
    person = make_person(mediator)
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = mediator
    return log_person_shown(request, person, what="person file")


def _refused(run) -> str:
    """Run a statement in its own savepoint; return the database's message."""
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        run()
    return str(info.value)


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_access_log_update_and_delete_are_refused_through_the_orm(mediator):
    row = _row(mediator)
    rows = AccessLog.objects.filter(pk=row.pk)
    assert "append-only" in _refused(lambda: rows.update(purpose="something else"))
    assert "append-only" in _refused(lambda: rows.delete())
    row.what = "nothing"
    assert "append-only" in _refused(lambda: row.save())
    assert "append-only" in _refused(lambda: AccessLog.objects.all().delete())
    row.refresh_from_db()
    assert (row.what, row.purpose) == ("person file", "case work")


def test_access_log_update_and_delete_are_refused_in_raw_sql(mediator):
    row = _row(mediator)
    message = _refused(
        lambda: _raw("UPDATE audit_accesslog SET ip_address = NULL WHERE id = %s", [row.pk])
    )
    assert "append-only" in message
    assert "append-only" in _refused(
        lambda: _raw("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    )
    assert AccessLog.objects.filter(pk=row.pk, ip_address="10.1.2.3").exists()


def test_audit_events_are_refused_even_with_the_retention_flag(mediator):
    event = audit_event_record(actor=mediator, event_type=Event.PERSON_EXPORTED, data={"a": 1})
    events = AuditEvent.objects.filter(pk=event.pk)
    assert "append-only" in _refused(lambda: events.update(event_type="forged"))
    assert "append-only" in _refused(lambda: events.delete())
    assert "append-only" in _refused(
        lambda: _raw("UPDATE audit_auditevent SET data = '{}' WHERE id = %s", [event.pk])
    )
    assert "append-only" in _refused(
        lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    )

    def flagged() -> None:
        with accesslog_pseudonymisation():
            events.update(event_type="forged")

    assert "append-only" in _refused(flagged)
    assert AuditEvent.objects.get(pk=event.pk).event_type == "person.exported"


def _pseudonymise(rows, person_id: int, user_id: int) -> int:
    return rows.update(
        person=None,
        user=None,
        ip_address=None,
        person_pseudonym=person_pseudonym(person_id),
        user_pseudonym=user_pseudonym(user_id),
    )


def test_retention_path_pseudonymises_and_nothing_else(mediator):
    row = _row(mediator)
    rows = AccessLog.objects.filter(pk=row.pk)
    # Without the flag, the same change is refused.
    assert "append-only" in _refused(lambda: _pseudonymise(rows, row.person_id, row.user_id))

    def with_flag(change) -> None:
        with accesslog_pseudonymisation():
            change()

    # With the flag: no other column may change, and links may not be kept or invented.
    assert "retention may only" in _refused(
        lambda: with_flag(lambda: rows.update(purpose="forged"))
    )
    assert "retention may only" in _refused(
        lambda: with_flag(lambda: rows.update(person=None, person_pseudonym="p-" + "0" * 20))
    )
    assert "retention may only" in _refused(
        lambda: with_flag(
            lambda: rows.update(
                person=None,
                user=None,
                ip_address=None,
                person_pseudonym="Sara Peeters",
                user_pseudonym=user_pseudonym(row.user_id),
            )
        )
    )
    assert AccessLog.objects.filter(pk=row.pk, person_id=row.person_id).exists()

    with_flag(lambda: _pseudonymise(rows, row.person_id, row.user_id))
    done = AccessLog.objects.get(pk=row.pk)
    assert done.person_id is None and done.user_id is None and done.ip_address is None
    assert (done.what, done.purpose, done.at) == (row.what, row.purpose, row.at)

    # The flag is off again after the block, and a pseudonymised row never changes again.
    assert "append-only" in _refused(lambda: rows.update(what="x"))
    assert "retention may only" in _refused(
        lambda: with_flag(lambda: _pseudonymise(rows, row.person_id, row.user_id))
    )


def test_delete_is_refused_even_with_the_retention_flag(mediator):
    row = _row(mediator)

    def flagged() -> None:
        with accesslog_pseudonymisation():
            AccessLog.objects.filter(pk=row.pk).delete()

    assert "DELETE refused" in _refused(flagged)
