"""Settings for a developer's machine and `make demo`: DEBUG on, SQLite by default."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
TANDEM_ENVIRONMENT = "local"
# `make demo` logins work without a phone; staging and production ask staff for a TOTP code.
TANDEM_REQUIRE_2FA = False
