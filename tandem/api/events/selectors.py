"""The change feed, read from what already records the changes: a referral's status history
(``ReferralStatusChange``: one row when it is sent, one per answer, report or withdrawal —
an intake item taken or sent back moves its referral too, so it is there as well).

Scoped by the referral pages' own selector: the changes of the referrals the client's user may
open (``referral_queryset_for``: received by its organisation, or sent for a trajectory it may
see). The cursor is the history row's id, wrapped so that clients treat it as opaque; ids only
grow, so a client that keeps the last cursor hears every change once.
"""

from __future__ import annotations

import base64
import binascii

from django.db.models import QuerySet

from tandem.accounts.models import User
from tandem.network.models import ReferralStatusChange
from tandem.network.referrals.selectors import referral_queryset_for

PREFIX = "rsc1:"


class BadCursor(ValueError):
    pass


def cursor_of(pk: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}{pk}".encode()).decode().rstrip("=")


def position_of(cursor: str) -> int:
    """The history id a cursor stands for (0: the start); ``BadCursor`` if it is none of ours."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor from exc
    number = text.removeprefix(PREFIX)
    if not text.startswith(PREFIX) or not number.isdigit() or len(number) > 18:
        raise BadCursor
    return int(number)


def changes_for(user: User, after: int, limit: int) -> list[ReferralStatusChange]:
    """Up to ``limit`` + 1 changes after ``after`` (the extra one says there are more), in the
    order they happened, with what a row of the feed shows, in one query."""
    qs: QuerySet[ReferralStatusChange] = (
        ReferralStatusChange.objects.filter(
            pk__gt=after, referral__in=referral_queryset_for(user).values("pk")
        )
        .select_related(
            "referral__organisation", "referral__receiving_organisation", "by__organisation"
        )
        .order_by("pk")
    )
    return list(qs[: limit + 1])
