"""The change feed in the API's authorization matrix (tests/api/test_matrix.py)."""

from __future__ import annotations

from tandem.accounts.models import Role
from tandem.api.scopes import Scope

from .matrix import Entry

ENTRIES: dict[str, Entry] = {
    # The receiving OCMW hears of the world's referral; another organisation's client gets
    # the feed of its own (a list: 200, without the home world's referral or person).
    "api:event_feed": Entry(
        "GET",
        lambda w: "/api/v1/events/",
        Scope.EVENTS_READ,
        lambda w: w.users["partner"].organisation,
        is_list=True,
    ),
    "api:event_feed (sender)": Entry(
        "GET",
        lambda w: "/api/v1/events/",
        Scope.EVENTS_READ,
        lambda w: w.organisation,
        role=Role.MEDIATOR,
        is_list=True,
    ),
}
