"""The demo's notifications (issue 18): the services notified as the demo's years of work were
recorded, each dated to its event. What happened more than two weeks ago has long been read;
the last two weeks stay unread, so each demo login opens on a short, current list."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from tandem.notifications.models import Notification

UNREAD_DAYS = 14


def settle_notifications() -> tuple[int, int]:
    """Mark the notifications older than two weeks read (a day after they came); returns
    (read, unread)."""
    before = timezone.now() - dt.timedelta(days=UNREAD_DAYS)
    old = Notification.objects.filter(created_at__lt=before, read_at__isnull=True)
    read = old.update(read_at=F("created_at") + dt.timedelta(days=1))
    return read, Notification.objects.filter(read_at__isnull=True).count()
