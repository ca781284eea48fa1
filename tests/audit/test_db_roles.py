"""The application's database role cannot rewrite the audit trail (issue 16; PostgreSQL).

``.ci/run`` creates two roles, migrates a database as the owner (``DATABASE_OWNER_URL``), runs
``manage.py db_roles --app <role> --apply`` and then this file with
``TANDEM_APP_DATABASE_URL`` (the application role's login). The tests connect as that role
itself — no superuser session that could ``RESET ROLE`` — and check what it may and may not do.
Without the variable (every other run) they are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest

APP_URL = os.environ.get("TANDEM_APP_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not APP_URL, reason="needs TANDEM_APP_DATABASE_URL (the application role; .ci/run)"
)


@pytest.fixture
def app() -> Iterator[psycopg.Connection]:
    with psycopg.connect(APP_URL, autocommit=True) as connection:
        yield connection


def _refused(app: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.Error) as info:
        app.execute(sql)
    return str(info.value)


@pytest.mark.parametrize(
    "sql, message",
    [
        ("UPDATE audit_accesslog SET ip_address = NULL", "permission denied"),
        ("UPDATE api_apirequest SET ip_address = NULL", "permission denied"),
        ("DELETE FROM api_apirequest", "permission denied"),
        ("TRUNCATE api_apirequest", "permission denied"),
        ("DELETE FROM audit_accesslog", "permission denied"),
        ("UPDATE audit_auditevent SET data = '{}'", "permission denied"),
        ("DELETE FROM audit_auditevent", "permission denied"),
        ("TRUNCATE audit_accesslog", "permission denied"),
        ("TRUNCATE audit_auditevent", "permission denied"),
        ("ALTER TABLE audit_accesslog DISABLE TRIGGER ALL", "must be owner"),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only", "owner"),
        ("DROP TRIGGER audit_accesslog_append_only ON audit_accesslog", "must be owner"),
        ("DROP TABLE audit_accesslog", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        ("UPDATE tandem_audit_policy SET access_log_years = 1", "permission denied"),
        ("SELECT * FROM tandem_audit_policy", "permission denied"),
        ("DELETE FROM django_migrations", "permission denied"),
        ("CREATE TABLE audit_shadow (id int)", "permission denied"),
    ],
)
def test_the_application_role_cannot_rewrite_or_disarm_the_audit_trail(app, sql, message):
    assert message in _refused(app, sql)


def test_the_application_role_does_its_work(app):
    # It inserts audit events (stamped with the database's clock, whatever it sends) ...
    row = app.execute(
        "INSERT INTO audit_auditevent (at, event_type, data) "
        "VALUES ('2001-01-01', 'ci.app_role', '{}') RETURNING at > now() - interval '1 minute'"
    ).fetchone()
    assert row == (True,)
    assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1
    # ... reads and writes the other tables ...
    app.execute("INSERT INTO django_session VALUES ('ci-app-role', 'x', now())")
    app.execute("UPDATE django_session SET session_data = 'y' WHERE session_key = 'ci-app-role'")
    app.execute("DELETE FROM django_session WHERE session_key = 'ci-app-role'")
    # ... and reaches retention's one path, which the database bounds by its own cut-off.
    cutoff_is_ten_years = app.execute(
        "SELECT tandem_accesslog_cutoff() BETWEEN now() - interval '10 years 1 day' "
        "AND now() - interval '10 years' + interval '1 day'"
    ).fetchone()
    assert cutoff_is_ten_years == (True,)
    assert app.execute(
        "SELECT tandem_accesslog_pseudonymise('{}', '{}', '{}', '{}')"
    ).fetchone() == (0,)


def test_a_temporary_table_cannot_lower_the_cutoff(app):
    app.execute("CREATE TEMP TABLE tandem_audit_policy (id bool, access_log_years int)")
    app.execute("INSERT INTO tandem_audit_policy VALUES (true, 1)")
    assert app.execute(
        "SELECT tandem_accesslog_cutoff() < now() - interval '9 years'"
    ).fetchone() == (True,)
