"""The network app's part of the subject-access export (``tandem.audit.export``): every consent
the person gave, in force or withdrawn. Registered when the app is ready (``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.audit.export import record, register_export_section
from tandem.common.models import LifeDomain
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


@register_export_section("consents", _("Consents"), labels=LABELS)
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


@register_export_section("referrals", _("Referrals"), labels=REFERRAL_LABELS)
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
