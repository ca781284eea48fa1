"""``ETag`` on a single resource, ``If-Match`` on every change of one.

A GET of one resource answers with a strong ``ETag`` computed from what changes when the
resource changes (its id, status and last-change times). A change (POST of a transition, PATCH)
must send that ETag in ``If-Match``: without it the answer is 428 (Precondition Required), with a
stale one 412 (Precondition Failed) and nothing is written. ``*`` is not enough: it would let a
client overwrite what it never read.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request

from .errors import PreconditionFailed, PreconditionRequired


def etag_of(*parts: Any) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def if_match_check(request: Request, current: str) -> None:
    """Refuse a change without the current ETag (428) or with another one (412)."""
    header = request.headers.get("If-Match", "").strip()
    tags = [t.strip() for t in header.split(",") if t.strip() and t.strip() != "*"]
    if not tags:
        raise PreconditionRequired
    if current not in tags:  # strong comparison: a weak tag (W/"…") never matches
        raise PreconditionFailed
