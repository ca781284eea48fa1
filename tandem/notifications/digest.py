"""The daily e-mail digest (issue 18): for each user who asked for it and has unread
notifications, one e-mail with the number of unread notifications per kind and a link to the
notifications page — no name, no national number, no link to a person's page. Sent at most once
a day per user (``NotificationPreference.digest_last_sent_on``), through Django's e-mail backend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import kind_label
from .models import Notification, NotificationPreference


@dataclass(frozen=True)
class DigestRun:
    sent: int
    skipped_already_sent: int
    skipped_nothing_unread: int


def digest_body(counts: dict[str, int], link: str) -> tuple[str, str]:
    """The subject and the text of one digest: counts per kind and a link, nothing else."""
    total = sum(counts.values())
    subject = ngettext(
        "Tandem: %(count)d unread notification",
        "Tandem: %(count)d unread notifications",
        total,
    ) % {"count": total}
    lines = [_("You have unread notifications in Tandem:"), ""]
    for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kind_label(kv[0]))):
        lines.append(f"- {kind_label(kind)}: {n}")
    lines += ["", _("Read them in Tandem: %(link)s") % {"link": link}, ""]
    lines.append(
        _("You receive this e-mail because you asked for a daily digest; switch it off there.")
    )
    return subject, "\n".join(lines)


def digests_send(*, today: dt.date | None = None) -> DigestRun:
    """Send today's digests; a user already sent one today is skipped (the command can run
    again safely). Returns what was done."""
    day = today or timezone.localdate()
    link = settings.TANDEM_BASE_URL.rstrip("/") + reverse("notifications:list")
    prefs = list(
        NotificationPreference.objects.filter(
            daily_digest=True, user__is_active=True
        ).select_related("user")
    )
    counts: dict[int, dict[str, int]] = {}
    for user_id, kind, n in (
        Notification.objects.filter(
            recipient_id__in=[p.user_id for p in prefs], read_at__isnull=True
        )
        .order_by()
        .values_list("recipient_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "kind", "n")
    ):
        counts.setdefault(user_id, {})[kind] = n
    sent = already = nothing = 0
    messages, done = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for pref in prefs:
            if pref.digest_last_sent_on is not None and pref.digest_last_sent_on >= day:
                already += 1
                continue
            mine = counts.get(pref.user_id)
            if not mine or not pref.user.email:
                nothing += 1
                continue
            subject, body = digest_body(mine, link)
            messages.append(EmailMessage(subject, body, to=[pref.user.email]))
            done.append(pref.pk)
    if messages:
        sent = get_connection().send_messages(messages) or 0
        NotificationPreference.objects.filter(pk__in=done).update(digest_last_sent_on=day)
    return DigestRun(sent=sent, skipped_already_sent=already, skipped_nothing_unread=nothing)
