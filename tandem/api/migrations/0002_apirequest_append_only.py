"""The API's request log is a log: append-only in PostgreSQL itself, like the access log
(migrations audit 0003 and 0004).

PostgreSQL only (SQLite keeps the application's own code paths as the guard):

1. **Inserts carry the database's clock** (``tandem_audit_stamp_insert``, audit 0004): a
   request row cannot be back-dated.
2. **No DELETE; no UPDATE but retention's.** A trigger refuses every DELETE of
   ``api_apirequest`` and every UPDATE, except the one retention makes: with the
   transaction-local flag ``tandem.retention`` on, a row older than the database's own cut-off
   (``tandem_accesslog_cutoff()``: the access log's period, stored by the tables' owner) may
   have its IP address cleared — and nothing else changed (compared as JSON without it).
3. **Only through retention's path.** ``tandem_apirequest_expire()`` (``SECURITY DEFINER``) is
   the one way the application role changes request rows: ``manage.py db_roles`` gives it
   ``SELECT, INSERT`` only on the table and ``EXECUTE`` on this function.

The rows themselves are never deleted: the client, the route pattern, the status and the time
stay, so who called what stays answerable; the IP address is the only personal datum of a row.
"""

from django.db import migrations

FORWARD_SQL = """
CREATE FUNCTION tandem_apirequest_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = %(path)s AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'tandem: api_apirequest is append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(current_setting('tandem.retention', true), '') <> 'on' THEN
        RAISE EXCEPTION 'tandem: api_apirequest is append-only: UPDATE refused'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only retention may clear the IP address of an old request row.';
    END IF;
    IF NOT (OLD.at < tandem_accesslog_cutoff()) THEN
        RAISE EXCEPTION 'tandem: api_apirequest: row % is within its retention period', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.ip_address IS NULL OR NEW.ip_address IS NOT NULL
       OR (to_jsonb(NEW) - 'ip_address') IS DISTINCT FROM (to_jsonb(OLD) - 'ip_address')
    THEN
        RAISE EXCEPTION 'tandem: api_apirequest: retention may only clear the IP address'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER api_apirequest_append_only
    BEFORE UPDATE OR DELETE ON api_apirequest
    FOR EACH ROW EXECUTE FUNCTION tandem_apirequest_guard();
CREATE TRIGGER api_apirequest_stamp_insert
    BEFORE INSERT ON api_apirequest
    FOR EACH ROW EXECUTE FUNCTION tandem_audit_stamp_insert();

CREATE FUNCTION tandem_apirequest_expire() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = %(path)s AS $$
DECLARE
    changed integer;
BEGIN
    PERFORM set_config('tandem.retention', 'on', true);
    UPDATE api_apirequest SET ip_address = NULL
     WHERE ip_address IS NOT NULL AND at < tandem_accesslog_cutoff();
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('tandem.retention', 'off', true);
    RETURN changed;
END;
$$;
REVOKE ALL ON FUNCTION tandem_apirequest_expire() FROM PUBLIC;
"""

REVERSE_SQL = """
DROP FUNCTION IF EXISTS tandem_apirequest_expire();
DROP TRIGGER IF EXISTS api_apirequest_stamp_insert ON api_apirequest;
DROP TRIGGER IF EXISTS api_apirequest_append_only ON api_apirequest;
DROP FUNCTION IF EXISTS tandem_apirequest_guard();
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    path = f"{connection.ops.quote_name(schema)}, pg_temp"
    with connection.cursor() as cursor:
        cursor.execute(FORWARD_SQL.replace("%(path)s", path))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_clients_tokens_requests"),
        ("audit", "0004_database_clock_and_retention_cutoff"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
