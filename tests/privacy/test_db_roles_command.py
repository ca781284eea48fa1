"""``manage.py db_roles``: the GRANTs of the application role (issue 16). Applied for real as
two PostgreSQL roles in .ci/run (tests/audit/test_db_roles.py)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tandem.privacy.management.commands.db_roles import grant_statements


def test_the_audit_trail_is_select_and_insert_only_for_the_application_role():
    sql = grant_statements(schema='"public"', owner='"own"', app='"app"', access_log_years=12)
    assert (
        'REVOKE UPDATE, DELETE ON audit_auditevent, audit_accesslog, api_apirequest FROM "app"'
        in sql
    )
    assert any("tandem_apirequest_expire()" in s and s.startswith("GRANT EXECUTE") for s in sql)
    assert any(s.startswith("REVOKE TRUNCATE") for s in sql)
    assert 'REVOKE ALL ON tandem_audit_policy FROM "app"' in sql
    assert any('FOR ROLE "own"' in s and "ON TABLES" in s for s in sql)
    assert sql[-1] == "UPDATE tandem_audit_policy SET access_log_years = 12"
    granted_on_logs = [s for s in sql if s.startswith("GRANT") and "audit_" in s]
    assert granted_on_logs == []  # only the blanket grant, narrowed by the REVOKEs after it


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_db_roles_is_postgresqls():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db_roles", "--app", "tandem_app")
