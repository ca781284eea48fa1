"""The group-work family, for a group-work partner's client acting as a coach of the programme
(``groupwork.coach``; its service user among the programme's coaches): the requests waiting for
a decision, one enrolment (``ETag``) and the answers to it (accept, decline with a reason —
``enrolment_decide`` with ``If-Match``), the groups (intake moments) and one group with its
sessions and participants (``groupwork:read``), and attendance of a session in bulk
(``groupwork:write``): all or nothing, through ``attendance_record`` as the attendance page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.groupwork.enrolment import follow_up, services
from tandem.groupwork.enrolment import selectors as gselectors
from tandem.groupwork.models import Enrolment, EnrolmentStatus

from ..conditional import etag_of, if_match_check
from ..errors import Conflict
from ..headers import ETAG, if_match
from ..scopes import Scope
from ..views import ApiListView, ApiView, capability_check, log_persons_returned
from . import selectors
from . import serializers as s

COACH = "groupwork.coach"
_NOT_IN_GROUP = _("Someone in the list is not in this group.")
_TWICE = _("This person is in the list twice.")
_DECIDED = _("This request has already been decided.")
_TOO_EARLY = _("Attendance is taken on or after the session's day.")


class NotInGroup(serializers.ValidationError):
    """An item names someone who is not in the session's group: the list conflicts with the
    group as it is (409), each such item named (``items.<index>.enrolment``)."""

    status_code = 409


CONFLICT_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Problem details: the session has not taken place yet, or an item names "
    "someone who is not in its group (``errors`` names the items).",
)


def enrolment_etag(enrolment: Enrolment) -> str:
    return etag_of(
        "enrolment",
        enrolment.public_id,
        enrolment.status,
        enrolment.decided_on,
        enrolment.updated_at.isoformat(),
    )


@extend_schema(tags=["groupwork"], summary="Enrolment requests waiting for a decision")
class RequestList(ApiListView):
    """The requests of the programmes the client coaches, as the partner's inbox shows them."""

    required_scopes = {"GET": Scope.GROUPWORK_READ}
    serializer_class = s.EnrolmentSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no user
            return selectors.requests(AnonymousUser())  # type: ignore[arg-type]
        return selectors.requests(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        capability_check(request, COACH)
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        log_persons_returned(
            request, [e.trajectory.person for e in page], what="group work: requests"
        )
        rows = [s.enrolment_data(e) for e in page]
        return self.get_paginated_response(s.EnrolmentSerializer(rows, many=True).data)


def _enrolment(request: Request, enrolment: Enrolment, *, what: str) -> Response:
    log_persons_returned(request, [enrolment.trajectory.person], what=what)
    response = Response(s.EnrolmentSerializer(s.enrolment_data(enrolment)).data)
    response["ETag"] = enrolment_etag(enrolment)
    return response


class EnrolmentDetail(ApiView):
    required_scopes = {"GET": Scope.GROUPWORK_READ}

    @extend_schema(
        tags=["groupwork"],
        summary="One enrolment",
        parameters=[ETAG],
        responses={200: s.EnrolmentSerializer},
    )
    def get(self, request: Request, enrolment_id: str) -> Response:
        capability_check(request, COACH)
        enrolment = gselectors.enrolment_get_for(request.user, enrolment_id)  # type: ignore[arg-type]
        return _enrolment(request, enrolment, what="group work: enrolment")


class _Decide(ApiView):
    required_scopes = {"POST": Scope.GROUPWORK_WRITE}
    accept = True
    body: type[serializers.Serializer] = s.DecisionNote

    def post(self, request: Request, enrolment_id: str) -> Response:
        capability_check(request, COACH)
        user = request.user
        enrolment = gselectors.enrolment_get_for(user, enrolment_id)  # type: ignore[arg-type]
        if_match_check(request, enrolment_etag(enrolment))
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        if enrolment.status != EnrolmentStatus.REQUESTED:
            raise Conflict(_DECIDED)
        # The service decides: 403 for a user who does not coach the programme, 400 for a
        # missing reason or a project that does not fund the day.
        services.enrolment_decide(
            acting_user=user,  # type: ignore[arg-type]
            enrolment=enrolment,
            accept=self.accept,
            note=body.validated_data.get("note", ""),
        )
        enrolment = gselectors.enrolment_get_for(user, enrolment_id)  # type: ignore[arg-type]
        return _enrolment(request, enrolment, what="group work: request decided")


def _decision(accept: bool, body: type[serializers.Serializer], summary: str) -> type[_Decide]:
    name = "accept" if accept else "decline"
    view = type(
        f"Enrolment{name.title()}", (_Decide,), {"accept": accept, "body": body, "__doc__": summary}
    )
    return extend_schema_view(
        post=extend_schema(
            tags=["groupwork"],
            summary=summary,
            operation_id=f"groupwork_enrolment_{name}",
            request=body,
            parameters=[if_match("enrolment (GET /groupwork/enrolments/{enrolment_id}/)"), ETAG],
            responses={200: s.EnrolmentSerializer},
        )
    )(view)


EnrolmentAccept = _decision(True, s.DecisionNote, "Accept: a place in a group or the waiting list")
EnrolmentDecline = _decision(False, s.DecisionReason, "Decline the request, with a reason")


@extend_schema(tags=["groupwork"], summary="The groups (intake moments) the client coaches")
class IntakeList(ApiListView):
    required_scopes = {"GET": Scope.GROUPWORK_READ}
    serializer_class = s.IntakeSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no user
            return selectors.coached_intakes(AnonymousUser())  # type: ignore[arg-type]
        return selectors.coached_intakes(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        capability_check(request, COACH)
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        rows = [s.intake_data(i) for i in page]
        return self.get_paginated_response(s.IntakeSerializer(rows, many=True).data)


class IntakeDetail(ApiView):
    required_scopes = {"GET": Scope.GROUPWORK_READ}

    @extend_schema(
        tags=["groupwork"],
        summary="One group: its sessions and participants",
        responses={200: s.IntakeDetailSerializer},
    )
    def get(self, request: Request, intake_id: int) -> Response:
        capability_check(request, COACH)
        intake = gselectors.coached_intake_get_for(request.user, intake_id)  # type: ignore[arg-type]
        sessions = gselectors.intake_sessions(intake)
        participants = gselectors.intake_participants(intake)
        log_persons_returned(
            request, [e.trajectory.person for e in participants], what="group work: group list"
        )
        data = s.intake_detail_data(intake, sessions, participants)
        return Response(s.IntakeDetailSerializer(data).data)


class AttendanceRecord(ApiView):
    required_scopes = {"POST": Scope.GROUPWORK_WRITE}

    @extend_schema(
        tags=["groupwork"],
        summary="Record a session's attendance (all or nothing)",
        description="Every item names an enrolment of the session's group and its status. One "
        "bad item refuses the whole list (400, the item named as `items.<index>.<field>`); "
        "nothing is written then.",
        request=s.AttendanceBody,
        responses={
            200: s.AttendanceSerializer,
            (409, "application/problem+json"): CONFLICT_RESPONSE,
        },
    )
    def post(self, request: Request, session_id: int) -> Response:
        capability_check(request, COACH)
        user = request.user
        session = gselectors.coached_session_get_for(user, session_id)  # type: ignore[arg-type]
        body = s.AttendanceBody(data=request.data)
        body.is_valid(raise_exception=True)
        if session.on > timezone.localdate():
            raise Conflict(_TOO_EARLY)
        participants = {e.public_id: e for e in gselectors.session_participants(session)}
        statuses: dict[int, str] = {}
        errors: dict[str, Any] = {}
        items = body.validated_data["items"]
        strangers = {
            f"items.{i}.enrolment": [serializers.ErrorDetail(str(_NOT_IN_GROUP), "not_in_group")]
            for i, item in enumerate(items)
            if item["enrolment"] not in participants
        }
        if strangers:
            raise NotInGroup(strangers)
        for index, item in enumerate(items):
            enrolment = participants[item["enrolment"]]
            if enrolment.pk in statuses:
                errors[f"items.{index}.enrolment"] = [
                    serializers.ErrorDetail(str(_TWICE), code="duplicate")
                ]
            else:
                statuses[enrolment.pk] = item["status"]
        if errors:
            raise serializers.ValidationError(errors)
        # The service refuses a user who does not coach the programme (403); it writes every
        # row or none (one transaction).
        flagged = follow_up.attendance_record(
            acting_user=user,  # type: ignore[arg-type]
            session=session,
            statuses=statuses,
        )
        recorded = gselectors.attendance_recorded(session)
        people = list(participants.values())
        log_persons_returned(
            request, [e.trajectory.person for e in people], what="group work: attendance"
        )
        data = {
            "session": session.pk,
            "on": session.on,
            "items": [
                {
                    **s.participant_data(e),
                    "enrolment": e.public_id,
                    "status": recorded.get(e.pk),
                }
                for e in people
            ],
            "dropout_signals": [e.public_id for e in flagged],
        }
        return Response(s.AttendanceSerializer(data).data)
