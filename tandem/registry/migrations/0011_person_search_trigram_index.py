"""Person search by name at scale (issue 20), PostgreSQL only.

``registry.selectors.person_search`` filters ``search_key__contains=word`` for each word typed,
which PostgreSQL runs as ``search_key LIKE '%word%'``: without an index every person is read.
A GIN index with ``pg_trgm``'s ``gin_trgm_ops`` on that same column answers ``LIKE '%…%'``
(a word of three characters or more) with a Bitmap Index Scan. The column is already folded by
the services (lower case, no accents), so the index is on the bare column, no expression.

The extension is created here, by the role that runs ``migrate`` (the tables' owner):
``pg_trgm`` is a trusted extension since PostgreSQL 13, so the database's owner may create it
without being a superuser, and the application role needs nothing more at run time (``LIKE`` is
a built-in operator; the planner picks the index). SQLite has neither and keeps its scan.
"""

from django.db import migrations

INDEX = "person_search_key_trgm"

FORWARD_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person USING gin (search_key gin_trgm_ops)",
]
# The extension stays: another index or a later migration may use it.
REVERSE_SQL = [f"DROP INDEX IF EXISTS {INDEX}"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD_SQL:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REVERSE_SQL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_intake_referral_source_withdrawn"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
