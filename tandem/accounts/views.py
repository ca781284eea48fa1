"""The second login step: a TOTP code or a recovery code (``twofactor.py`` says who must),
linking a first device with an administrator's enrolment code, and the recovery codes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.models import Device

from tandem.common.flows import submit

from .decorators import AuthenticatedRequest
from .forms import EnrolmentCodeForm, LoginCodeForm, OTPCodeForm
from .twofactor import (
    ENROLMENT_SESSION_KEY,
    RECOVERY_SESSION_KEY,
    CodeCheck,
    confirmed_device,
    enrolment_code_use,
    has_passkey,
    has_second_factor,
    is_recovery_code,
    is_verified,
    otp_device_confirm,
    otp_login_verify,
    pending_device,
    qr_data_uri,
    recovery_codes_generate,
    recovery_codes_left,
    recovery_device,
    secret_base32,
    two_factor_required,
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _refusal(result: CodeCheck) -> str:
    if result is CodeCheck.THROTTLED:
        return _("Too many wrong codes in a row. Wait a little and try again.")
    return _(
        "This code is not right. Check that the time on your phone is correct and enter the "
        "code shown now."
    )


def _accept(result: CodeCheck) -> None:
    """A refused code is an error on the code field (the refusal itself is recorded)."""
    if result is not CodeCheck.ACCEPTED:
        raise ValidationError({"code": _refusal(result)})


def _finish(request: HttpRequest, device: Device) -> None:
    django_otp.login(request, device)
    # The session now carries more rights than before: give it a new id.
    request.session.cycle_key()


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for the code of the user's authenticator app (or a recovery code) after the
    password."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_required(user) or is_verified(user):
        return redirect(next_url)
    if not has_second_factor(user):
        return redirect(_with_next("accounts:otp_setup", next_url))
    form = LoginCodeForm(request.POST or None)

    def verify(data: dict[str, Any]) -> None:
        code = data["code"]
        device = recovery_device(user) if is_recovery_code(code) else confirmed_device(user)
        if device is None:
            _accept(CodeCheck.WRONG)
            return
        _accept(otp_login_verify(acting_user=user, device=device, code=code))
        _finish(request, device)
        if is_recovery_code(code):
            messages.warning(
                request,
                _(
                    "You logged in with a recovery code; %(left)d left. Make new ones on the "
                    "recovery codes page, and ask an administrator to reset your devices if "
                    "your phone is lost."
                )
                % {"left": recovery_codes_left(user)},
            )

    if done := submit(request, form, verify, then=next_url):
        return done
    context = {"form": form, "next": next_url, "passkeys": has_passkey(user)}
    return render(request, "accounts/otp_verify.html", context)


def _enrolment_ok(request: HttpRequest) -> bool:
    return request.session.get(ENROLMENT_SESSION_KEY) == request.user.pk


@never_cache
@sensitive_post_parameters("code", "enrolment_code")
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Link a first device: the administrator's enrolment code first, then the secret (text,
    URI, QR code) and a first code, or a passkey."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_required(user):
        return redirect(next_url)
    if has_second_factor(user):
        # One device per user; an administrator resets a lost one in the admin.
        if is_verified(user):
            return redirect(next_url)
        return redirect(_with_next("accounts:otp_verify", next_url))
    if not _enrolment_ok(request):
        enrol_form = EnrolmentCodeForm(request.POST or None)

        def enrol(data: dict[str, Any]) -> None:
            if enrolment_code_use(acting_user=user, code=data["enrolment_code"]) is None:
                raise ValidationError(
                    {
                        "enrolment_code": _(
                            "This enrolment code is not right, was used already or has "
                            "expired. Ask your administrator for a new one."
                        )
                    }
                )
            request.session[ENROLMENT_SESSION_KEY] = user.pk

        if done := submit(
            request, enrol_form, enrol, then=_with_next("accounts:otp_setup", next_url)
        ):
            return done
        return render(request, "accounts/otp_enrol.html", {"form": enrol_form, "next": next_url})
    device = pending_device(user)
    form = OTPCodeForm(request.POST or None)

    def confirm(data: dict[str, Any]) -> None:
        _accept(otp_device_confirm(acting_user=user, device=device, code=data["code"]))
        device.refresh_from_db()
        _finish(request, device)
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        request.session[RECOVERY_SESSION_KEY] = recovery_codes_generate(acting_user=user)

    if done := submit(
        request,
        form,
        confirm,
        message=_("Two-step login is set up. Keep your phone at hand."),
        then=_with_next("accounts:recovery_codes", next_url),
    ):
        return done
    context = {
        "form": form,
        "next": next_url,
        "secret": secret_base32(device),
        "otpauth_uri": device.config_url,
        "qr_data_uri": qr_data_uri(device),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """The user's recovery codes: new ones are shown once (after linking a device, or when the
    user makes new ones here, which stops the old ones)."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_required(user) or not is_verified(user):
        return redirect(next_url)
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = recovery_codes_generate(acting_user=user)
        return redirect(_with_next("accounts:recovery_codes", next_url))
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    context = {"codes": codes, "left": recovery_codes_left(user), "next": next_url}
    return render(request, "accounts/recovery_codes.html", context)
