"""Who must confirm a login with a second factor, and the devices that make the codes.

Staff (the Django admin) and the roles in ``TANDEM_2FA_ROLES`` (every role that reads case
files) log in with a password and then a 6-digit code from an authenticator app (django-otp's
TOTP device) or a passkey, or, when those are lost, one of their recovery codes (django-otp's
static tokens, each usable once). ``TANDEM_REQUIRE_2FA`` switches the requirement off for a
demo on a developer's machine (``check --deploy`` refuses that).

Linking a first device needs more than the password: a one-time enrolment code issued by an
administrator (``EnrolmentCode``: only its hash is stored; it expires and is used once). An
administrator's device reset removes every device and leaves the user a notice for their next
login (``UserNotice``; there is no mail server).
"""

from __future__ import annotations

import logging
import secrets
from base64 import b32encode
from datetime import timedelta
from enum import Enum
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .models import EnrolmentCode, User, UserNotice

logger = logging.getLogger(__name__)

DEVICE_NAME = "Tandem"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Enrolment codes: 12 characters from an alphabet without look-alikes (60 bits), in groups of 4.
ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ENROLMENT_LENGTH = 12
# The session of a user who entered a valid enrolment code may link a device (ids: user, code).
ENROLMENT_SESSION_KEY = "tandem_enrolment"
# New recovery codes wait here between the request that made them and the page that shows them
# once.
RECOVERY_SESSION_KEY = "tandem_recovery_codes"


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


def has_second_factor(user: Any) -> bool:
    """Whether the user has linked a device (an authenticator app or a passkey); recovery codes
    alone do not count: they are for a lost device."""
    return any(
        model.objects.filter(user=user, confirmed=True).exists() for model in device_models()
    )


def device_models() -> list[type[Device]]:
    """The device kinds a user links to log in (not the recovery codes)."""
    models: list[type[Device]] = [TOTPDevice]
    try:
        from django_otp_webauthn.models import WebAuthnCredential
    except ImportError:  # pragma: no cover - the package is a dependency
        return models
    return [*models, WebAuthnCredential]


def has_passkey(user: Any) -> bool:
    """Whether the user has a passkey to log in with (the code page then offers it)."""
    return any(
        model.objects.filter(user=user, confirmed=True).exists()
        for model in device_models()
        if model is not TOTPDevice
    )


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


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


def is_recovery_code(code: str) -> bool:
    """A recovery code is 8 characters of base32 (``StaticToken.random_token``); a TOTP code is
    six digits."""
    return not code.isdigit()


@transaction.atomic
def otp_login_verify(*, acting_user: Any, device: Device, code: str) -> CodeCheck:
    """Check a login code against one of the user's confirmed devices (their authenticator app
    or their recovery codes); audit a success. A recovery code is used up."""
    result = _check(acting_user, device, code)
    if result is CodeCheck.ACCEPTED:
        if isinstance(device, StaticDevice):
            audit_event_record(
                actor=acting_user,
                event_type=Event.USER_RECOVERY_CODE_USED,
                data={"left": recovery_codes_left(acting_user)},
            )
        else:
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


@transaction.atomic
def recovery_codes_generate(*, acting_user: Any) -> list[str]:
    """Give the user a new set of recovery codes (the old ones stop working); return them: they
    are shown once, the database keeps them only to check them (django-otp's static tokens)."""
    StaticDevice.objects.filter(user=acting_user).delete()
    device = StaticDevice(user=acting_user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.full_clean()
    device.save()
    codes: list[str] = []
    while len(codes) < settings.TANDEM_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes and not code.isdigit():
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_event_record(
        actor=acting_user,
        event_type=Event.USER_RECOVERY_CODES_GENERATED,
        data={"count": len(codes)},
    )
    return codes


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _enrolment_hash(code: str) -> str:
    return salted_hmac("tandem.enrolment-code", _normalised(code), algorithm="sha256").hexdigest()


def enrolment_code_format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def enrolment_code_issue(*, acting_user: User | None, user: User) -> tuple[EnrolmentCode, str]:
    """Issue a one-time enrolment code for ``user``; return it with the code in clear text,
    which is shown once and never stored. Earlier unused codes of the user stop working. An
    administrator cannot issue one for themself (``acting_user`` None: the operator's
    management command)."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(
            _("You cannot issue an enrolment code for yourself: ask another administrator."),
            code="own_enrolment_code",
        )
    if not user.is_active:
        raise ValidationError(
            _("This account is not active."),
            code="inactive",
        )
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _i in range(ENROLMENT_LENGTH))
    enrolment = EnrolmentCode(
        user=user,
        code_hash=_enrolment_hash(code),
        issued_by=acting_user,
        expires_at=now + timedelta(hours=settings.TANDEM_ENROLMENT_CODE_HOURS),
    )
    enrolment.full_clean()
    enrolment.save()
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation,
        event_type=Event.USER_ENROLMENT_CODE_ISSUED,
        data={"user": user.pk, "expires_at": enrolment.expires_at.isoformat()},
    )
    return enrolment, enrolment_code_format(code)


@transaction.atomic
def enrolment_code_use(*, acting_user: User, code: str) -> EnrolmentCode | None:
    """Use one of the user's own valid enrolment codes (once); audit it. None when the code is
    wrong, used, expired or someone else's."""
    wanted = _enrolment_hash(code)
    now = timezone.now()
    for enrolment in EnrolmentCode.objects.select_for_update().filter(
        user=acting_user, used_at=None, expires_at__gt=now
    ):
        if constant_time_compare(enrolment.code_hash, wanted):
            enrolment.used_at = now
            enrolment.full_clean()
            enrolment.save()
            audit_event_record(
                actor=acting_user,
                event_type=Event.USER_ENROLMENT_CODE_USED,
                data={"enrolment_code": enrolment.pk},
            )
            return enrolment
    logger.warning("Enrolment code refused for user %s.", acting_user.pk)
    return None


@transaction.atomic
def devices_reset(*, acting_user: User | None, user: User) -> int:
    """Remove every second-factor device of ``user`` (authenticator app, passkeys, recovery
    codes) — a lost phone; audit it and leave the user a notice for their next login. Return
    the number of devices removed. They link a new device with a new enrolment code."""
    removed = 0
    for model in [*device_models(), StaticDevice]:
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    notice = UserNotice(user=user, kind=UserNotice.Kind.DEVICES_RESET)
    notice.full_clean()
    notice.save()
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation,
        event_type=Event.USER_DEVICES_RESET,
        data={"user": user.pk, "removed": removed},
    )
    return removed


@transaction.atomic
def passkey_registration_record(*, acting_user: User, credential_id: int) -> list[str]:
    """Audit a passkey the user just registered (django-otp-webauthn saved it); a user's first
    device gets recovery codes, returned to be shown once (else an empty list)."""
    audit_event_record(
        actor=acting_user,
        event_type=Event.USER_PASSKEY_REGISTERED,
        data={"device": credential_id},
    )
    if recovery_device(acting_user) is None:
        return recovery_codes_generate(acting_user=acting_user)
    return []


def passkey_login_record(*, acting_user: User, device: Device) -> None:
    """Audit a login confirmed with a passkey."""
    audit_event_record(
        actor=acting_user,
        event_type=Event.USER_OTP_VERIFIED,
        data={"device": device.pk, "kind": "passkey"},
    )
