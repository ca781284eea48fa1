"""The demo's partner system (issue 19): OCMW Gent's social file, registered as an API client
of the demo OCMW (the demo welfare partner's organisation) with the scopes a welfare partner's
system needs — the referral inbox and its answers, the change feed, the trajectories it may
see. Its token is drawn from the seed (``api_token_issue(demo_draw=...)``), so ``make demo``
prints the same token for the same seed and the README's curl examples can name it; with
production settings the draw is refused (and ``seed_demo`` refuses to run at all)."""

from __future__ import annotations

import random

from django.utils import timezone

from tandem.accounts.models import Organisation, Role
from tandem.api.models import ApiClient, ApiToken
from tandem.api.scopes import Scope
from tandem.api.services import (
    TOKEN_PREFIX,
    api_client_register,
    api_token_issue,
    demo_token_parts,
)

DEMO_API_ORGANISATION = "ocmw-gent"
DEMO_API_CLIENT = "Sociaal dossier OCMW Gent (demo)"
DEMO_API_SCOPES = [
    Scope.REFERRALS_READ,
    Scope.REFERRALS_WRITE,
    Scope.EVENTS_READ,
    Scope.TRAJECTORIES_READ,
]


def _draw(seed: int) -> random.Random:
    """The token's own stream (the other demo steps draw the same numbers with or without it);
    deterministic by design: a demo token, never a production one."""
    return random.Random(f"demo-api-token-{seed}")  # noqa: S311


def seed_api_client(orgs: dict[str, Organisation], *, seed: int) -> str:
    """The demo client (once) and its token for this seed (issued once, then the same token
    again on a later run with the same seed); returns the token."""
    organisation = orgs[DEMO_API_ORGANISATION]
    client = (
        ApiClient.objects.filter(organisation=organisation, name=DEMO_API_CLIENT)
        .order_by("pk")
        .first()
    )
    if client is None:
        client = api_client_register(
            acting_user=None,
            organisation=organisation,
            name=DEMO_API_CLIENT,
            purpose="Doorverwijzingen beantwoorden vanuit het sociaal dossier van het OCMW",
            scopes=DEMO_API_SCOPES,
            role=Role.WELFARE_PARTNER,
        )
    prefix, secret = demo_token_parts(_draw(seed))
    issued = ApiToken.objects.filter(
        client=client, prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()
    if issued:
        return f"{TOKEN_PREFIX}_{prefix}_{secret}"
    _token, raw = api_token_issue(acting_user=None, client=client, demo_draw=_draw(seed))
    return raw
