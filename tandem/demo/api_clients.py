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


# The employment service's own system at VDAB Gent (a mediator's service user): the persons
# lookup, the labour-market status upload, its own directory entries, the published figures
# and the trajectories — so every curl example of the README but group work can be tried on
# the demo.
DEMO_VDAB_ORGANISATION = "vdab-gent"
DEMO_VDAB_CLIENT = "Werkzoekendendossier VDAB Gent (demo)"
DEMO_VDAB_SCOPES = [
    Scope.PERSONS_READ,
    Scope.PERSONS_SEARCH,
    Scope.TRAJECTORIES_READ,
    Scope.TRAJECTORIES_WRITE,
    Scope.STATUS_WRITE,
    Scope.DIRECTORY_READ,
    Scope.DIRECTORY_WRITE,
    Scope.AGGREGATES_READ,
    Scope.EVENTS_READ,
]

# (organisation code, client name, purpose, scopes, the service user's role)
DEMO_CLIENTS = [
    (
        DEMO_API_ORGANISATION,
        DEMO_API_CLIENT,
        "Doorverwijzingen beantwoorden vanuit het sociaal dossier van het OCMW",
        DEMO_API_SCOPES,
        Role.WELFARE_PARTNER,
    ),
    (
        DEMO_VDAB_ORGANISATION,
        DEMO_VDAB_CLIENT,
        "Arbeidsmarktstatus en trajecten bijhouden vanuit het dossier van VDAB",
        DEMO_VDAB_SCOPES,
        Role.MEDIATOR,
    ),
]


def _draw(seed: int, name: str = DEMO_API_CLIENT) -> random.Random:
    """The token's own stream (the other demo steps draw the same numbers with or without it);
    deterministic by design: a demo token, never a production one."""
    if name == DEMO_API_CLIENT:
        return random.Random(f"demo-api-token-{seed}")  # noqa: S311
    return random.Random(f"demo-api-token-{seed}-{name}")  # noqa: S311


def seed_api_clients(orgs: dict[str, Organisation], *, seed: int) -> list[tuple[str, list, str]]:
    """Every demo client with its scopes and its token for this seed, in print order."""
    return [
        (
            name,
            scopes,
            seed_api_client(
                orgs, seed=seed, code=code, name=name, purpose=purpose, scopes=scopes, role=role
            ),
        )
        for code, name, purpose, scopes, role in DEMO_CLIENTS
    ]


def seed_api_client(
    orgs: dict[str, Organisation],
    *,
    seed: int,
    code: str = DEMO_API_ORGANISATION,
    name: str = DEMO_API_CLIENT,
    purpose: str = DEMO_CLIENTS[0][2],
    scopes: list | None = None,
    role: str = Role.WELFARE_PARTNER,
) -> str:
    """A demo client (once) and its token for this seed (issued once, then the same token
    again on a later run with the same seed); returns the token."""
    organisation = orgs[code]
    client = ApiClient.objects.filter(organisation=organisation, name=name).order_by("pk").first()
    if client is None:
        client = api_client_register(
            acting_user=None,
            organisation=organisation,
            name=name,
            purpose=purpose,
            scopes=scopes if scopes is not None else DEMO_API_SCOPES,
            role=role,
        )
    prefix, secret = demo_token_parts(_draw(seed, name))
    issued = ApiToken.objects.filter(
        client=client, prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()
    if issued:
        return f"{TOKEN_PREFIX}_{prefix}_{secret}"
    _token, raw = api_token_issue(acting_user=None, client=client, demo_draw=_draw(seed, name))
    return raw
