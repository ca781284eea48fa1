"""Consents are case content: retention and erasure delete them with the rest of the file
(their purpose and witness name identify the person's situation)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from tandem.audit.retention import RetentionStep, StepResult, _delete, register_retention_step

from .models import Consent


def _consents(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    _delete(
        "consents", Consent.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


register_retention_step(
    RetentionStep(period="case_content", labels={"consents": _("Consents")}, run=_consents)
)
