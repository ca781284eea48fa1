"""The directory family: the services directory as HSDS 3 JSON (``directory:read``) — the
documents the HSDS export writes, so the API and the export cannot differ — and a change of
one of the organisation's own services (``directory:write``, ``PATCH`` with ``If-Match``)
through ``service_update``, the directory form's service. Another organisation's service is
404 to a change (it is readable, as on the pages: the directory is open to every user). No
person is in the directory: no access-log row; the request log records the call.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.network.directory import services as directory_services
from tandem.network.models import Service

from ..conditional import etag_of, if_match_check
from ..scopes import Scope
from ..views import ApiView, capability_check
from . import selectors
from . import serializers as s

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the service as last read (GET /directory/services/{id}/).",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The service's version: send it as If-Match to change the service.",
)


def service_etag(service: Service) -> str:
    return etag_of(
        "service",
        service.pk,
        service.updated_at.isoformat(),
        ",".join(sorted(service.life_domains or [])),
    )


def _answer(service: Service) -> Response:
    response = Response(selectors.service_document(service))
    response["ETag"] = service_etag(service)
    return response


class Directory(ApiView):
    required_scopes = {"GET": Scope.DIRECTORY_READ}

    @extend_schema(
        tags=["directory"],
        summary="The services directory as HSDS 3 JSON documents",
        responses={200: s.HsdsDirectory},
    )
    def get(self, request: Request) -> Response:
        documents = selectors.directory_documents()
        return Response(
            {
                "organizations": documents["organizations.json"],
                "services": documents["services.json"],
                "locations": documents["locations.json"],
                "service_at_locations": documents["service_at_location.json"],
                "taxonomies": documents["taxonomies.json"],
                "taxonomy_terms": documents["taxonomy_terms.json"],
            }
        )


class DirectoryService(ApiView):
    required_scopes = {"GET": Scope.DIRECTORY_READ, "PATCH": Scope.DIRECTORY_WRITE}

    @extend_schema(
        tags=["directory"],
        summary="One service as its HSDS 3 document, with its ETag",
        parameters=[ETAG],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, service_id: str) -> Response:
        return _answer(selectors.service_for_reading(service_id))

    @extend_schema(
        tags=["directory"],
        summary="Change one of the organisation's own services (If-Match)",
        request=s.ServiceChange,
        parameters=[IF_MATCH, ETAG],
        responses={200: OpenApiTypes.OBJECT},
    )
    def patch(self, request: Request, service_id: str) -> Response:
        capability_check(request, "directory.maintain")
        service = selectors.service_for_change(request.user, service_id)
        if_match_check(request, service_etag(service))
        body = s.ServiceChange(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        life_domains = changes.pop("life_domains", None)
        directory_services.service_update(
            acting_user=request.user,  # type: ignore[arg-type]
            service=service,
            life_domains=life_domains,
            **changes,
        )
        return _answer(selectors.service_for_reading(service_id))
