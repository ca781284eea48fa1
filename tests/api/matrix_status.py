"""The status family in the API's authorization matrix (tests/api/test_matrix.py)."""

from __future__ import annotations

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tests.authz_world import World

from .matrix import Entry


def _upload(w: World):
    item = {"national_number": w.person.insz, "date": "2024-01-01", "status": "employed"}
    return {"items": [item]}


ENTRIES: dict[str, Entry] = {
    # The employment service's client, for a person its user may see. Another organisation's
    # client (another office) gets the item named as an unknown person (400), nothing written.
    "api:status_upload": Entry(
        "POST",
        lambda w: "/api/v1/status/events/",
        Scope.STATUS_WRITE,
        lambda w: w.organisation,
        role=Role.MEDIATOR,
        body=_upload,
        ok=frozenset({201}),
        other=frozenset({400}),
        extra_headers={"Idempotency-Key": "matrix-upload"},
    ),
}
