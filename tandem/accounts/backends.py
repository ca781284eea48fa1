from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class TandemBackend(ModelBackend):
    """Django's model backend, loading the user's organisation with the user: every page shows
    it and every access-log row records it, so it saves a query on each request."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
