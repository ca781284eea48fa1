"""The status family: a bulk upload of labour-market status events (``status:write``).

Only for an employment service's client (who runs ``import_status`` today). The items go
through the import itself (``services.status_upload``): the same checks, all or nothing, an
error per item and field. ``Idempotency-Key`` (required) makes a retry safe: the same key with
the same body answers the first upload's counts again (``replayed``: true, nothing imported);
the same key with another body is 422. No person is returned, so no access-log row is written
(as the import writes none); the request log and the upload's audit event record it.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..scopes import Scope
from ..views import ApiView
from . import selectors, services
from . import serializers as s

KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # serializers.KEY_MAX
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r"^[\x21-\x7e]{1,100}$",
    description=(
        "A key the client chooses per upload (1–100 visible ASCII characters). The same key "
        "with the same body answers the first upload's counts again without importing; the "
        "same key with another body is 422."
    ),
)
PROBLEM = {"$ref": "#/components/schemas/Problem"}


class StatusUpload(ApiView):
    required_scopes = {"POST": Scope.STATUS_WRITE}

    @extend_schema(
        tags=["status"],
        summary="Upload labour-market status events (all or nothing, idempotent by key)",
        request=s.StatusUpload,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: s.StatusUploadResult,
            200: OpenApiResponse(s.StatusUploadResult, description="A replay: nothing imported."),
            (422, "application/problem+json"): OpenApiResponse(
                PROBLEM, description="The Idempotency-Key was used for another body."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        client = request.auth
        if not selectors.may_upload_status(client):  # type: ignore[arg-type]
            raise PermissionDenied
        key = request.headers.get("Idempotency-Key", "")
        if not KEY.match(key):
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("Send a key of 1 to 100 visible ASCII characters.")]}
            )
        body = s.StatusUpload(data=request.data)
        body.is_valid(raise_exception=True)
        counts, replayed = services.status_upload(
            client=client,  # type: ignore[arg-type]
            acting_user=request.user,  # type: ignore[arg-type]
            key=key,
            body=request.data,
            items=body.validated_data["items"],
            source=body.validated_data.get("source", ""),
        )
        return Response(
            s.StatusUploadResult(s.result_data(key, counts, replayed=replayed)).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )
