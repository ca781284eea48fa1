"""A notification: an event someone else must act on or know about, stored once per recipient
(issue 18: work items are derived from data; only events are stored).

The text of a notification is its kind's label (``kinds.py``): it never holds person data.
The person it is about (``person``) is shown on the list page only to a recipient who can see
the person through the access layer at the moment of reading.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    url = models.CharField(_("link"), max_length=500)
    # Erasure and retention delete a person's notifications (notifications/privacy.py).
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
            # The list page, newest first, a page at a time by (created_at, id).
            models.Index(fields=["recipient", "created_at"], name="notification_recipient_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for the daily e-mail digest (opt-in) and the day it was last sent
    (``send_digests`` sends at most one per day)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    daily_digest = models.BooleanField(_("daily e-mail digest"), default=False)
    digest_last_sent_on = models.DateField(_("digest last sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: digest {'on' if self.daily_digest else 'off'}"
