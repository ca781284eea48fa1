"""The base of every API view, and the access-log helper.

A new endpoint (in ``tandem/api/<family>/views.py``) subclasses ``ApiView`` (or
``ApiListView`` for a cursor-paginated, filtered list), declares ``required_scopes`` (method →
scope, ``permissions.HasScope``), reads through the access layer's selectors as
``request.user`` (the client's service user: 404 for what it may not see), writes through the
same services as the pages, and logs every person it returns with ``log_persons_returned``.
This base logs the request (``ApiRequest``), sends ``Cache-Control: no-store`` (answers may
carry person data) and answers errors as problem details (``errors.api_exception_handler``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.capabilities import has_capability
from tandem.access.log import log_persons_shown
from tandem.common.request_id import request_id_of

from .models import ApiClient
from .services import api_request_record

if TYPE_CHECKING:
    from tandem.registry.models import Person


def log_persons_returned(request: Request, persons: Iterable[Person], *, what: str) -> None:
    """One access-log row per person an answer returns, with the client's purpose (and the
    client named in ``what``)."""
    client = request.auth
    assert isinstance(client, ApiClient)
    unique = list({p.pk: p for p in persons}.values())
    if unique:
        log_persons_shown(
            request,  # type: ignore[arg-type]
            unique,
            what=f"API {what} ({client.name})"[:120],
            purpose=client.purpose,
        )


def capability_check(request: Request, capability: str) -> None:
    """403 unless the service user's role has ``capability`` (as the page's
    ``capability_required``): the scope says what the client may call, the role what its user
    may do."""
    if not has_capability(request.user, capability):  # type: ignore[arg-type]
        raise PermissionDenied


def _route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else request.path


class ApiMixin:
    required_scopes: dict[str, str] = {}

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Cache-Control"] = "no-store"
        django_request = request._request
        client = request.auth if isinstance(request.auth, ApiClient) else None
        api_request_record(
            client=client,
            token=getattr(django_request, "api_token", None) if client else None,
            method=request.method or "",
            route=_route_of(django_request),
            status=response.status_code,
            request_id=request_id_of(django_request),
            ip_address=django_request.META.get("REMOTE_ADDR") or None,
        )
        return response


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, ListAPIView):
    """A list: cursor pagination (``pagination.ApiCursorPagination``) and django-filter
    (``filterset_class``). Override ``list`` to log the persons of the page returned."""


@extend_schema(exclude=True)
class NotFound(ApiView):
    """Any /api/ path no route matches: 404 as problem details, whatever the method and token."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound

    get = post = put = patch = delete = options = _not_found
