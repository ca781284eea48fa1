"""The referral work of the duo on the home page, derived from the referrals themselves (no
status is stored twice): the answers that came back on the user's own duo trajectories and
the referrals that wait too long for one (``rules.overdue_q``); for the receiving side, the
new referrals in the organisation's inbox. One query each, with ``total`` (a window count of
the rows before the limit); urgent first.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)

from tandem.access.capabilities import has_capability
from tandem.access.scope import (
    active_consents_for,
    domain_visible_q,
    duo_q,
    trajectory_queryset_for,
)
from tandem.accounts.models import User

from ..models import Referral, ReferralStatus
from ..referrals.rules import is_late, overdue_q

LIMIT = 10
# The receiver's answers (what the sending duo must read, and for some act on).
ANSWERS = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.NO_CAPACITY,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
    ReferralStatus.NOT_REACHED,
)
# Answers after which the duo must find another road.
ANSWERS_TO_ACT_ON = (
    ReferralStatus.DECLINED,
    ReferralStatus.NO_CAPACITY,
    ReferralStatus.NOT_REACHED,
)


def referral_work_for(
    user: User, day: dt.date, since: dt.date, limit: int = LIMIT
) -> list[Referral]:
    """Referrals of the user's own duo trajectories that wait too long for an answer
    (``is_late``) or were answered since ``since``: the late ones first (longest silent first),
    then the answers that ask for another road, then the others, the oldest first."""
    if user.organisation_id is None or not has_capability(user, "referral.send"):
        return []
    late = overdue_q(day)
    # A welfare partner of another organisation: only referrals of the consented domains.
    # (An empty condition means every domain; or-ed with another it would vanish.)
    visible = domain_visible_q(user, domain="action__goal__domain", person="person")
    return list(
        Referral.objects.filter(
            late | Q(status__in=ANSWERS, last_update_at__date__gte=since),
            duo_q(user, via="trajectory"),
            Q(action__isnull=True) | visible if visible else Q(),
            trajectory__in=trajectory_queryset_for(user),
        )
        .select_related("trajectory__person", "service", "receiving_organisation")
        .annotate(
            is_late=is_late(day),
            rank=Case(
                When(late, then=Value(0)),
                When(status__in=ANSWERS_TO_ACT_ON, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            total=Window(Count("pk")),
        )
        .order_by("rank", "last_update_at", "pk")[:limit]
    )


def new_referrals_for(user: User, day: dt.date, limit: int = LIMIT) -> list[Referral]:
    """Referrals addressed to the user's organisation that no one answered yet, the oldest
    first, each with ``is_late`` and ``person_visible``: whether the receiver may see who it is
    (a consent in force covering the organisation; without consent, while it is open, as in
    the inbox)."""
    if user.organisation is None or not has_capability(user, "referral.receive"):
        return []
    consented = active_consents_for(user.organisation).filter(person=OuterRef("person"))
    return list(
        Referral.objects.filter(
            receiving_organisation_id=user.organisation_id, status=ReferralStatus.SENT
        )
        .select_related("service", "organisation", "person")
        .annotate(
            is_late=is_late(day),
            person_visible=Case(
                When(Q(consent__isnull=True) | Q(Exists(consented)), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            total=Window(Count("pk")),
        )
        .order_by("sent_at", "pk")[:limit]
    )
