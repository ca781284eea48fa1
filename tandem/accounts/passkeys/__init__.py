"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor: registering one needs an
enrolment code or an already confirmed login; using one confirms the login."""
