"""Who must confirm a login with a TOTP code, and the devices that make the codes.

Staff (the Django admin) and the roles in ``TANDEM_2FA_ROLES`` log in with a password and then
a 6-digit code from an authenticator app (django-otp's TOTP device). ``TANDEM_REQUIRE_2FA``
switches the requirement off for a demo on a developer's machine.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from enum import Enum
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

logger = logging.getLogger(__name__)

DEVICE_NAME = "Tandem"


def two_factor_required(user: Any) -> bool:
    """Return whether ``user`` must confirm their login with a second factor."""
    if not getattr(settings, "TANDEM_REQUIRE_2FA", True):
        return False
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = frozenset(getattr(settings, "TANDEM_2FA_ROLES", ()))
    return bool(user.role_codes & roles)


def is_verified(user: Any) -> bool:
    """Return whether this session's login was confirmed with a device (``OTPMiddleware``)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def needs_second_factor(user: Any) -> bool:
    """Return whether ``user`` must still enter a code before anything else."""
    return two_factor_required(user) and not is_verified(user)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """Return the user's unconfirmed device, made on first use: its secret stays the same
    while the user sets up their app, also when the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as a QR code: an SVG drawn on the server, as a ``data:`` URI."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, light="#fff"))


class CodeCheck(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


def _check(user: Any, device: TOTPDevice, code: str) -> CodeCheck:
    device.refresh_from_db()
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        # django-otp doubles the wait after each wrong code in a row (1 s, 2 s, 4 s, …).
        logger.warning("Two-factor code refused for user %s: too many wrong codes.", user.pk)
        return CodeCheck.THROTTLED
    # Checks under a row lock, so one code cannot be used twice at the same moment.
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        logger.warning("Two-factor code refused for user %s: wrong code.", user.pk)
        return CodeCheck.WRONG
    return CodeCheck.ACCEPTED


@transaction.atomic
def otp_login_verify(*, acting_user: Any, device: TOTPDevice, code: str) -> CodeCheck:
    """Check a login code against the user's confirmed device; audit a success."""
    result = _check(acting_user, device, code)
    if result is CodeCheck.ACCEPTED:
        audit_event_record(actor=acting_user, event_type=Event.USER_OTP_VERIFIED)
    return result


@transaction.atomic
def otp_device_confirm(*, acting_user: Any, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a new device with its first code; audit it. A user keeps one device."""
    result = _check(acting_user, device, code)
    if result is CodeCheck.ACCEPTED:
        device.refresh_from_db()
        device.confirmed = True
        device.full_clean()
        device.save()
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        audit_event_record(
            actor=acting_user,
            event_type=Event.USER_OTP_DEVICE_CONFIRMED,
            data={"device": device.pk},
        )
    return result
