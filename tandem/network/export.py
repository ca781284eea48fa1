"""The network app's part of the subject-access export (``tandem.audit.export``): every consent
the person gave, in force or withdrawn. Registered when the app is ready (``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.audit.export import record, register_export_section
from tandem.common.models import LifeDomain
from tandem.registry.models import Person

from .models import Consent

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
