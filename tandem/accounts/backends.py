from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tandem.notifications.models import Notification

from .models import User


def unread_notifications_subquery() -> Coalesce:
    """The number of the user's unread notifications, as a subquery of the user's own query."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


class TandemBackend(ModelBackend):
    """Django's model backend, loading the user's organisation with the user: every page shows
    it and every access-log row records it, so it saves a query on each request."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            # The unread notifications come with the user: the header's count costs no query
            # of its own (tandem.notifications.context_processors).
            user = (
                User.objects.select_related("organisation")
                .annotate(unread_notifications=unread_notifications_subquery())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
