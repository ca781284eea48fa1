"""Bearer tokens: ``Authorization: Bearer tdm_<prefix>_<secret>``.

``request.user`` becomes the client's service user (so the access layer decides what the call
sees, as for a person of that organisation with that role), ``request.auth`` the ``ApiClient``.
No session authentication: a browser's login never reaches the API, and without it no API view
needs a CSRF token (DRF exempts its views; CSRF guards cookie-borne credentials only).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .services import api_token_authenticate

KEYWORD = "Bearer"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # no credentials: the permission check answers 401
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ”."))
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        token = api_token_authenticate(raw)
        if token is None:
            # One answer for unknown, wrong, expired and revoked tokens and inactive clients.
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        request._request.api_token = token  # type: ignore[attr-defined]
        return token.client.service_user, token.client

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'
