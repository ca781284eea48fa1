"""The administrator's API pages: register a client (its service user is made), issue a token
that is shown once, revoke it; every step audited."""

from __future__ import annotations

import re

import pytest

from tandem.accounts.models import Role
from tandem.api.models import ApiClient, ApiToken
from tandem.audit.models import AuditEvent
from tests.factories import make_user

from .helpers import http

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organisation):
    client.force_login(make_user(Role.ADMIN, organisation=organisation))
    return client


def test_register_issue_once_use_and_revoke(admin_client, ocmw):
    page = admin_client.get("/admin/api/apiclient/add/")
    assert page.status_code == 200
    assert 'value="referrals:read"' in page.content.decode()
    response = admin_client.post(
        "/admin/api/apiclient/add/",
        {
            "organisation": ocmw.pk,
            "name": "Sociaal dossier",
            "purpose": "opvolging van doorverwijzingen",
            "scopes": ["referrals:read", "referrals:write"],
            "requests_per_minute": "60",
            "role": Role.WELFARE_PARTNER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = ApiClient.objects.get()
    assert client.service_user.organisation == ocmw
    assert client.service_user.role_codes == {Role.WELFARE_PARTNER}
    assert client.scopes == ["referrals:read", "referrals:write"]

    issued = admin_client.post(
        "/admin/api/apiclient/",
        {"action": "issue_tokens", "_selected_action": [client.pk]},
    )
    assert issued.status_code == 200 and issued["Cache-Control"] == "no-store"
    token = re.search(r"tdm_[0-9a-f]{8}_[\w-]+", issued.content.decode()).group(0)
    assert http(token).get("/api/v1/referrals/inbox/").status_code == 200
    # The token is never shown again: the token list shows its prefix only.
    listing = admin_client.get("/admin/api/apitoken/").content.decode()
    assert token not in listing and token.split("_")[1] in listing

    stored = ApiToken.objects.get()
    revoked = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke_tokens", "_selected_action": [stored.pk]}
    )
    assert revoked.status_code == 302
    assert http(token).get("/api/v1/referrals/inbox/").status_code == 401
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"api.client_registered", "api.token_issued", "api.token_revoked"} <= events
    assert token not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_a_client_never_acts_as_an_administrator(admin_client, ocmw):
    response = admin_client.post(
        "/admin/api/apiclient/add/",
        {
            "organisation": ocmw.pk,
            "name": "X",
            "purpose": "x",
            "scopes": ["referrals:read"],
            "requests_per_minute": "60",
            "role": Role.ADMIN,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not ApiClient.objects.exists()


def test_change_scopes_and_switch_off(admin_client, ocmw):
    from .helpers import api_client_for

    client, token = api_client_for(ocmw)
    response = admin_client.post(
        f"/admin/api/apiclient/{client.pk}/change/",
        {
            "purpose": "anders",
            "scopes": ["referrals:read"],
            "requests_per_minute": "30",
            "is_active": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.refresh_from_db()
    assert (client.purpose, client.scopes, client.is_active) == (
        "anders",
        ["referrals:read"],
        False,
    )
    assert http(token).get("/api/v1/referrals/inbox/").status_code == 401
    assert AuditEvent.objects.filter(event_type="api.client_updated").exists()
