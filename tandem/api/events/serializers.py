"""A row of the change feed: which referral changed, how and when — never who it is about.

The person is not in the feed (not even by id): a client that wants to know more reads the
referral (``GET /referrals/{id}/``), which shows what the reader may see and logs the person.
So the feed returns no person and writes no access-log row; the request log records the read.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tandem.accounts.models import User
from tandem.network.models import ReferralStatus, ReferralStatusChange

from ..referrals.serializers import OrganisationRef
from .selectors import cursor_of

TYPES = [("referral_sent", "referral_sent"), ("referral_status_changed", "referral_status_changed")]


class FeedEvent(serializers.Serializer):
    cursor = serializers.CharField(help_text="This event's position: ?since= it for what follows.")
    event = serializers.ChoiceField(choices=TYPES, help_text="What happened.")
    at = serializers.DateTimeField()
    referral = serializers.UUIDField(help_text="GET /api/v1/referrals/{id}/ for the referral.")
    direction = serializers.ChoiceField(choices=[("received", "received"), ("sent", "sent")])
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.ChoiceField(choices=ReferralStatus.choices)
    by_organisation = OrganisationRef(allow_null=True)
    sending_organisation = OrganisationRef()
    receiving_organisation = OrganisationRef()


class Feed(serializers.Serializer):
    events = FeedEvent(many=True)
    next = serializers.CharField(
        help_text="Send it as ?since= next time (the last event's cursor, or yours if none)."
    )
    has_more = serializers.BooleanField(help_text="More events follow at once: ask again now.")


def _org(org: Any) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def event_data(change: ReferralStatusChange, user: User) -> dict[str, Any]:
    referral = change.referral
    return {
        "cursor": cursor_of(change.pk),
        "event": "referral_sent" if not change.from_status else "referral_status_changed",
        "at": change.at,
        "referral": referral.public_id,
        "direction": (
            "received" if referral.receiving_organisation_id == user.organisation_id else "sent"
        ),
        "from_status": change.from_status,
        "to_status": change.to_status,
        "by_organisation": _org(change.by.organisation),
        "sending_organisation": _org(referral.organisation),
        "receiving_organisation": _org(referral.receiving_organisation),
    }
