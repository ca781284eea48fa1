"""The network app's part of the subject-access export and of retention and erasure
(``tandem.privacy``, which imports this module at start-up): every consent the person gave, in
force or withdrawn, and every referral about them.

Consents and referrals are case content: retention and erasure delete them with the rest of
the file (a consent's purpose and witness name, a referral's snapshot identify the person's
situation). Referrals first: they point at consents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.common.models import LifeDomain
from tandem.common.privacy_hooks import (
    RetentionStep,
    StepResult,
    delete_rows,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .models import Consent, Referral

FIELDS = [
    "organisation",
    "recipient_organisation",
    "recipient_kind",
    "domains",
    "purpose",
    "given_on",
    "evidence",
    "witness",
    "recorded_by",
    "withdrawn_on",
    "withdrawn_by",
]
LABELS = {
    **{f.name: f.verbose_name for f in Consent._meta.fields if f.name in FIELDS},
    "public_id": _("reference"),
    "in_force": _("in force"),
}


@register_export_section("consents", _("Consents"), labels=LABELS, order=500)
def consents(person: Person) -> list[dict[str, Any]]:
    rows = (
        Consent.objects.filter(person=person)
        .select_related("organisation", "recipient_organisation", "recorded_by", "withdrawn_by")
        .order_by("given_on", "pk")
    )
    labels = dict(LifeDomain.choices)
    out = []
    for consent in rows:
        data: dict[str, Any] = {"public_id": consent.public_id, **record(consent, FIELDS)}
        data["domains_label"] = [str(labels.get(code, code)) for code in consent.domains]
        data["in_force"] = consent.is_active
        out.append(data)
    return out


REFERRAL_FIELDS = [
    "organisation",
    "receiving_organisation",
    "service",
    "status",
    "domains",
    "question",
    "override_reason",
    "sent_by",
    "sent_at",
    "last_update_at",
    "outcome",
    "reason",
]
REFERRAL_LABELS = {
    **{f.name: f.verbose_name for f in Referral._meta.fields if f.name in REFERRAL_FIELDS},
    "public_id": _("reference"),
    "shared_data": _("shared data"),
    "history": _("history"),
}


@register_export_section("referrals", _("Referrals"), labels=REFERRAL_LABELS, order=510)
def referrals(person: Person) -> list[dict[str, Any]]:
    """Every referral about the person: to whom, what travelled with it, and what happened."""
    rows = (
        Referral.objects.filter(person=person)
        .select_related("organisation", "receiving_organisation", "service", "sent_by")
        .prefetch_related("status_changes")
        .order_by("sent_at", "pk")
    )
    out = []
    for referral in rows:
        data: dict[str, Any] = {
            "public_id": referral.public_id,
            **record(referral, REFERRAL_FIELDS),
        }
        data["shared_data"] = referral.shared_data
        data["history"] = [
            {"from": c.from_status, "to": c.to_status, "at": c.at.isoformat(), "note": c.note}
            for c in referral.status_changes.all()
        ]
        out.append(data)
    return out


# --- retention and erasure -------------------------------------------------------------------


def _referrals(person_ids: Sequence[int], write: bool) -> StepResult:
    """Referrals hold a snapshot of what travelled (name, contact, household): case content.
    Their history goes with them; they go before the consents they point at (PROTECT)."""
    result = StepResult()
    delete_rows(
        "referrals", Referral.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


def _consents(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    delete_rows(
        "consents", Consent.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content", labels={"referrals": _("Referrals")}, run=_referrals, order=600
    )
)
register_retention_step(
    RetentionStep(
        period="case_content", labels={"consents": _("Consents")}, run=_consents, order=610
    )
)
