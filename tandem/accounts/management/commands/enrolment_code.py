"""Issue a one-time enrolment code from the command line: for the first administrator (no one
can issue them one in the admin yet) or when no administrator can. Audited like the admin's
action (user.enrolment_code_issued, without an actor)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import User
from tandem.accounts.twofactor import enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time enrolment code so USERNAME can link a first second-factor device."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        enrolment, code = enrolment_code_issue(acting_user=None, user=user)
        self.stdout.write(
            f"Enrolment code for {user.username}: {code}\n"
            f"Valid once, until {enrolment.expires_at:%Y-%m-%d %H:%M %Z}. "
            "Give it to the user in person; it is not stored."
        )
