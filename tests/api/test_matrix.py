"""The API's authorization matrix (issue 19): every API route × every HTTP method × the scope it
needs × every attacker relation — no token, an unknown, expired or revoked token, a switched-off
client, a client without the scope, and a client of another organisation with every scope —
gets the answer it must (401, 403, 404 for another organisation's object: no oracle; 405 for a
method the route does not take), writes nothing but the request log, and never shows the home
world's person. The rightful client (the owner organisation's, with the scope) gets its answer.

The route list is complete by construction: every ``api:`` route of the URL resolver needs an
entry in a ``tests/api/matrix_<family>.py`` module (``ENTRIES``), or
``test_every_api_route_is_in_the_matrix`` fails. The worlds are the main matrix's
(``tests/authz_world.py``): two organisations with one of everything.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pathlib
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tandem.api.models import ApiToken
from tandem.api.scopes import Scope
from tandem.api.services import api_client_register, api_token_issue, api_token_revoke
from tandem.audit.models import AccessLog
from tests.authz_world import build_world
from tests.test_authorization_matrix import OTHER_LAST, SECRET_LAST, _patterns

from .matrix import METHODS, RELATIONS, REQUEST_BOOKKEEPING, Entry, send

# Routes without a matrix entry, and why.
PUBLIC = {
    "api:schema": "the OpenAPI description: no data, no token needed",
    "api:docs": "Swagger UI (from the installed sidecar): no data, no token needed",
    "api:not_found": "any other /api/ path: 404 as problem details, for everyone",
}


def _entries() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for path in sorted(pathlib.Path(__file__).parent.glob("matrix_*.py")):
        module = importlib.import_module(f"tests.api.{path.stem}")
        overlap = set(entries) & set(module.ENTRIES)
        assert not overlap, f"{path.name} repeats {overlap}"
        entries.update(module.ENTRIES)
    return entries


ENTRIES = _entries()


def _route(name: str) -> str:
    return name.split(" (")[0]


def test_every_api_route_is_in_the_matrix():
    routes = {name for name, _route in _patterns() if name.startswith("api:")}
    covered = {_route(name) for name in ENTRIES}
    missing = sorted(routes - covered - set(PUBLIC))
    assert not missing, f"API routes without a matrix entry (tests/api/matrix_*.py): {missing}"
    assert not sorted(covered - routes), "matrix entries for API routes that do not exist"


class Clients:
    """API clients made on demand: (organisation, role, scopes, active) → a token."""

    def __init__(self) -> None:
        self._made: dict[Any, tuple[Any, str]] = {}

    def token(self, organisation, role, scopes=tuple(Scope.values), active=True) -> str:
        key = (organisation.pk, role, tuple(sorted(scopes)), active)
        if key not in self._made:
            client = api_client_register(
                acting_user=None,
                organisation=organisation,
                name=f"Matrix {len(self._made)}",
                purpose="authorization matrix",
                scopes=scopes,
                role=role,
                requests_per_minute=100_000,
            )
            _token, raw = api_token_issue(acting_user=None, client=client)
            if not active:
                client.is_active = False
                client.save()
            self._made[key] = (client, raw)
        return self._made[key][1]

    def spoiled(self, organisation, role, how: str) -> str:
        """A token of the rightful client that is expired or revoked."""
        client = api_client_register(
            acting_user=None,
            organisation=organisation,
            name=f"Matrix {how} {len(self._made)}",
            purpose="authorization matrix",
            scopes=list(Scope.values),
            role=role,
        )
        token, raw = api_token_issue(acting_user=None, client=client)
        if how == "expired":
            ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - dt.timedelta(minutes=1)
            )
        else:
            api_token_revoke(acting_user=None, token=token)
        self._made[("spoiled", how, len(self._made))] = (client, raw)
        return raw


@pytest.fixture
def worlds(db):
    cache.clear()
    return build_world("brugge", SECRET_LAST), build_world("kortrijk", OTHER_LAST)


def _token_for(relation: str, entry: Entry, home, other, clients: Clients) -> str | None:
    owner = entry.owner(home)
    if relation == "no token":
        return None
    if relation == "unknown token":
        return "tdm_deadbeef_" + "x" * 43
    if relation in ("expired token", "revoked token"):
        return clients.spoiled(owner, entry.role, relation.split()[0])
    if relation == "inactive client":
        return clients.token(owner, entry.role, active=False)
    if relation == "missing scope":
        return clients.token(owner, entry.role, [s for s in Scope.values if s != entry.scope])
    if relation == "other organisation":
        return clients.token(entry.owner(other), entry.role)
    raise AssertionError(relation)


def _check(name: str, entry: Entry, home, other, clients: Clients) -> tuple[int, list[str]]:
    problems: list[str] = []
    sent = 0
    rightful = clients.token(entry.owner(home), entry.role)
    url = entry.url(home)

    def request(method: str, token: str | None) -> Any:
        nonlocal sent
        sent += 1
        is_it = method == entry.method
        return send(
            method,
            url,
            token=token,
            body=entry.body(home) if entry.body and is_it else None,
            headers=entry.extra_headers,
            prepare=(lambda: entry.prepare(home)) if entry.prepare and is_it else None,
            etag_url=entry.etag_url(home) if entry.etag_url and is_it else None,
            etag_token=rightful,
        )

    # The methods the route answers (one entry each, e.g. GET and PATCH of one resource):
    # another entry checks those; the rest must be 405.
    served = {e.method for n, e in ENTRIES.items() if _route(n) == _route(name)}
    for method in METHODS:
        if method in served and method != entry.method:
            continue
        if method != entry.method:
            for token, expected in ((None, 401), (rightful, 405)):
                answer = request(method, token)
                if answer.status != expected:
                    problems.append(f"{name} {method} ({expected}): {answer.status}")
            continue
        answer = request(method, rightful)
        if answer.status not in entry.ok:
            problems.append(f"{name} rightful: {answer.status} {answer.body[:300]}")
        for relation, expected in RELATIONS.items():
            accessed_before = AccessLog.objects.filter(person=home.person).count()
            token = _token_for(relation, entry, home, other, clients)
            answer = request(method, token)
            # Another organisation: a list answers (its own rows), an object is 404.
            other_answer = entry.ok if entry.is_list else entry.other
            expected_ok = other_answer if expected is None else {expected}
            if answer.status not in expected_ok:
                problems.append(f"{name} as {relation}: {answer.status} not {expected_ok}")
            allowed = set(REQUEST_BOOKKEEPING)
            if entry.is_list and expected is None:
                allowed.add("audit_accesslog")  # its own organisation's persons, logged
            if answer.writes - allowed:
                problems.append(f"{name} as {relation} wrote {sorted(answer.writes)}")
            if home.secrets["name"] in answer.body or SECRET_LAST in answer.body:
                problems.append(f"{name} as {relation} shows the home world's person")
            if AccessLog.objects.filter(person=home.person).count() != accessed_before:
                problems.append(f"{name} as {relation} logged a read of the home person")
            if answer.status >= 400 and answer.content_type != "application/problem+json":
                problems.append(f"{name} as {relation}: {answer.content_type}, not a problem")
    return sent, problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_the_matrix(worlds, name):
    home, other = worlds
    sent, problems = _check(name, ENTRIES[name], home, other, Clients())
    print(f"{name}: {sent} requests")
    assert not problems, "\n".join(problems)


def matrix_size() -> int:
    """Requests the matrix sends: per entry, its method as the rightful client and as each
    relation, and every other method without a token and as the rightful client."""
    return len(ENTRIES) * (1 + len(RELATIONS) + 2 * (len(METHODS) - 1))
