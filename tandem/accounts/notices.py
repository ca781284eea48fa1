"""Notices for a user, shown once at their next login (there is no mail server to send them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import UserNotice


def _text(notice: UserNotice) -> str:
    if notice.kind == UserNotice.Kind.DEVICES_RESET:
        return _(
            "On %(date)s an administrator removed your second-factor devices (authenticator "
            "app, passkeys and recovery codes). Ask an administrator for an enrolment code to "
            "link a new one. If you did not ask for this, tell your administrator or your DPO."
        ) % {"date": formats.date_format(timezone.localtime(notice.created_at), "DATETIME_FORMAT")}
    return str(notice.get_kind_display())


def notices_show(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login (``user_logged_in``): show the user's unseen notices as messages, once."""
    if request is None or not hasattr(request, "_messages"):
        return
    for notice in UserNotice.objects.filter(user=user, shown_at=None).order_by("created_at"):
        messages.warning(request, _text(notice))
        notice.shown_at = timezone.now()
        notice.save(update_fields=["shown_at", "updated_at"])
