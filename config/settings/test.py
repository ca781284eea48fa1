"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL says so)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
TANDEM_ENVIRONMENT = "test"
LANGUAGE_CODE = "nl"
# Hashing every factory user with Argon2 would dominate the run; one test checks the base
# settings hash with Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests log in with force_login; the two-factor tests switch this on where they test it.
# django-axes stays enabled, so the lockout tests use the real backend and middleware.
TANDEM_REQUIRE_2FA = False
