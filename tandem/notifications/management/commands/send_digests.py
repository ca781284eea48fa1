from typing import Any

from django.core.management.base import BaseCommand

from tandem.notifications.digest import digests_send


class Command(BaseCommand):
    help = (
        "Send the daily e-mail digest of unread notifications (counts and a link, no person "
        "data) to the users who asked for it; at most one per user per day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digests_send()
        self.stdout.write(
            f"digests sent: {run.sent}; already sent today: {run.skipped_already_sent}; "
            f"nothing unread or no e-mail address: {run.skipped_nothing_unread}"
        )
