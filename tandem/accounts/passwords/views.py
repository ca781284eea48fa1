"""A user changes their own password; anyone with an administrator's reset link sets one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from tandem.accounts.decorators import AuthenticatedRequest
from tandem.common.flows import submit

from . import selectors, services


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    """Django's password change form (old password, new one twice) on Tandem's page."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)

    def change(data: dict[str, Any]) -> None:
        services.password_change(acting_user=user, user=user, new_password=data["new_password1"])
        # The password is part of the session's hash: keep this session logged in.
        update_session_auth_hash(request, user)

    if done := submit(
        request, form, change, message=_("Your password is changed."), then="home:home"
    ):
        return done
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a new password with a one-time link from an administrator (no login needed)."""
    user = selectors.reset_link_user(uidb64, token)
    if user is None:
        return render(request, "accounts/password_reset_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.password_reset_link_use(
            user=user, token=token, new_password=data["new_password1"]
        ),
        message=_("Your new password is set. Log in with it."),
        then="accounts:login",
    ):
        return done
    return render(request, "accounts/password_reset.html", {"form": form, "reset_user": user})
