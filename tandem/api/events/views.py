"""The change feed (``events:read``): ``GET /api/v1/events/?since=<cursor>`` answers what
happened to the client's referrals after the cursor — sent, answered, started, completed,
withdrawn — oldest first, so a partner system hears about a referral without polling every
record. Webhooks are not built: Tandem makes no outgoing calls (no partner endpoint is
reachable from it, and a push would need a signed, retried delivery queue); the feed gives the
same news on the client's schedule.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
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
    since = serializers.CharField(
        required=False,
        max_length=100,
        help_text="The `next` of the previous answer (leave out to start at the beginning). "
        "Opaque: do not build it.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text="At most this many events.",
    )


class EventFeed(ApiView):
    required_scopes = {"GET": Scope.EVENTS_READ}

    @extend_schema(
        tags=["events"],
        summary="What happened to the client's referrals since a cursor",
        parameters=[FeedQuery],
        responses={
            200: s.Feed,
            (404, "application/problem+json"): OpenApiResponse(
                {"$ref": "#/components/schemas/Problem"},
                description="`since` is no cursor this feed gave.",
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query = FeedQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        since = query.validated_data.get("since", "")
        limit = query.validated_data["limit"]
        try:
            after = selectors.position_of(since)
        except selectors.BadCursor:
            # As the lists' cursors: a position the feed never gave is not found.
            raise exceptions.NotFound(
                _("Not a cursor of this feed: send the “next” of an answer.")
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
