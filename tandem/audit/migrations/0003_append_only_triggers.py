"""The audit trail is append-only in the database itself (QUALITY.md, ASVS V16.4.2).

PostgreSQL only: triggers refuse every UPDATE and DELETE of ``audit_auditevent`` and every
DELETE of ``audit_accesslog``. An UPDATE of ``audit_accesslog`` passes only when all of these
hold, which is exactly what retention's pseudonymisation does and nothing else can:

1. the transaction-local setting ``tandem.retention`` is ``'on'`` — set with ``SET LOCAL``
   by ``tandem.audit.pseudonyms.accesslog_pseudonymisation()`` and reset when it is done, so
   the permission never outlives that block (nor the transaction);
2. the row is still identified (person and user set): a pseudonymised row never changes again;
3. afterwards person, user and IP address are NULL and the two pseudonym columns hold
   pseudonyms of the documented form (``p-``/``u-`` and 20 hex digits);
4. every other column — including any column added later — is unchanged (compared as JSON
   without the five columns above), so the path cannot rewrite when, what, why or by which
   organisation a file was read.

So even code that sets the flag can only make a row less identifying, never falsify it.
TRUNCATE is not covered: it needs the table owner, and the test runner empties tables with it.
A deployment that must resist its own application account runs the application as a role that
does not own the tables (it then cannot drop or disable these triggers). SQLite has no such
triggers; there the application's own code paths are the guard.
"""

from django.db import migrations

AUDITEVENT_SQL = """
CREATE OR REPLACE FUNCTION tandem_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tandem: % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION tandem_audit_refuse_change();
"""

ACCESSLOG_SQL = """
CREATE OR REPLACE FUNCTION tandem_accesslog_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pseudonymised_columns text[] := ARRAY[
        'person_id', 'user_id', 'ip_address', 'person_pseudonym', 'user_pseudonym'
    ];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'tandem: audit_accesslog is append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(current_setting('tandem.retention', true), '') <> 'on' THEN
        RAISE EXCEPTION 'tandem: audit_accesslog is append-only: UPDATE refused'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only retention may pseudonymise access-log rows.';
    END IF;
    IF OLD.person_id IS NULL OR OLD.user_id IS NULL
       OR NEW.person_id IS NOT NULL OR NEW.user_id IS NOT NULL OR NEW.ip_address IS NOT NULL
       OR NEW.person_pseudonym !~ '^p-[0-9a-f]{20}$'
       OR NEW.user_pseudonym !~ '^u-[0-9a-f]{20}$'
       OR (to_jsonb(NEW) - pseudonymised_columns) IS DISTINCT FROM
          (to_jsonb(OLD) - pseudonymised_columns)
    THEN
        RAISE EXCEPTION 'tandem: audit_accesslog: retention may only replace the person, '
                        'user and IP address of an identified row by pseudonyms'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION tandem_accesslog_guard();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS tandem_accesslog_guard();
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS tandem_audit_refuse_change();
"""


class PostgreSQLOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on another database (SQLite has no PL/pgSQL)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_accesslog_pseudonyms"),
    ]

    operations = [
        PostgreSQLOnlyRunSQL(AUDITEVENT_SQL + ACCESSLOG_SQL, reverse_sql=REVERSE_SQL),
    ]
