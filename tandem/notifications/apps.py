from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications: events someone else must act on or know about (issue 18), the unread
    count in the header and the daily e-mail digest. Low in the layering (right after
    ``access``) so every app's services may call ``notify``."""

    name = "tandem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
