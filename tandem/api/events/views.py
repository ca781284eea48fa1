"""The change feed (``events:read``): ``GET /api/v1/events/?since=<cursor>`` answers what
happened to the client's referrals after the cursor — sent, answered, started, completed,
withdrawn — oldest first, so a partner system hears about a referral without polling every
record. Webhooks are not built: Tandem makes no outgoing calls (no partner endpoint is
reachable from it, and a push would need a signed, retried delivery queue); the feed gives the
same news on the client's schedule.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ..scopes import Scope
from ..views import ApiView
from . import selectors
from . import serializers as s

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class FeedQuery(serializers.Serializer):
    since = serializers.CharField(required=False, allow_blank=True, max_length=100)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
    )


class EventFeed(ApiView):
    required_scopes = {"GET": Scope.EVENTS_READ}

    @extend_schema(
        tags=["events"],
        summary="What happened to the client's referrals since a cursor",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="The `next` of the previous answer (leave out to start at the "
                "beginning). Opaque: do not build it.",
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"At most this many events (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}).",
            ),
        ],
        responses={200: s.Feed},
    )
    def get(self, request: Request) -> Response:
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data.get("since", "")
        limit = query.validated_data["limit"]
        try:
            after = selectors.position_of(since)
        except selectors.BadCursor:
            raise exceptions.ValidationError(
                {"since": [_("Not a cursor of this feed: send the “next” of an answer.")]}
            ) from None
        user = request.user
        changes = selectors.changes_for(user, after, limit)  # type: ignore[arg-type]
        shown = changes[:limit]
        data = {
            "events": [s.event_data(c, user) for c in shown],  # type: ignore[arg-type]
            "next": selectors.cursor_of(shown[-1].pk) if shown else (since or ""),
            "has_more": len(changes) > limit,
        }
        return Response(s.Feed(data).data)
