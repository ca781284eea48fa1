"""``migrate`` as the owner of the tables.

When ``DATABASE_OWNER_URL`` is set (``config.settings.base``), ``manage.py migrate`` connects as
that role: the application's own role (``DATABASE_URL``) never owns the tables, so it can
neither drop the audit trail's triggers nor empty it. The whole process switches its default
connection to the owner's login (same database), so data migrations that use the default
connection run as the owner too. Afterwards ``manage.py db_roles --app <role> --apply`` gives the
application role its rights (README, "Running the production settings").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

LOGIN = ("USER", "PASSWORD", "OPTIONS")


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        if "owner" in connections.settings and options["database"] == DEFAULT_DB_ALIAS:
            owner = connections.settings["owner"]
            default = connections[DEFAULT_DB_ALIAS]
            where = ("ENGINE", "NAME", "HOST", "PORT")
            if any(owner.get(k) != default.settings_dict.get(k) for k in where):
                raise CommandError(
                    "DATABASE_OWNER_URL must name the same database as DATABASE_URL "
                    "(another login only)."
                )
            default.close()
            default.settings_dict.update({k: owner[k] for k in LOGIN if k in owner})
            self.stdout.write(f"Migrating as the owner of the tables ({owner['USER']}).")
        super().handle(*args, **options)
