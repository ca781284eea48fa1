"""Errors as problem details (RFC 9457, ``application/problem+json``).

Every error the API answers has ``type`` (``about:blank``: the status says it), ``title`` (the
status's phrase), ``status``, ``detail`` (what went wrong, in the request's language),
``code`` (a stable machine code) and, for bad input, ``errors``: one entry per field, named as
the request named it (``reason``, ``items.2.status``; ``null`` for the request as a whole).
A service's ``ValidationError`` (a rule of the domain) and ``PermissionError`` (a refused
action) are answered here too, as 400 and 403, like the pages do; a move the state machine
does not allow from the current status (``TransitionNotAllowed``) is 409.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tandem.common.request_id import request_id_of
from tandem.common.states import TransitionNotAllowed

PROBLEM_CONTENT_TYPE = "application/problem+json"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the resource's ETag in an If-Match header: read it first.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource changed since you read it (its ETag differs): read it again.")
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This change is not possible from the resource's current state.")
    default_code = "conflict"


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested error detail as a flat list of {field, message, code}."""
    out: list[dict[str, Any]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            for item in detail:
                out.append(
                    {
                        "field": prefix or None,
                        "message": str(item),
                        "code": getattr(item, "code", None) or "invalid",
                    }
                )
        else:
            for index, item in enumerate(detail):
                if item:
                    out += _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        out.append(
            {
                "field": prefix or None,
                "message": str(detail),
                "code": getattr(detail, "code", None) or "invalid",
            }
        )
    return out


def problem(
    status_code: int, detail: str, *, code: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        exc = Conflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, PermissionDenied) or (
        isinstance(exc, PermissionError) and getattr(exc, "errno", None) is None
    ):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # a server error: Django's 500 handling, logged with the request id
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = str(_("The request has errors: see “errors”, one per field."))
        code = "invalid"
    else:
        errors = None
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else str(exc)
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    body = problem(response.status_code, detail, code=str(code), errors=errors)
    request = context.get("request")
    body["request_id"] = request_id_of(getattr(request, "_request", None))
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
