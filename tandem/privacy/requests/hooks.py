"""The register's part of the subject-access export and of erasure and retention.

The export shows the person their own requests. Erasure (on request or by retention) erases
the register's free texts — what was asked, the outcome, the reasons — which may quote or name
the person; the request itself stays, pointing at the pseudonymised person, with its kind,
dates, channel, status and handler: the controller must be able to show that it answered
(GDPR art. 5(2), art. 12), and an erasure request is closed after the erasure it asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import (
    ERASED,
    RetentionStep,
    StepResult,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .models import SubjectRequest, SubjectRequestStatusChange


@register_export_section(
    "subject_requests",
    _("Requests about your data to the data-protection officer"),
    labels={"due_on": _("due on")},
    order=620,
)
def _subject_requests(person: Person) -> list[dict[str, Any]]:
    rows = (
        SubjectRequest.objects.filter(person=person)
        .select_related("organisation")
        .order_by("received_on", "pk")
    )
    return [
        {
            **record(
                r,
                [
                    "organisation",
                    "kind",
                    "channel",
                    "received_on",
                    "note",
                    "status",
                    "extended_on",
                    "extension_reason",
                    "closed_on",
                    "outcome",
                ],
            ),
            "due_on": r.due_on,
        }
        for r in rows
    ]


def _texts_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    """Replace the free texts of the person's requests by a mark; keep the requests."""
    result = StepResult()
    texts = SubjectRequest.objects.filter(person_id__in=person_ids).filter(
        ~Q(note__in=["", ERASED])
        | ~Q(outcome__in=["", ERASED])
        | ~Q(extension_reason__in=["", ERASED])
    )
    changes = SubjectRequestStatusChange.objects.filter(request__person_id__in=person_ids).exclude(
        reason__in=["", ERASED]
    )
    result.counts["subject_request_texts"] = texts.count() + changes.count()
    result.persons.update(texts.values_list("person_id", flat=True).distinct())
    result.persons.update(changes.values_list("request__person_id", flat=True).distinct())
    if write:
        for request in texts:
            request.note = ERASED if request.note else ""
            request.outcome = ERASED if request.outcome else ""
            request.extension_reason = ERASED if request.extension_reason else ""
            request.save(update_fields=["note", "outcome", "extension_reason", "updated_at"])
        changes.update(reason=ERASED)
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={"subject_request_texts": _("Data-subject requests: texts erased")},
        run=_texts_erase,
        order=510,
    )
)
