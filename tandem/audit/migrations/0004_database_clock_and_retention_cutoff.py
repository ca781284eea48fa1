"""The database's own clock and retention cut-off guard the audit trail (issue 16).

PostgreSQL only (SQLite keeps the application's own code paths as the guard):

1. **Inserts carry the database's clock.** A ``BEFORE INSERT`` trigger on ``audit_auditevent``
   and ``audit_accesslog`` sets ``at`` to ``clock_timestamp()``, whatever the application sent:
   nobody can insert a back-dated (or future) row. A new access-log row must name the person
   and the user: it may not arrive already pseudonymised.
2. **Retention may only touch rows past the retention period.** The update guard of 0003 now
   also refuses any row whose ``at`` is not older than the cut-off the database computes itself:
   ``now()`` minus ``access_log_years`` of the one-row table ``tandem_audit_policy``. That table
   is written by the owner of the tables only (``manage.py db_roles`` copies
   ``TANDEM_RETENTION['access_log']`` into it; the application role cannot even read it). A
   session that sets ``tandem.retention`` can therefore no longer rewrite a recent row.
3. **Only through retention's path.** ``tandem_accesslog_pseudonymise(...)`` is the one way the
   application role changes access-log rows: it has no ``UPDATE`` privilege on the table (see
   ``db_roles``), and this ``SECURITY DEFINER`` function — run with the owner's rights —
   pseudonymises the given persons' rows older than the cut-off and nothing else.
   ``tandem_accesslog_cutoff()`` tells the application that cut-off (for its counts).

Every function pins its ``search_path`` to the schema of the tables with ``pg_temp`` last, so
a temporary table or function of the caller cannot stand in for ours.
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations

append_only = import_module("tandem.audit.migrations.0003_append_only_triggers")

DEFAULT_ACCESS_LOG_YEARS = 10

FORWARD_SQL = """
CREATE TABLE tandem_audit_policy (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    access_log_years integer NOT NULL CHECK (access_log_years BETWEEN 1 AND 100)
);
REVOKE ALL ON tandem_audit_policy FROM PUBLIC;
INSERT INTO tandem_audit_policy (id, access_log_years) VALUES (true, %(years)s);

CREATE FUNCTION tandem_accesslog_cutoff() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %(path)s AS $$
    SELECT coalesce(
        (SELECT now() - make_interval(years => access_log_years) FROM tandem_audit_policy),
        '-infinity'::timestamptz
    )
$$;

CREATE FUNCTION tandem_audit_stamp_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = %(path)s AS $$
BEGIN
    NEW.at := clock_timestamp();
    RETURN NEW;
END;
$$;

CREATE FUNCTION tandem_accesslog_check_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = %(path)s AS $$
BEGIN
    IF NEW.person_pseudonym <> '' OR NEW.user_pseudonym <> '' THEN
        RAISE EXCEPTION 'tandem: audit_accesslog: a new row names the person and the user'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_auditevent_stamp_insert
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION tandem_audit_stamp_insert();
CREATE TRIGGER audit_accesslog_stamp_insert
    BEFORE INSERT ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION tandem_audit_stamp_insert();
CREATE TRIGGER audit_accesslog_check_insert
    BEFORE INSERT ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION tandem_accesslog_check_insert();

CREATE OR REPLACE FUNCTION tandem_accesslog_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = %(path)s AS $$
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
    IF NOT (OLD.at < tandem_accesslog_cutoff()) THEN
        RAISE EXCEPTION 'tandem: audit_accesslog: row % is within its retention period', OLD.id
            USING ERRCODE = 'insufficient_privilege';
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

CREATE FUNCTION tandem_accesslog_pseudonymise(
    person_ids bigint[], person_pseudonyms text[], user_ids bigint[], user_pseudonyms text[]
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = %(path)s AS $$
DECLARE
    changed integer;
BEGIN
    IF cardinality(person_ids) IS DISTINCT FROM cardinality(person_pseudonyms)
       OR cardinality(user_ids) IS DISTINCT FROM cardinality(user_pseudonyms) THEN
        RAISE EXCEPTION 'tandem: every id needs its pseudonym';
    END IF;
    PERFORM set_config('tandem.retention', 'on', true);
    UPDATE audit_accesslog AS log
       SET person_id = NULL, user_id = NULL, ip_address = NULL,
           person_pseudonym = p.pseudonym, user_pseudonym = u.pseudonym
      FROM unnest(person_ids, person_pseudonyms) AS p(id, pseudonym),
           unnest(user_ids, user_pseudonyms) AS u(id, pseudonym)
     WHERE log.person_id = p.id AND log.user_id = u.id
       AND log.at < tandem_accesslog_cutoff();
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('tandem.retention', 'off', true);
    RETURN changed;
END;
$$;
REVOKE ALL ON FUNCTION tandem_accesslog_cutoff() FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_accesslog_pseudonymise(bigint[], text[], bigint[], text[])
    FROM PUBLIC;
"""

REVERSE_SQL = """
DROP FUNCTION IF EXISTS tandem_accesslog_pseudonymise(bigint[], text[], bigint[], text[]);
DROP TRIGGER IF EXISTS audit_accesslog_stamp_insert ON audit_accesslog;
DROP TRIGGER IF EXISTS audit_accesslog_check_insert ON audit_accesslog;
DROP TRIGGER IF EXISTS audit_auditevent_stamp_insert ON audit_auditevent;
DROP FUNCTION IF EXISTS tandem_audit_stamp_insert();
DROP FUNCTION IF EXISTS tandem_accesslog_check_insert();
"""

REVERSE_AFTER_GUARD_SQL = """
DROP FUNCTION IF EXISTS tandem_accesslog_cutoff();
DROP TABLE IF EXISTS tandem_audit_policy;
"""


def _access_log_years() -> int:
    years = (getattr(settings, "TANDEM_RETENTION", None) or {}).get("access_log")
    return years if isinstance(years, int) and 1 <= years <= 100 else DEFAULT_ACCESS_LOG_YEARS


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    path = f"{connection.ops.quote_name(schema)}, pg_temp"
    sql = FORWARD_SQL.replace("%(path)s", path).replace("%(years)s", str(_access_log_years()))
    with connection.cursor() as cursor:
        cursor.execute(sql)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(REVERSE_SQL)
        # The guard of 0003 again (without the cut-off), then what it used.
        cursor.execute(append_only.ACCESSLOG_SQL.split("CREATE TRIGGER")[0])
        cursor.execute(REVERSE_AFTER_GUARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
