"""What a referral looks like in the API: what the page shows the same reader, no more.

Built from ``selectors.ReferralView`` (the receiver sees what travelled, narrowed to what a
consent in force still covers; the sender what it may see of the trajectory). When the person
is not visible (consent withdrawn, or sent without consent and closed) ``person``, ``question``,
``reason``, ``outcome``, ``shared`` and the history's notes are ``null``, as on the page.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tandem.common.text import NOTE_MAX, REASON_MAX
from tandem.network.models import Referral, ReferralStatus, ReferralStatusChange
from tandem.network.referrals.selectors import ReferralView

# The API's verbs for the receiver's answers and reports, and the status each leads to.
ACTIONS: dict[str, str] = {
    "accept": ReferralStatus.ACCEPTED,
    "decline": ReferralStatus.DECLINED,
    "no-capacity": ReferralStatus.NO_CAPACITY,
    "start": ReferralStatus.IN_PROGRESS,
    "complete": ReferralStatus.COMPLETED,
    "not-reached": ReferralStatus.NOT_REACHED,
}
ACTION_OF = {status: action for action, status in ACTIONS.items()}


class OrganisationRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ServiceRef(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SharedPerson(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField()
    languages = serializers.ListField(child=serializers.CharField())
    street = serializers.CharField(allow_blank=True)
    house_number = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    municipality = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class SharedData(serializers.Serializer):
    work_education = serializers.DictField(required=False, allow_null=True)
    household = serializers.DictField(required=False, allow_null=True)
    plan = serializers.ListField(child=serializers.DictField())


class HistoryEntry(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.ChoiceField(choices=ReferralStatus.choices)
    organisation = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True, allow_blank=True)


class ReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    direction = serializers.ChoiceField(choices=[("received", "received"), ("sent", "sent")])
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    sending_organisation = OrganisationRef()
    receiving_organisation = OrganisationRef()
    service = ServiceRef()
    sent_at = serializers.DateTimeField()
    last_update_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    person_visible = serializers.BooleanField()
    consent_withdrawn = serializers.BooleanField()
    sent_without_consent = serializers.BooleanField()
    person = SharedPerson(allow_null=True)
    question = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True, allow_blank=True)
    outcome = serializers.CharField(allow_null=True, allow_blank=True)
    domains = serializers.ListField(child=serializers.CharField())
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[(a, a) for a in ACTIONS]),
        help_text="The answers this client may give now (POST /referrals/{id}/<action>/).",
    )


class ReferralDetailSerializer(ReferralSerializer):
    shared = SharedData(allow_null=True)
    history = HistoryEntry(many=True)


def _org(org: Any) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


def referral_data(
    view: ReferralView, statuses: list[str], history: list[ReferralStatusChange] | None = None
) -> dict[str, Any]:
    """The referral as this reader may see it (``statuses``: where it may move it now)."""
    r: Referral = view.referral
    visible = view.person_visible
    data: dict[str, Any] = {
        "id": r.public_id,
        "direction": "received" if view.receiver else "sent",
        "status": r.status,
        "sending_organisation": _org(r.organisation),
        "receiving_organisation": _org(r.receiving_organisation),
        "service": {"id": r.service.pk, "name": r.service.name},
        "sent_at": r.sent_at,
        "last_update_at": r.last_update_at,
        "overdue": view.overdue,
        "person_visible": visible,
        "consent_withdrawn": view.consent_withdrawn,
        "sent_without_consent": r.consent_id is None,
        "person": view.person if visible and view.person else None,
        "question": r.question if visible else None,
        "reason": r.reason if visible else None,
        "outcome": r.outcome if visible else None,
        "domains": view.domains,
        "allowed_actions": [ACTION_OF[s] for s in statuses if s in ACTION_OF],
    }
    if history is not None:
        data["shared"] = (
            {k: v for k, v in view.shared.items() if k != "person"} if visible else None
        )
        data["history"] = [
            {
                "at": c.at,
                "from_status": c.from_status,
                "to_status": c.to_status,
                "organisation": c.by.organisation.name if c.by.organisation else None,
                "note": c.note if visible else None,
            }
            for c in history
        ]
    return data


class TransitionNote(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, help_text="A note for the history."
    )


class TransitionReason(TransitionNote):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX)


class TransitionReasonRequired(TransitionNote):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the referral is declined.")


class TransitionOutcome(TransitionNote):
    outcome = serializers.CharField(max_length=NOTE_MAX, help_text="What came of the referral.")
