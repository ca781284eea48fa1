"""The WebAuthn ceremonies of django-otp-webauthn, with Tandem's rules:

- registering a passkey needs a login confirmed with a second factor, or, for a first device,
  the administrator's enrolment code entered in this session (``accounts:otp_setup``);
- a registration is audited; a first device gets recovery codes, shown once next;
- a passkey confirms a password login only (no passwordless login: the setting is off and a
  ceremony without a logged-in user is refused); a success is audited and the session gets a
  new id.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from ..twofactor import (
    ENROLMENT_SESSION_KEY,
    RECOVERY_SESSION_KEY,
    has_second_factor,
    is_verified,
    passkey_login_record,
    passkey_registration_record,
)


class EnrolmentNeeded(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _(
        "Enter the enrolment code from your administrator first, or confirm your login."
    )
    default_code = "enrolment_needed"


class _MayRegister:
    request: Any

    def check_can_register(self) -> None:
        user = self.request.user
        enrolled_now = self.request.session.get(ENROLMENT_SESSION_KEY) == user.pk
        if not (is_verified(user) or enrolled_now):
            raise EnrolmentNeeded()


class PasskeyRegistrationBegin(_MayRegister, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationComplete(_MayRegister, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        user = self.get_user()
        first = not has_second_factor(user)
        response = super().post(*args, **kwargs)
        credential_id = json.loads(response.content)["id"]
        codes = passkey_registration_record(acting_user=user, credential_id=credential_id)
        if first:
            # The session now carries more rights than before: give it a new id.
            self.request.session.cycle_key()
            self.request.session.pop(ENROLMENT_SESSION_KEY, None)
        if codes:
            self.request.session[RECOVERY_SESSION_KEY] = codes
        return response


class _SecondFactorOnly:
    def get_user(self) -> Any:
        user = self.request.user  # type: ignore[attr-defined]
        return user if user.is_authenticated else None

    def check_can_authenticate(self) -> None:
        if self.get_user() is None:
            raise exceptions.PasswordlessLoginDisabled()


class PasskeyAuthenticationBegin(_SecondFactorOnly, BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationComplete(_SecondFactorOnly, CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        if device.user_id != self.request.user.pk:
            raise exceptions.CredentialUserMismatch()
        super().complete_auth(device)
        self.request.session.cycle_key()
        passkey_login_record(acting_user=self.request.user, device=device)
