"""Reading notifications: a user reads only their own. The person a notification is about is
named only when the user can see that person through the access layer now (a consent withdrawn
or a referral closed since the notification was made ends it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count

from tandem.access.scope import person_queryset_for

from .kinds import kind_label
from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tandem.accounts.models import User
    from tandem.registry.models import Person


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    text: str
    # The person, when the reader may see them; None otherwise (or when there is none).
    person: Person | None
    # True when the notification is about a person the reader may not see (now).
    person_hidden: bool


def unread_count(user: User) -> int:
    """The user's unread notifications (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# The list's order, newest first: the keys of its keyset pages (index recipient, created_at).
NOTIFICATION_KEYS = ("-created_at", "-pk")


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first, read or not (the list page reads it a page
    at a time by its keys, ``tandem.common.lists.keyset_page_of``)."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("person")
        .order_by(*NOTIFICATION_KEYS)
    )


def notification_rows(user: User, notifications: Iterable[Notification]) -> list[NotificationRow]:
    """The given notifications of the user (one page of ``notifications_for``), each with its
    text and the person only when the user may see them (one query for the persons)."""
    rows = list(notifications)
    person_ids = {n.person_id for n in rows if n.person_id is not None}
    visible: set[int] = set()
    if person_ids:
        visible = set(
            person_queryset_for(user).filter(pk__in=person_ids).values_list("pk", flat=True)
        )
    return [
        NotificationRow(
            notification=n,
            text=kind_label(n.kind),
            person=n.person if n.person_id in visible else None,
            person_hidden=n.person_id is not None and n.person_id not in visible,
        )
        for n in rows
    ]


def unread_counts_by_kind(user: User) -> dict[str, int]:
    """The user's unread notifications per kind (for the digest: counts only)."""
    return dict(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )


def digest_enabled(user: User) -> bool:
    """Whether the user asked for the daily e-mail digest."""
    return NotificationPreference.objects.filter(user=user, daily_digest=True).exists()
