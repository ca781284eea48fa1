"""The API's foundation: tokens, scopes, request log, errors, rate limits, schema and docs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.api.models import ApiRequest, ApiToken
from tandem.api.scopes import Scope
from tandem.api.services import api_token_revoke, secret_hash
from tandem.audit.models import AuditEvent

from .helpers import api_client_for, http

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/referrals/inbox/"


def test_a_token_is_stored_hashed_and_shown_once(ocmw):
    client, raw = api_client_for(ocmw)
    token = ApiToken.objects.get(client=client)
    prefix, secret = raw.split("_")[1], raw.split("_", 2)[2]
    assert token.prefix == prefix
    assert token.secret_hash == secret_hash(secret)
    assert secret not in str(ApiToken.objects.values().get(pk=token.pk))
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"api.client_registered", "api.token_issued"} <= events
    assert raw not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_the_client_acts_as_its_service_user(ocmw):
    client, raw = api_client_for(ocmw)
    user = client.service_user
    assert user.organisation == ocmw
    assert user.role_codes == {"welfare_partner"}
    assert not user.has_usable_password()
    assert http(raw).get(INBOX).status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer tdm_00000000_nope", "Token x", "Bearer a b", "Basic dXNlcjpwYXNz"],
)
def test_without_a_valid_token_401_as_problem_json(ocmw, header):
    api_client_for(ocmw)
    client = http()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(INBOX)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["type"] == "about:blank" and body["detail"]


def test_expired_revoked_and_inactive_give_401(ocmw):
    client, raw = api_client_for(ocmw)
    assert http(raw).get(INBOX).status_code == 200
    token = ApiToken.objects.get(client=client)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert http(raw).get(INBOX).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert http(raw).get(INBOX).status_code == 200
    api_token_revoke(acting_user=None, token=token)
    assert http(raw).get(INBOX).status_code == 401
    assert AuditEvent.objects.filter(event_type="api.token_revoked").exists()
    _c2, raw2 = api_client_for(ocmw, name="Second")
    _c2.is_active = False
    _c2.save()
    assert http(raw2).get(INBOX).status_code == 401


def test_a_missing_scope_gives_403(ocmw):
    _client, raw = api_client_for(ocmw, scopes=[Scope.PERSONS_READ])
    response = http(raw).get(INBOX)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_every_request_is_logged_with_its_client(ocmw):
    client, raw = api_client_for(ocmw)
    http(raw).get(INBOX)
    http("tdm_00000000_wrong").get(INBOX)
    rows = list(ApiRequest.objects.order_by("pk").values_list("client", "route", "status"))
    assert rows == [(client.pk, "/api/v1/referrals/inbox/", 200), (None, INBOX, 401)]


def test_no_csrf_and_no_session(ocmw, mediator):
    """A browser's session does not reach the API: only a token does."""
    browser = http()
    browser.force_login(mediator)
    assert browser.get(INBOX).status_code == 401


def test_rate_limit_per_client(ocmw):
    _client, raw = api_client_for(ocmw, requests_per_minute=2)
    client = http(raw)
    assert [client.get(INBOX).status_code for _ in range(3)] == [200, 200, 429]
    _other, raw2 = api_client_for(ocmw, name="Other", requests_per_minute=2)
    other = http(raw2)  # (clears the cache: counts start again)
    assert other.get(INBOX).status_code == 200


def test_answers_are_not_cached(ocmw):
    _client, raw = api_client_for(ocmw)
    assert http(raw).get(INBOX)["Cache-Control"] == "no-store"


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    data = schema.json()
    assert data["openapi"].startswith("3.")
    assert "bearerToken" in data["components"]["securitySchemes"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "http" not in html.split("<body>")[1]
    assert "/static/drf_spectacular_sidecar/" in html
    assert "<style>" not in html and "<script>" not in html  # the CSP allows neither
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
