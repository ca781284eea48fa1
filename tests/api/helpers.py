"""Helpers for the API tests: a registered client with a token, and a client that sends it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from rest_framework.test import APIClient

from tandem.accounts.models import Organisation, Role
from tandem.api.models import ApiClient
from tandem.api.scopes import Scope
from tandem.api.services import api_client_register, api_token_issue


def api_client_for(
    organisation: Organisation,
    *,
    scopes: Iterable[str] = tuple(Scope.values),
    role: str = Role.WELFARE_PARTNER,
    name: str = "Partner system",
    purpose: str = "referral follow-up in the partner's case system",
    requests_per_minute: int = 10_000,
) -> tuple[ApiClient, str]:
    """A registered API client of ``organisation`` and a fresh token (the raw string)."""
    client = api_client_register(
        acting_user=None,
        organisation=organisation,
        name=name,
        purpose=purpose,
        scopes=scopes,
        role=role,
        requests_per_minute=requests_per_minute,
    )
    _token, raw = api_token_issue(acting_user=None, client=client)
    return client, raw


def http(token: str | None = None) -> APIClient:
    """A test client that sends ``Authorization: Bearer <token>`` (none without a token)."""
    cache.clear()  # rate counts of an earlier test
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def problem_fields(response: Any) -> list[str | None]:
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return [e["field"] for e in response.json().get("errors", [])]
