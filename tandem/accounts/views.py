"""The second login step: a TOTP code for staff (``twofactor.py`` says who)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
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
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.common.flows import submit

from .decorators import AuthenticatedRequest
from .forms import OTPCodeForm
from .twofactor import (
    CodeCheck,
    confirmed_device,
    is_verified,
    otp_device_confirm,
    otp_login_verify,
    pending_device,
    qr_data_uri,
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


def _finish(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    # The session now carries more rights than before: give it a new id.
    request.session.cycle_key()


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for the code of the user's confirmed device after the password."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_required(user) or is_verified(user):
        return redirect(next_url)
    device = confirmed_device(user)
    if device is None:
        return redirect(_with_next("accounts:otp_setup", next_url))
    form = OTPCodeForm(request.POST or None)

    def verify(data: dict[str, Any]) -> None:
        _accept(otp_login_verify(acting_user=user, device=device, code=data["code"]))
        _finish(request, device)

    if done := submit(request, form, verify, then=next_url):
        return done
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Link an authenticator app: show the secret (text, URI, QR code), confirm a first code."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_required(user):
        return redirect(next_url)
    if confirmed_device(user) is not None:
        # One device per user; an administrator removes a lost one in the admin.
        if is_verified(user):
            return redirect(next_url)
        return redirect(_with_next("accounts:otp_verify", next_url))
    device = pending_device(user)
    form = OTPCodeForm(request.POST or None)

    def confirm(data: dict[str, Any]) -> None:
        _accept(otp_device_confirm(acting_user=user, device=device, code=data["code"]))
        device.refresh_from_db()
        _finish(request, device)

    if done := submit(
        request,
        form,
        confirm,
        message=_("Two-step login is set up. Keep your phone at hand."),
        then=next_url,
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
