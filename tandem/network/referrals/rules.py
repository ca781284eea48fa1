"""When a referral is overdue: an open referral without an update on the last N days
(N = ``TANDEM_REFERRAL_OVERDUE_DAYS``, 14 unless set), today included.

A rule, not a read: it builds the ``Q`` and answers for one referral, importing only models and
settings, so the caseload (``tandem.trajectories``) and the referral lists ask the same rule."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from ..models import Referral
from ..models.referral import OPEN_REFERRAL_STATUSES


def overdue_days() -> int:
    return int(getattr(settings, "TANDEM_REFERRAL_OVERDUE_DAYS", 14))


def overdue_cutoff(today: dt.date | None = None) -> dt.datetime:
    """An open referral is overdue when its last update is before this moment: no update on
    the last N days (N = ``TANDEM_REFERRAL_OVERDUE_DAYS``), today included."""
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=overdue_days() - 1)
    return timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """The overdue referrals (``prefix``: the path to the referral, e.g. ``"referrals__"``)."""
    return Q(
        **{
            f"{prefix}status__in": OPEN_REFERRAL_STATUSES,
            f"{prefix}last_update_at__lt": overdue_cutoff(today),
        }
    )


def is_late(today: dt.date | None = None) -> Case:
    """``overdue_q`` as an annotation: ``.annotate(is_late=is_late(day))`` marks each referral."""
    return Case(
        When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def is_overdue(referral: Referral, today: dt.date | None = None) -> bool:
    return referral.status in OPEN_REFERRAL_STATUSES and referral.last_update_at < overdue_cutoff(
        today
    )
