"""Give the application's database role what it needs, and no more (PostgreSQL).

Two roles: the **owner** owns the tables — it runs ``migrate`` and this command — and the
**application role** is what the web server and the other commands connect as. The application
role gets ``SELECT, INSERT, UPDATE, DELETE`` on every table and ``USAGE, SELECT`` on every
sequence, except:

- the audit trail (``audit_auditevent``, ``audit_accesslog``) and the API's request log
  (``api_apirequest``): ``SELECT, INSERT`` only — no ``UPDATE``, ``DELETE`` or ``TRUNCATE``;
  old access-log rows are pseudonymised only through ``tandem_accesslog_pseudonymise()``
  (migration audit 0004), old request rows lose their IP address only through
  ``tandem_apirequest_expire()`` (migration api 0002), which may be executed;
- ``django_migrations``: ``SELECT`` only; ``tandem_audit_policy``: nothing.

Not owning the tables, the application role cannot drop or disable the audit triggers, and not
being a superuser it cannot set ``session_replication_role``. Default privileges give tables
the owner creates later the same rights; run this command again after every ``migrate`` (it is
idempotent) so a new table is sorted the same way. It also stores the access log's retention
period (``TANDEM_RETENTION['access_log']``) where the database reads it for its cut-off.

``manage.py db_roles --app tandem_app`` prints the SQL; ``--apply`` runs it, on the ``owner``
connection (``DATABASE_OWNER_URL``) when there is one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tandem.privacy.retention import retention_periods

APPEND_ONLY = ("audit_auditevent", "audit_accesslog", "api_apirequest")
READ_ONLY = ("django_migrations",)
OWNER_ONLY = ("tandem_audit_policy",)
FUNCTIONS = (
    "tandem_accesslog_cutoff()",
    "tandem_accesslog_pseudonymise(bigint[], text[], bigint[], text[])",
    "tandem_apirequest_expire()",
)


def grant_statements(*, schema: str, owner: str, app: str, access_log_years: int) -> list[str]:
    """The SQL, with every name already quoted."""
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"REVOKE UPDATE, DELETE ON {', '.join(APPEND_ONLY)} FROM {app}",
        f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(READ_ONLY)} FROM {app}",
        f"REVOKE ALL ON {', '.join(OWNER_ONLY)} FROM {app}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(FUNCTIONS)} TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # A whole number of years, checked by retention_periods(); names quoted by the caller.
        f"UPDATE tandem_audit_policy SET access_log_years = {int(access_log_years)}",  # noqa: S608
    ]


class Command(BaseCommand):
    help = (
        "Print (or apply with --apply) the GRANTs that give the application's database role "
        "only what it needs: SELECT and INSERT on the audit trail. Run as the tables' owner, "
        "after migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app", required=True, help="The application's database role.")
        parser.add_argument(
            "--owner", default=None, help="The role that owns the tables (default: this login)."
        )
        parser.add_argument(
            "--database",
            default=None,
            help="Connection to use (default: 'owner' when DATABASE_OWNER_URL is set).",
        )
        parser.add_argument("--apply", action="store_true", help="Run the SQL, not print it.")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"] or (
            "owner" if "owner" in connections.settings else DEFAULT_DB_ALIAS
        )
        connection = connections[alias]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; this database is not.")
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, current_schema(), pg_get_userbyid(c.relowner) "
                "FROM pg_class c WHERE c.oid = to_regclass('audit_accesslog')"
            )
            found = cursor.fetchone()
        if found is None:
            raise CommandError("The audit tables are missing: run migrate first.")
        login, schema, table_owner = found
        owner = options["owner"] or login
        app = options["app"]
        if app in (owner, table_owner):
            raise CommandError(
                f"The application role {app!r} owns the tables: it could drop the audit "
                "triggers. Migrate as another role (DATABASE_OWNER_URL) and pass that one."
            )
        if owner != table_owner:
            raise CommandError(
                f"The tables belong to {table_owner!r}, not {owner!r}: run this as their owner."
            )
        statements = grant_statements(
            schema=quote(schema),
            owner=quote(owner),
            app=quote(app),
            access_log_years=retention_periods()["access_log"],
        )
        if not options["apply"]:
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"Granted {app} what the application needs on {schema} (owner {owner}); the audit "
            "trail is SELECT, INSERT only."
        )
