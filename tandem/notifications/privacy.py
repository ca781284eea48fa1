"""The notifications part of the subject-access export and of retention and erasure
(``tandem.privacy`` imports this module at start-up).

**The export holds the notifications about the person** (a section of its own): that a worker
of an organisation was told of an event about them (a referral answered, an enrolment decided,
a drop-out signal, an expert's answer, a consent withdrawn), when, and whether it was read.
It names the recipient's organisation, not the worker. A
notification's text names no one; it is still data about the person (Art. 15 GDPR covers it),
so it is shown rather than argued away.

**Erasure and retention** delete the notifications about an erased person with the rest of the
case content: a notification is a pointer from a worker's inbox to the person's file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import (
    RetentionStep,
    StepResult,
    delete_rows,
    plain,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .kinds import kind_label
from .models import Notification

LABELS = {
    "notification": _("notification"),
    "recipient_organisation": _("recipient's organisation"),
    "read_at": _("read at"),
}


@register_export_section("notifications", _("Notifications to workers"), labels=LABELS, order=850)
def notifications(person: Person) -> list[dict[str, Any]]:
    """Every notification about the person, oldest first: what, when, to which organisation."""
    rows = (
        Notification.objects.filter(person=person)
        .select_related("recipient__organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "notification": kind_label(n.kind),
            "created_at": plain(n.created_at),
            "recipient_organisation": str(n.recipient.organisation or ""),
            "read_at": plain(n.read_at),
        }
        for n in rows
    ]


def _notifications_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    delete_rows(
        "notifications",
        Notification.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={"notifications": _("Notifications")},
        run=_notifications_erase,
        # Nothing points at a notification: any place in the run will do.
        order=850,
    )
)
