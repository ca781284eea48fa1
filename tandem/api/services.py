"""Writes of the API app: register a client (with its service user), issue and revoke tokens,
note a token's use, log a request."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import random
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from tandem.access.capabilities import case_roles
from tandem.accounts.models import Organisation, User
from tandem.accounts.services import user_create
from tandem.audit.events import Event
from tandem.audit.pseudonyms import accesslog_cutoff
from tandem.audit.services import audit_event_record

from .models import ApiClient, ApiRequest, ApiToken

TOKEN_PREFIX = "tdm"  # noqa: S105 - the tokens' visible prefix, not a secret
DEFAULT_TOKEN_DAYS = 365
# A token's last use is noted at most once a minute: not a write per request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_client_register(
    *,
    acting_user: User | None,
    organisation: Organisation,
    name: str,
    purpose: str,
    scopes: Iterable[str],
    role: str,
    requests_per_minute: int = 120,
) -> ApiClient:
    """Register a partner system for an organisation: its service user (of the organisation,
    with ``role``, no password: it never logs in to the pages) and the client."""
    if role not in case_roles():
        raise ValueError(f"An API client acts with a case role, not as {role!r}.")
    username = f"api-{slugify(organisation.code)[:40]}-{slugify(name)[:60]}-{secrets.token_hex(3)}"
    user = user_create(
        acting_user=acting_user,
        username=username[:150],
        organisation=organisation,
        roles=[role],
        first_name="API",
        last_name=name[:150],
    )
    client = ApiClient(
        organisation=organisation,
        name=name,
        purpose=purpose,
        scopes=sorted(set(scopes)),
        service_user=user,
        requests_per_minute=requests_per_minute,
    )
    client.full_clean()
    client.save()
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type=Event.API_CLIENT_REGISTERED,
        data={"client": client.pk, "scopes": client.scopes, "role": role},
    )
    return client


@transaction.atomic
def demo_token_parts(draw: random.Random) -> tuple[str, str]:
    """A token's prefix and secret drawn from a seeded stream (the demo's), in the form of
    the secure ones."""
    prefix = f"{draw.getrandbits(32):08x}"
    secret = base64.urlsafe_b64encode(draw.randbytes(32)).rstrip(b"=").decode()
    return prefix, secret


def api_token_issue(
    *,
    acting_user: User | None,
    client: ApiClient,
    days: int = DEFAULT_TOKEN_DAYS,
    demo_draw: random.Random | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the client: the row and the token itself, which is shown once.

    ``demo_draw`` (the demo only: ``tandem.demo.api_clients``) draws the token from a seeded
    stream instead of the system's secure source, so the demo prints the same token for the
    same seed; it is refused with production settings."""
    if days < 1 or days > 2 * 365:
        raise ValueError("A token is valid for 1 to 730 days.")
    if demo_draw is not None and getattr(settings, "TANDEM_ENVIRONMENT", "") == "production":
        raise ImproperlyConfigured("A drawn (demo) API token is refused with production settings.")
    for _attempt in range(5):
        if demo_draw is not None:
            prefix, secret = demo_token_parts(demo_draw)
        else:
            prefix = secrets.token_hex(4)
            secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    client=client,
                    prefix=prefix,
                    secret_hash=secret_hash(secret),
                    expires_at=timezone.now() + dt.timedelta(days=days),
                    issued_by=acting_user if acting_user is not None and acting_user.pk else None,
                )
            break
        except IntegrityError:  # the prefix is taken (1 in 4 billion): draw again
            continue
    else:  # pragma: no cover
        raise RuntimeError("no free token prefix")
    audit_event_record(
        actor=acting_user,
        organisation=client.organisation,
        event_type=Event.API_TOKEN_ISSUED,
        data={"client": client.pk, "token": prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, acting_user: User | None, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("client").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_event_record(
        actor=acting_user,
        organisation=token.client.organisation,
        event_type=Event.API_TOKEN_REVOKED,
        data={"client": token.client_id, "token": token.prefix},
    )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token (with its client and service user) that ``raw`` is, else ``None``."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8:
        return None
    token = (
        ApiToken.objects.select_related(
            "client__organisation", "client__service_user__organisation"
        )
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, secret_hash(parts[2])):
        return None
    client = token.client
    user = client.service_user
    if (
        not token.is_usable()
        or not client.is_active
        or not user.is_active
        or user.organisation_id != client.organisation_id
    ):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_request_record(
    *,
    client: ApiClient | None,
    token: ApiToken | None,
    method: str,
    route: str,
    status: int,
    request_id: str = "",
    ip_address: str | None = None,
) -> ApiRequest:
    return ApiRequest.objects.create(
        client=client,
        token=token,
        method=method[:10],
        route=route[:200],
        status=status,
        request_id=request_id[:32],
        ip_address=ip_address,
    )


def api_requests_expire(*, years: int, write: bool) -> int:
    """Clear the IP address of request-log rows older than the access log's cut-off
    (``tandem.audit.pseudonyms.accesslog_cutoff``: on PostgreSQL never later than the
    database's own); return the rows (counted, and changed when ``write``). The rows stay: a
    log is never deleted (migration api 0002). On PostgreSQL the change goes through
    ``tandem_apirequest_expire()``, the one UPDATE the table's trigger lets through."""
    with transaction.atomic():
        rows = ApiRequest.objects.filter(
            at__lt=accesslog_cutoff(years=years), ip_address__isnull=False
        ).order_by()
        n = rows.count()
        if not n or not write:
            return n
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT tandem_apirequest_expire()")
                changed = cursor.fetchone()[0]
            if changed != n:  # a row appeared or vanished: refuse rather than report wrong
                raise DatabaseError(f"API request log: {changed} rows cleared, {n} counted")
            return n
        # SQLite has no triggers: this code path is the guard.
        rows.update(ip_address=None)
        return n


@transaction.atomic
def api_client_update(
    *,
    acting_user: User | None,
    client: ApiClient,
    purpose: str,
    scopes: Iterable[str],
    requests_per_minute: int,
    is_active: bool,
) -> ApiClient:
    """Change what a client may do (its organisation and service user stay)."""
    client.purpose = purpose
    client.scopes = sorted(set(scopes))
    client.requests_per_minute = requests_per_minute
    client.is_active = is_active
    client.full_clean()
    client.save()
    audit_event_record(
        actor=acting_user,
        organisation=client.organisation,
        event_type=Event.API_CLIENT_UPDATED,
        data={
            "client": client.pk,
            "scopes": client.scopes,
            "requests_per_minute": requests_per_minute,
            "active": is_active,
        },
    )
    return client
