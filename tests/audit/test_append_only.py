"""The audit trail is append-only in PostgreSQL itself (migrations audit 0003 and 0004).

Every UPDATE and DELETE of ``audit_auditevent`` and ``audit_accesslog`` is refused, through the
ORM and through raw SQL; retention's pseudonymisation is the one UPDATE that passes, only with
the ``tandem.retention`` flag (set by ``tandem_accesslog_pseudonymise()``), only for exactly
that change, and only for rows older than the cut-off the database computes itself. Every
insert takes the database's clock. SQLite has no triggers: these tests are skipped there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from tandem.access.log import log_person_shown
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.audit.pseudonyms import accesslog_pseudonymise, person_pseudonym, user_pseudonym
from tandem.audit.services import audit_event_record
from tests.factories import backdate_audit_rows, make_person

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


@contextmanager
def accesslog_pseudonymisation() -> Iterator[None]:
    """What any session may do: set the flag retention's function sets."""
    with transaction.atomic():
        _raw("SET LOCAL tandem.retention = 'on'", [])
        yield
        _raw("SET LOCAL tandem.retention = 'off'", [])


ELEVEN_YEARS = dt.timedelta(days=11 * 366)


def _old_row(mediator) -> AccessLog:
    row = _row(mediator)
    backdate_audit_rows(AccessLog, [row.pk], ELEVEN_YEARS)
    row.refresh_from_db()
    return row


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
    row = _old_row(mediator)
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


# --- issue 16: the database's clock and its own cut-off ---------------------------------------


def _db_now() -> dt.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def test_inserts_take_the_database_clock_not_the_one_they_bring(mediator):
    person = make_person(mediator)
    long_ago = timezone.now() - dt.timedelta(days=400)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    row = AccessLog.objects.create(
        at=long_ago,
        user=mediator,
        roles="mediator",
        organisation=mediator.organisation,
        person=person,
        what="person file",
        purpose="case work",
    )
    [bulk] = AccessLog.objects.bulk_create(
        [AccessLog(at=tomorrow, user=mediator, roles="m", person=person, what="x", purpose="y")]
    )
    event = AuditEvent.objects.create(at=long_ago, event_type="person.exported", data={})
    _raw(
        "INSERT INTO audit_auditevent (at, event_type, data) VALUES (%s, 'forged', '{}')",
        [long_ago],
    )
    forged = AuditEvent.objects.get(event_type="forged")
    now = _db_now()
    for stored in (
        AccessLog.objects.get(pk=row.pk).at,
        AccessLog.objects.get(pk=bulk.pk).at,
        AuditEvent.objects.get(pk=event.pk).at,
        forged.at,
    ):
        assert now - dt.timedelta(minutes=1) < stored <= now


def test_a_new_access_log_row_cannot_arrive_pseudonymised(mediator):
    person = make_person(mediator)
    message = _refused(
        lambda: AccessLog.objects.create(
            user=mediator,
            roles="mediator",
            person=person,
            what="person file",
            purpose="case work",
            person_pseudonym="p-" + "0" * 20,
        )
    )
    assert "names the person and the user" in message


def test_the_retention_flag_cannot_rewrite_a_recent_row(mediator):
    row = _row(mediator)  # minutes old: far within the 10 years
    rows = AccessLog.objects.filter(pk=row.pk)

    def flagged() -> None:
        with accesslog_pseudonymisation():
            _pseudonymise(rows, row.person_id, row.user_id)

    assert "within its retention period" in _refused(flagged)
    # Nor through retention's own function, whatever period the application asks for.
    assert accesslog_pseudonymise([row.person_id], years=1, write=True) == (0, set())
    assert AccessLog.objects.filter(pk=row.pk, person_id=row.person_id).exists()


def test_the_cutoff_is_the_databases_own(mediator):
    recent, old = _row(mediator), _old_row(mediator)
    two_years = _row(mediator)
    backdate_audit_rows(AccessLog, [two_years.pk], dt.timedelta(days=2 * 366))
    # The application's settings say 1 year; the database holds the owner's 10.
    counted = accesslog_pseudonymise(
        [recent.person_id, old.person_id, two_years.person_id], years=1, write=False
    )
    assert counted == (1, {old.person_id})
    done = accesslog_pseudonymise(
        [recent.person_id, old.person_id, two_years.person_id], years=1, write=True
    )
    assert done == counted
    assert AccessLog.objects.get(pk=old.pk).person_pseudonym == person_pseudonym(old.person_id)
    still = AccessLog.objects.filter(pk__in=[recent.pk, two_years.pk], person__isnull=False)
    assert still.count() == 2
    # A temporary table cannot stand in for the owner's policy (the functions pin their path).
    _raw("CREATE TEMP TABLE tandem_audit_policy (id bool, access_log_years int)", [])
    _raw("INSERT INTO tandem_audit_policy VALUES (true, 1)", [])
    assert accesslog_pseudonymise([two_years.person_id], years=1, write=True) == (0, set())
