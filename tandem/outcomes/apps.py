from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "tandem.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals

        signals.connect()
        post_migrate.connect(fill_outcomes, sender=self, dispatch_uid="outcomes.fill")


def fill_outcomes(sender: Any, using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """After ``migrate``: fill the outcome table of a database that has ended trajectories but
    no outcome rows yet (one made before the table existed). One cheap query otherwise."""
    from django.db import connections

    from .models import TrajectoryOutcome
    from .services import outcomes_missing, refresh_outcomes

    tables = connections[using].introspection.table_names()
    if TrajectoryOutcome._meta.db_table in tables and outcomes_missing():
        refresh_outcomes()
