"""Reads for the password pages."""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from tandem.accounts.models import User

from .tokens import reset_link_tokens


def reset_link_user(uidb64: str, token: str) -> User | None:
    """The active user a reset link was issued for, or ``None`` when the link is unknown,
    used (the password was set since), expired or made for someone else."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not reset_link_tokens.check_token(user, token):
        return None
    return user
