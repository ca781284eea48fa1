"""The trajectories family: the client's visible trajectories (``trajectories:read``, cursor,
filters status and person), one with its plan in the life domains the client may see (with
``ETag``), one action (``ETag``), and the writes (``trajectories:write``) through the services
the trajectory page uses: a contact or note (``contact_record``) and an action's status — done,
dropped with a reason, open again (``action_set_status``, with ``If-Match``: 428 without it,
412 when the action changed since it was read). The service decides who may write (the duo,
and mediators of the trajectory's office: else 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.access.scope import domains_visible_to, trajectory_get_for
from tandem.trajectories.models import Action, ActionStatus, Trajectory
from tandem.trajectories.plan import selectors as plan_selectors
from tandem.trajectories.plan import services as plan_services

from ..conditional import etag_of, if_match_check
from ..headers import ETAG, if_match
from ..scopes import Scope
from ..views import ApiListView, ApiView, capability_check, log_persons_returned
from . import selectors
from . import serializers as s
from .filters import TrajectoryFilter


def trajectory_etag(trajectory: Trajectory, goals: list[Any], planned: list[Any]) -> str:
    """Changes when the trajectory, any goal or action shown, or its planned contacts change."""
    parts: list[Any] = [trajectory.public_id, trajectory.status, trajectory.updated_at.isoformat()]
    parts += [f"{c.pk}:{c.status}:{c.updated_at.isoformat()}" for c in planned]
    for g in goals:
        parts += [g.pk, g.updated_at.isoformat()]
        parts += [f"{a.pk}:{a.status}:{a.updated_at.isoformat()}" for a in g.actions.all()]
    return etag_of("trajectory", *parts)


def action_etag(action: Action) -> str:
    return etag_of(
        "action",
        action.pk,
        action.status,
        action.done_on,
        action.dropped_reason,
        action.updated_at.isoformat(),
    )


@extend_schema(tags=["trajectories"], summary="The trajectories the client may see")
class TrajectoryList(ApiListView):
    """Newest first. ``person`` filters on a person's id, ``status`` on the trajectory's status."""

    required_scopes = {"GET": Scope.TRAJECTORIES_READ}
    serializer_class = s.TrajectorySerializer
    filterset_class = TrajectoryFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no user
            return selectors.trajectories(AnonymousUser())  # type: ignore[arg-type]
        return selectors.trajectories(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        capability_check(request, "person.read")
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        log_persons_returned(request, [t.person for t in page], what="trajectories")
        rows = [s.trajectory_data(t) for t in page]
        return self.get_paginated_response(s.TrajectorySerializer(rows, many=True).data)


class TrajectoryDetail(ApiView):
    required_scopes = {"GET": Scope.TRAJECTORIES_READ}

    @extend_schema(
        tags=["trajectories"],
        summary="One trajectory with its plan (the life domains the client may see)",
        parameters=[ETAG],
        responses={200: s.TrajectoryDetailSerializer},
    )
    def get(self, request: Request, trajectory_id: str) -> Response:
        capability_check(request, "person.read")
        user = request.user
        trajectory = trajectory_get_for(user, trajectory_id)  # type: ignore[arg-type]
        visible = domains_visible_to(user, trajectory)  # type: ignore[arg-type]
        goals = selectors.visible_goals(user, trajectory)  # type: ignore[arg-type]
        planned = plan_selectors.planned_contacts_of(trajectory)
        log_persons_returned(request, [trajectory.person], what="trajectory")
        data = s.trajectory_detail_data(trajectory, goals, visible, planned)
        response = Response(s.TrajectoryDetailSerializer(data).data)
        response["ETag"] = trajectory_etag(trajectory, goals, planned)
        return response


def _action(request: Request, action: Action) -> Response:
    response = Response(s.ActionSerializer(s.action_data(action)).data)
    response["ETag"] = action_etag(action)
    return response


class ActionDetail(ApiView):
    required_scopes = {"GET": Scope.TRAJECTORIES_READ}

    @extend_schema(
        tags=["trajectories"],
        summary="One action of the plan",
        parameters=[ETAG],
        responses={200: s.ActionSerializer},
    )
    def get(self, request: Request, trajectory_id: str, action_id: int) -> Response:
        capability_check(request, "person.read")
        user = request.user
        trajectory = trajectory_get_for(user, trajectory_id)  # type: ignore[arg-type]
        action = selectors.visible_action(user, trajectory, action_id)  # type: ignore[arg-type]
        log_persons_returned(request, [trajectory.person], what="plan action")
        return _action(request, action)


class ActionStatusChange(ApiView):
    """Move an action: ``action_set_status`` decides (403 for who may not change the
    trajectory)."""

    required_scopes = {"POST": Scope.TRAJECTORIES_WRITE}
    status = ""
    body: type[serializers.Serializer] = s.ActionReopenBody

    def post(self, request: Request, trajectory_id: str, action_id: int) -> Response:
        capability_check(request, "person.read")
        user = request.user
        trajectory = trajectory_get_for(user, trajectory_id)  # type: ignore[arg-type]
        action = selectors.visible_action(user, trajectory, action_id)  # type: ignore[arg-type]
        if_match_check(request, action_etag(action))
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        action = plan_services.action_set_status(
            acting_user=user,  # type: ignore[arg-type]
            action=action,
            status=self.status,
            on=body.validated_data.get("on"),
            reason=body.validated_data.get("reason", ""),
        )
        log_persons_returned(request, [trajectory.person], what="plan action updated")
        return _action(request, action)


def _action_move(
    name: str, status: str, body: type[serializers.Serializer], summary: str
) -> type[ActionStatusChange]:
    view = type(
        f"Action{name.title()}",
        (ActionStatusChange,),
        {"status": status, "body": body, "__doc__": summary},
    )
    return extend_schema_view(
        post=extend_schema(
            tags=["trajectories"],
            summary=summary,
            operation_id=f"trajectory_action_{name}",
            request=body,
            parameters=[if_match("action (GET …/actions/{action_id}/)"), ETAG],
            responses={200: s.ActionSerializer},
        )
    )(view)


ActionDone = _action_move("done", ActionStatus.DONE, s.ActionDoneBody, "Mark the action done")
ActionDrop = _action_move(
    "drop", ActionStatus.DROPPED, s.ActionDropBody, "Drop the action, with a reason"
)
ActionReopen = _action_move(
    "reopen", ActionStatus.OPEN, s.ActionReopenBody, "Open the action again"
)


class ContactCreate(ApiView):
    required_scopes = {"POST": Scope.TRAJECTORIES_WRITE}

    @extend_schema(
        tags=["trajectories"],
        summary="Record a contact that took place, or a note",
        request=s.ContactBody,
        responses={201: s.ContactSerializer},
    )
    def post(self, request: Request, trajectory_id: str) -> Response:
        capability_check(request, "person.read")
        user = request.user
        trajectory = trajectory_get_for(user, trajectory_id)  # type: ignore[arg-type]
        body = s.ContactBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        domain = data.get("domain", "")
        contact = plan_services.contact_record(
            acting_user=user,  # type: ignore[arg-type]
            trajectory=trajectory,
            kind=data["kind"],
            on=data["on"],
            text=data.get("text", ""),
            place=data.get("place", ""),
            domain=domain,
        )
        log_persons_returned(request, [trajectory.person], what="contact recorded")
        return Response(s.ContactSerializer(s.contact_data(contact, trajectory)).data, status=201)


class PlannedContactCreate(ApiView):
    """Plan a contact through ``contact_plan``, the service of the page's "Contact plannen"
    form: it decides who may (the duo and the office's mediators, else 403)."""

    required_scopes = {"POST": Scope.TRAJECTORIES_WRITE}

    @extend_schema(
        tags=["trajectories"],
        summary="Plan a contact with the person: a day, a time, the kind",
        request=s.PlannedContactBody,
        responses={201: s.PlannedContactSerializer},
    )
    def post(self, request: Request, trajectory_id: str) -> Response:
        capability_check(request, "person.read")
        user = request.user
        trajectory = trajectory_get_for(user, trajectory_id)  # type: ignore[arg-type]
        body = s.PlannedContactBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = plan_services.contact_plan(
            acting_user=user,  # type: ignore[arg-type]
            trajectory=trajectory,
            kind=data["kind"],
            on=data["on"],
            at=dt.time.fromisoformat(data["at"]),
            minutes=data.get("minutes"),
            place=data.get("place", ""),
            purpose=data.get("purpose", ""),
        )
        log_persons_returned(request, [trajectory.person], what="contact planned")
        return Response(
            s.PlannedContactSerializer(s.planned_contact_data(contact, trajectory)).data,
            status=201,
        )
