"""The API's authorization matrix: what an entry is, and how a request is sent and checked.

Each endpoint family lists its operations in ``tests/api/matrix_<family>.py`` as ``ENTRIES``:
route name (``api:<name>``, a suffix in brackets for a variant) → ``Entry``. The matrix
(``test_matrix.py``) sends every entry, for every HTTP method, as every relation in
``RELATIONS`` and checks the answer, that nothing but the request log was written, and that no
body names the home world's person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tandem.accounts.models import Organisation, Role
from tests.authz_world import World

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Entry:
    """One API operation of the home world, and who may call it."""

    method: str
    url: Callable[[World], str]
    scope: str
    # The organisation whose client (with ``role``) may call it: the rightful caller.
    owner: Callable[[World], Organisation]
    role: str = Role.WELFARE_PARTNER
    body: Callable[[World], Any] | None = None
    # Send the resource's current ETag (read with GET from ``etag_url``) as If-Match.
    etag_url: Callable[[World], str] | None = None
    # Run before the request, inside the rolled-back savepoint (e.g. accept before "start").
    prepare: Callable[[World], None] | None = None
    # The rightful caller's answer.
    ok: frozenset[int] = frozenset({200})
    # A list (no id in the path): another organisation gets it (ok) without the home world's
    # persons, instead of a 404.
    is_list: bool = False
    # Another organisation's answer to an operation that names no object in its path but
    # persons in its body (a bulk upload: 400, the item named as unknown), instead of 404.
    other: frozenset[int] = frozenset({404})
    extra_headers: dict[str, str] = field(default_factory=dict)


# relation → the answer it gets (None: 404 for an object, the list without secrets for a list)
RELATIONS: dict[str, int | None] = {
    "no token": 401,
    "unknown token": 401,
    "expired token": 401,
    "revoked token": 401,
    "inactive client": 401,
    "missing scope": 403,
    "other organisation": None,
}

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
# What any request may write: its own log line and the token's last use.
REQUEST_BOOKKEEPING = {"api_apirequest", "api_apitoken"}


@dataclass
class Answer:
    status: int
    body: str
    writes: set[str]
    content_type: str = ""


def send(
    method: str,
    url: str,
    *,
    token: str | None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    prepare: Callable[[], None] | None = None,
    etag_url: str | None = None,
    etag_token: str | None = None,
) -> Answer:
    """One request in a savepoint that is rolled back (the world stays as it was), with the
    tables it wrote to."""
    client = APIClient()
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    savepoint = transaction.savepoint()
    try:
        if prepare:
            prepare()
        if etag_url:
            read = APIClient().get(etag_url, HTTP_AUTHORIZATION=f"Bearer {etag_token}")
            assert read.status_code == 200, (etag_url, read.status_code)
            extra["HTTP_IF_MATCH"] = read["ETag"]
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(
                method,
                url,
                data=json.dumps(body) if body is not None else "",
                content_type="application/json",
                **extra,
            )
    finally:
        transaction.savepoint_rollback(savepoint)
    writes = {m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))}
    return Answer(
        response.status_code,
        response.content.decode(errors="replace"),
        writes,
        response.get("Content-Type", ""),
    )
