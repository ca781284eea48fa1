"""Scopes per view and method.

An API view declares ``required_scopes``: HTTP method → scope (``{"GET": Scope.REFERRALS_READ,
"POST": Scope.REFERRALS_WRITE}``). A method without a scope is refused (403), so a view that
forgets to declare one is closed, not open. What the call may see within its scope is the
access layer's answer for the service user (404 for what it may not see).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiClient


def required_scope(view: Any, method: str) -> str | None:
    scopes = getattr(view, "required_scopes", None) or {}
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return scopes.get(method)


class HasScope(BasePermission):
    message = _("This API client does not have the scope this call needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        method = (request.method or "GET").lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # no handler: DRF answers 405 (Method Not Allowed)
        scope = required_scope(view, request.method or "GET")
        return scope is not None and client.has_scope(scope)


class IsApiClient(BasePermission):
    """Authenticated with an API token (answers 401 without one)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, ApiClient) and bool(request.user.is_authenticated)
