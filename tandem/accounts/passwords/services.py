"""Writes for passwords: each is recorded in the audit trail, never with the password."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .tokens import reset_link_hours, reset_link_tokens


def _password_set(user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_change(*, acting_user: User, user: User, new_password: str) -> User:
    """Set a user's own new password (the old one was checked by the form). The caller keeps
    the session (``update_session_auth_hash``); every other session of the user ends."""
    if acting_user.pk != user.pk:
        raise PermissionError("a user changes only their own password here")
    _password_set(user, new_password)
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation,
        event_type=Event.USER_PASSWORD_CHANGED,
        data={"username": user.username},
    )
    return user


@transaction.atomic
def password_reset_link_issue(*, acting_user: User, user: User) -> tuple[str, dt.datetime]:
    """Make a one-time reset link for ``user`` (the path; the administrator hands it over) and
    when it expires. Only a superuser issues one for a superuser (``PermissionError``)."""
    if user.is_superuser and not acting_user.is_superuser:
        raise PermissionError("only a superuser issues a reset link for a superuser")
    if not user.is_active:
        raise ValidationError(
            gettext("This user is not active: activate the user first."), code="inactive"
        )
    path = reverse(
        "passwords:password_reset",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), reset_link_tokens.make_token(user)],
    )
    expires = timezone.now() + dt.timedelta(hours=reset_link_hours())
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation,
        event_type=Event.USER_PASSWORD_RESET_LINK_ISSUED,
        data={"username": user.username, "expires_at": expires.isoformat(timespec="seconds")},
    )
    return path, expires


@transaction.atomic
def password_reset_link_use(*, user: User, token: str, new_password: str) -> User:
    """Set a new password through a reset link; the link then stops working."""
    if not reset_link_tokens.check_token(user, token):
        raise ValidationError(
            gettext("This link no longer works. Ask your administrator for a new one."),
            code="link_invalid",
        )
    _password_set(user, new_password)
    audit_event_record(
        actor=user,
        organisation=user.organisation,
        event_type=Event.USER_PASSWORD_RESET,
        data={"username": user.username},
    )
    return user
