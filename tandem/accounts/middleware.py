"""Send a user who must confirm their login with a code to the code step, from every page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .twofactor import has_second_factor, needs_second_factor

# Pages a half-logged-in user may still open: the code steps themselves (passkeys too), logging
# out and the language switch. Everything else (the admin included) waits for the code.
ALLOWED_URL_NAMES = (
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:logout",
    # The passkey ceremonies (their views check enrolment or a confirmed login themselves).
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)
ALLOWED_PATHS = ("set_language",)


class TwoFactorMiddleware:
    """Runs after ``django_otp.middleware.OTPMiddleware``, which tells whether the session's
    login was confirmed with a device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user) and not self._allowed(request):
            name = "accounts:otp_verify" if has_second_factor(user) else "accounts:otp_setup"
            url = reverse(name)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(url)
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        paths = {reverse(name) for name in ALLOWED_URL_NAMES}
        paths.update(reverse(name) for name in ALLOWED_PATHS)
        return request.path in paths
