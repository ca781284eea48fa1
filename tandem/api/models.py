"""API clients, their tokens, and the log of every API request.

A token is ``tdm_<prefix>_<secret>``: the prefix (8 characters, stored plainly) finds the row,
the secret (32 random bytes) is checked against its SHA-256 hash. A plain hash suffices (no
slow password hash): the secret has 256 bits of entropy, so it cannot be guessed from a
stolen hash, and every request must check it quickly. The whole token is shown once, when it
is issued, and never stored.

Every request is logged in ``ApiRequest`` (client, token, method, route, status, when), not in
the audit trail: the audit trail records changes and reads of persons (the services and the
access log do that for API calls too), while the request log is operational — one row per
call, success or refusal, for rate disputes and security reviews.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation
from tandem.common.models import BaseModel

from .scopes import Scope


def validate_scopes(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise ValidationError(_("Scopes are a list of scope codes."))
    unknown = sorted(set(value) - set(Scope.values))
    if unknown:
        raise ValidationError(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}, code="unknown"
        )


class ApiClient(BaseModel):
    """A partner system that calls the API for one organisation, as one service user."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(
        _("purpose"),
        max_length=200,
        help_text=_("Why the system reads person data: written as the purpose of every read."),
    )
    scopes = models.JSONField(_("scopes"), default=list, validators=[validate_scopes])
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service user"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="apiclient_unique_name"),
            models.CheckConstraint(
                condition=models.Q(requests_per_minute__gte=1), name="apiclient_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiToken(BaseModel):
    client = models.ForeignKey(
        ApiClient, verbose_name=_("client"), on_delete=models.PROTECT, related_name="tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"tdm_{self.prefix}_…"

    def is_usable(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]


class ApiRequest(models.Model):
    """One API call: who (client and token, or none when the token was refused), what (method
    and the route's pattern, never the query string) and the answer's status."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("token"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10)
    route = models.CharField(_("route"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "at"], name="apirequest_client_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.route} {self.status}"
