"""Production settings: everything secret or host-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
TANDEM_ENVIRONMENT = "production"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random string of at least 50 characters."
    )
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
# Passkeys are bound to the site's host name (the first of DJANGO_ALLOWED_HOSTS) and accepted
# only from its https origins.
OTP_WEBAUTHN_RP_ID = ALLOWED_HOSTS[0].lstrip(".") if ALLOWED_HOSTS else "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS] or [
    "https://localhost"
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tandem.common.request_id.RequestIdFilter"}},
    "formatters": {
        "tandem": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "tandem",
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# The daily notification digest goes out over SMTP (issue 18): counts and a link only.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("TANDEM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TANDEM_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TANDEM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TANDEM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TANDEM_EMAIL_USE_TLS", "1") == "1"
