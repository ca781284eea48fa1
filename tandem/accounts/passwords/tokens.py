"""The tokens of the administrator's one-time reset links (there is no mail server).

Django's password-reset token generator, with its own salt and a shorter life: a token names
the user and the moment it was made, and is signed over the user's password hash and last
login, so it stops working as soon as the password is set (single use) or the user logs in,
and after ``TANDEM_PASSWORD_RESET_HOURS`` (24 by default). Nothing is stored: the
administrator sees the link once, on the page that made it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


def reset_link_hours() -> int:
    return int(getattr(settings, "TANDEM_PASSWORD_RESET_HOURS", 24))


class ResetLinkTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "tandem.accounts.passwords.tokens.ResetLinkTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not super().check_token(user, token):
            return False
        assert token is not None
        made = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - made <= reset_link_hours() * 3600


reset_link_tokens = ResetLinkTokenGenerator()
