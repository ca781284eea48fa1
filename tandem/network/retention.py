"""Consents and referrals are case content: retention and erasure delete them with the rest of
the file (a consent's purpose and witness name, a referral's snapshot identify the person's
situation). Referrals first: they point at consents."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from tandem.audit.retention import RetentionStep, StepResult, _delete, register_retention_step

from .models import Consent, Referral


def _referrals(person_ids: Sequence[int], write: bool) -> StepResult:
    """Referrals hold a snapshot of what travelled (name, contact, household): case content.
    Their history goes with them; they go before the consents they point at (PROTECT)."""
    result = StepResult()
    _delete(
        "referrals", Referral.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


def _consents(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    _delete(
        "consents", Consent.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


register_retention_step(
    RetentionStep(period="case_content", labels={"referrals": _("Referrals")}, run=_referrals)
)
register_retention_step(
    RetentionStep(period="case_content", labels={"consents": _("Consents")}, run=_consents)
)
