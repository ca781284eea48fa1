"""The outcomes part of the subject-access export (``tandem.audit.export``): the person's
labour-market status events and the trajectories imported from a legacy system. Registered
when the app is ready (``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.audit.export import record, register_export_section
from tandem.registry.models import Person

from .models import ImportedTrajectory, StatusEvent

# The export's labels are shared by all sections: keys another section labels with another
# meaning (``organisation`` is the referring organisation there) get a key of their own.
LABELS = {
    "date": _("date"),
    "source": _("source"),
    "office": _("office"),
    "group_work": _("group work"),
    "imported_at": _("imported at"),
}


@register_export_section("status_events", _("Labour-market statuses"), labels=LABELS)
def status_events(person: Person) -> list[dict[str, Any]]:
    """Every status event, oldest first."""
    rows = StatusEvent.objects.filter(person=person).order_by("date", "pk")
    return [record(row, ["date", "status", "source"]) for row in rows]


@register_export_section("imported_trajectories", _("Imported trajectories"), labels=LABELS)
def imported_trajectories(person: Person) -> list[dict[str, Any]]:
    """Every trajectory imported from a legacy system, in the order they started."""
    rows = (
        ImportedTrajectory.objects.filter(person=person)
        .select_related("organisation", "project")
        .order_by("start_date", "pk")
    )
    out = []
    for row in rows:
        data = record(
            row,
            ["type", "province", "start_date", "end_date", "closure_reason", "group_work"],
        )
        data["office"] = str(row.organisation) if row.organisation else None
        data["project"] = str(row.project) if row.project else None
        data["imported_at"] = record(row, ["imported_at"])["imported_at"]
        out.append(data)
    return out
