"""The referrals family: the organisation's inbox and sent list (``referrals:read``), one
referral with its ``ETag``, and the receiver's answers and reports (``referrals:write``, with
``If-Match``) — through the selectors and the ``referral_transition`` service the pages use, so
the API sees and does exactly what the referral pages let the service user see and do.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from tandem.network.models import Referral
from tandem.network.referrals import selectors, services
from tandem.network.referrals.selectors import ReferralView

from ..conditional import etag_of, if_match_check
from ..schema import link
from ..scopes import Scope
from ..views import ApiListView, ApiView, capability_check, log_persons_returned
from . import selectors as api_selectors
from . import serializers as s
from .filters import ReferralFilter

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the referral as last read (GET /referrals/{id}/).",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The referral's version: send it as If-Match to change the referral.",
)


def referral_etag(referral: Referral) -> str:
    return etag_of(
        "referral",
        referral.public_id,
        referral.status,
        referral.last_update_at.isoformat(),
        referral.updated_at.isoformat(),
    )


def _detail(request: Request, referral: Referral, *, what: str) -> Response:
    """One referral as the client's user may see it, its person logged, with its ETag."""
    view = selectors.referral_view_for(request.user, referral)  # type: ignore[arg-type]
    statuses = services.statuses_for(request.user, referral)  # type: ignore[arg-type]
    data = s.referral_data(view, statuses, selectors.history_of(referral))
    if view.person_visible:
        log_persons_returned(request, [referral.person], what=what)
    response = Response(s.ReferralDetailSerializer(data).data)
    response["ETag"] = referral_etag(referral)
    return response


class _ReferralList(ApiListView):
    required_scopes = {"GET": Scope.REFERRALS_READ}
    serializer_class = s.ReferralSerializer
    filterset_class = ReferralFilter
    capability = ""
    what = ""

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no user
            return selectors.referral_queryset_for(AnonymousUser())  # type: ignore[arg-type]
        return self.scoped()

    def scoped(self) -> Any:
        raise NotImplementedError

    def views_of(self, referrals: list[Referral]) -> list[ReferralView]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        capability_check(request, self.capability)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset) or []
        views = self.views_of(list(page))
        user = request.user
        rows = [s.referral_data(v, services.statuses_for(user, v.referral)) for v in views]  # type: ignore[arg-type]
        log_persons_returned(
            request, [v.referral.person for v in views if v.person_visible], what=self.what
        )
        return self.get_paginated_response(s.ReferralSerializer(rows, many=True).data)


@extend_schema(tags=["referrals"], summary="The referrals addressed to the organisation")
class ReferralInbox(_ReferralList):
    """The organisation's inbox, newest first. Of the person only what travelled and what a
    consent in force still covers (``person`` is null once the consent is withdrawn)."""

    capability = "referral.receive"
    what = "referral inbox"

    def scoped(self) -> Any:
        return api_selectors.inbox(self.request.user)  # type: ignore[arg-type]

    def views_of(self, referrals: list[Referral]) -> list[ReferralView]:
        return selectors.inbox_views(self.request.user, referrals)  # type: ignore[arg-type]


@extend_schema(tags=["referrals"], summary="The referrals the organisation sent")
class ReferralSent(_ReferralList):
    """What the organisation sent, for the trajectories the client's user may see."""

    capability = "referral.send"
    what = "referrals sent"

    def scoped(self) -> Any:
        return api_selectors.sent(self.request.user)  # type: ignore[arg-type]

    def views_of(self, referrals: list[Referral]) -> list[ReferralView]:
        return api_selectors.sent_views(self.request.user, referrals)  # type: ignore[arg-type]


class ReferralDetail(ApiView):
    required_scopes = {"GET": Scope.REFERRALS_READ}

    @extend_schema(
        tags=["referrals"],
        summary="One referral, with what travelled and its history",
        parameters=[ETAG],
        responses={200: s.ReferralDetailSerializer},
    )
    def get(self, request: Request, referral_id: str) -> Response:
        capability_check(request, "referral.receive")
        referral = selectors.referral_get_for(request.user, referral_id)  # type: ignore[arg-type]
        return _detail(request, referral, what="referral")


class ReferralTransition(ApiView):
    """Answer or report on a referral: the ``referral_transition`` service decides."""

    required_scopes = {"POST": Scope.REFERRALS_WRITE}
    action = ""
    body: type[Serializer] = s.TransitionNote

    def post(self, request: Request, referral_id: str) -> Response:
        user = request.user
        capability_check(request, "referral.receive")
        referral = selectors.referral_get_for(user, referral_id)  # type: ignore[arg-type]
        if_match_check(request, referral_etag(referral))
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        # The service decides: 403 for a side that may not make this move, 409 for a move the
        # state machine does not allow from the current status, 400 for a missing reason.
        referral = services.referral_transition(
            acting_user=user,  # type: ignore[arg-type]
            referral=referral,
            to_status=s.ACTIONS[self.action],
            **body.validated_data,
        )
        referral = selectors.referral_get_for(user, referral.public_id)  # type: ignore[arg-type]
        return _detail(request, referral, what="referral answered")


def _transition(action: str, body: type[Serializer], summary: str) -> type[ReferralTransition]:
    view = type(
        f"Referral{action.title().replace('-', '')}",
        (ReferralTransition,),
        {"action": action, "body": body, "__doc__": summary},
    )
    return extend_schema_view(
        post=extend_schema(
            tags=["referrals"],
            summary=summary,
            operation_id=f"referral_{action.replace('-', '_')}",
            request=body,
            parameters=[IF_MATCH, ETAG],
            responses={200: s.ReferralDetailSerializer},
        )
    )(view)


ReferralAccept = _transition("accept", s.TransitionNote, "Accept the referral")
ReferralDecline = _transition("decline", s.TransitionReasonRequired, "Decline, with a reason")
ReferralNoCapacity = _transition("no-capacity", s.TransitionReason, "Decline: no capacity")
ReferralStart = _transition("start", s.TransitionNote, "Start: the support is in progress")
ReferralComplete = _transition("complete", s.TransitionOutcome, "Complete, with an outcome")
ReferralNotReached = _transition("not-reached", s.TransitionReason, "The person was not reached")


# How a client walks from the inbox to a referral and on to an answer (OpenAPI links; the
# stateful fuzz run follows them).
link("referrals_inbox_list", "referrals_retrieve", {"referral_id": "$response.body#/results/0/id"})
link("referrals_sent_list", "referrals_retrieve", {"referral_id": "$response.body#/results/0/id"})
for _action in s.ACTIONS:
    _target = f"referral_{_action.replace('-', '_')}"
    _answer = {"referral_id": "$response.body#/id", "header.If-Match": "$response.header.ETag"}
    link("referrals_retrieve", _target, _answer)
    link(_target, "referrals_retrieve", {"referral_id": "$response.body#/id"})
