"""Writing notifications.

``notify`` is called by the services of the apps where the event happens, after their own
audited write: a notification is derived from an audited event and records no event of its own
(tests/test_every_write_audited.py lists it with that reason). Marking as read changes only the
recipient's own inbox state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from .kinds import KINDS
from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from tandem.accounts.models import User
    from tandem.registry.models import Person


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    url: str,
    person: Person | None = None,
    actor: User | None = None,
    at: dt.datetime | dt.date | None = None,
) -> int:
    """One notification of ``kind`` per recipient (each once, the actor never: one does not
    notify oneself of one's own act, inactive users never). Returns how many were created.

    ``at``: when the event happened, when a service records it after the fact (an enrolment
    decided last week, a status dated back); a day before today counts from its noon, today
    or no day from now."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r} (tandem/notifications/kinds.py).")
    seen: set[int] = set()
    rows = []
    now = _moment(at)
    for user in recipients:
        if user is None or user.pk is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if actor is not None and user.pk == actor.pk:
            continue
        if not user.is_active:
            continue
        rows.append(
            Notification(
                recipient=user, kind=kind, url=url, person=person, actor=actor, created_at=now
            )
        )
    Notification.objects.bulk_create(rows)
    return len(rows)


def _moment(at: dt.datetime | dt.date | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if isinstance(at, dt.datetime):
        return min(at, now)
    if at >= timezone.localdate():
        return now
    return timezone.make_aware(dt.datetime.combine(at, dt.time(12)))


def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications as read and return it; another user's is not
    found (``None``)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark all the user's unread notifications as read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_digest_set(*, user: User, daily_digest: bool) -> NotificationPreference:
    """Switch the user's daily e-mail digest on or off."""
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return pref
