"""The referral lists as the API reads them: the pages' selectors, with what the API's rows
need besides (the trajectory, to tell the client which answers it may give) loaded in the same
query, so a page of the list costs the same number of queries whatever its length."""

from __future__ import annotations

from django.db.models import QuerySet

from tandem.access.scope import domains_visible_to
from tandem.accounts.models import User
from tandem.network.models import Referral
from tandem.network.referrals import selectors
from tandem.network.referrals.selectors import ReferralView, sender_view


def inbox(user: User) -> QuerySet[Referral]:
    return selectors.inbox_queryset_for(user).select_related("trajectory")


def sent(user: User) -> QuerySet[Referral]:
    return selectors.sent_for(user).select_related("trajectory__person")


def sent_views(user: User, referrals: list[Referral]) -> list[ReferralView]:
    """What the sending side sees of each referral of a page of ``sent`` (every one of them is
    the user's side's: ``sent_for`` reads only those)."""
    return [
        sender_view(r, domains_visible_to(user, r.trajectory))  # type: ignore[arg-type]
        for r in referrals
    ]
