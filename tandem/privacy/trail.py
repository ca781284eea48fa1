"""The privacy app's part of the export for the audit trail: the events about the person.

"What was done in the file": each event's type, when and by which organisation. Not the
employee (as in the access history, CJEU C-579/21, *Pankki S*) and not the event's data: it
may name other persons (a household member, a partner) or hold references only Tandem reads.
Audit events are never deleted: they point at the pseudonymised person after erasure and hold
no free text (a reason stays with the case content; the event keeps ``reason_given``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.audit.models import AuditEvent
from tandem.common.privacy_hooks import register_export_section
from tandem.registry.models import Person


@register_export_section(
    "audit_events",
    _("What was done in the file"),
    labels={"at": _("when"), "event": _("event")},
    order=610,
)
def audit_events(person: Person) -> list[dict[str, Any]]:
    rows = (
        AuditEvent.objects.filter(person=person).select_related("organisation").order_by("at", "pk")
    )
    return [
        {
            "at": timezone.localtime(row.at),
            "organisation": str(row.organisation) if row.organisation else None,
            "event": row.event_type,
        }
        for row in rows
    ]
