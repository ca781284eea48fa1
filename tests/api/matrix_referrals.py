"""The referrals family in the API's authorization matrix (tests/api/test_matrix.py)."""

from __future__ import annotations

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tandem.network.referrals.services import referral_transition
from tests.authz_world import World

from .matrix import Entry


def _ocmw(w: World):
    """The receiving organisation of the world's referral (the duo partner's OCMW)."""
    return w.users["partner"].organisation


def _vdab(w: World):
    return w.organisation


def _referral(w: World):
    return w.objects["referral"]


def _url(action: str = ""):
    def url(w: World) -> str:
        base = f"/api/v1/referrals/{_referral(w).public_id}/"
        return base + (f"{action}/" if action else "")

    return url


def _moved(*statuses: str):
    """Move the world's referral on first (as its receiving partner)."""

    def prepare(w: World) -> None:
        for status in statuses:
            referral_transition(
                acting_user=w.users["partner"], referral=_referral(w), to_status=status
            )

    return prepare


def _answer(action: str, body=None, prepare=None) -> Entry:
    return Entry(
        "POST",
        _url(action),
        Scope.REFERRALS_WRITE,
        _ocmw,
        body=(lambda w: body) if body is not None else (lambda w: {}),
        etag_url=_url(),
        prepare=prepare,
    )


ENTRIES: dict[str, Entry] = {
    "api:referral_inbox": Entry(
        "GET", lambda w: "/api/v1/referrals/inbox/", Scope.REFERRALS_READ, _ocmw, is_list=True
    ),
    "api:referral_sent": Entry(
        "GET",
        lambda w: "/api/v1/referrals/sent/",
        Scope.REFERRALS_READ,
        _vdab,
        role=Role.MEDIATOR,
        is_list=True,
    ),
    "api:referral_detail": Entry("GET", _url(), Scope.REFERRALS_READ, _ocmw),
    "api:referral_detail (sender)": Entry(
        "GET", _url(), Scope.REFERRALS_READ, _vdab, role=Role.MEDIATOR
    ),
    "api:referral_accept": _answer("accept"),
    "api:referral_decline": _answer("decline", {"reason": "Geen aanbod"}),
    "api:referral_no_capacity": _answer("no-capacity", {"reason": "Vol"}),
    "api:referral_start": _answer("start", prepare=_moved("accepted")),
    "api:referral_complete": _answer(
        "complete", {"outcome": "Woning gevonden"}, prepare=_moved("accepted", "in_progress")
    ),
    "api:referral_not_reached": _answer("not-reached", prepare=_moved("accepted")),
}
