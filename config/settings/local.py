"""Settings for a developer's machine and `make demo`: SQLite by default, Tandem's own error
pages (TANDEM_TECHNICAL_ERRORS=1 for Django's technical ones)."""

import os

from .base import *  # noqa: F403

# The demo shows the error pages users see: Tandem's own, in Dutch, with the request id. A
# developer who wants Django's technical pages (traceback, the URL list on a 404) and template
# debugging starts with TANDEM_TECHNICAL_ERRORS=1, which turns DEBUG on. Either way a server
# error's traceback goes to the console log.
DEBUG = os.environ.get("TANDEM_TECHNICAL_ERRORS", "") == "1"
# Without DEBUG, runserver serves no static files: WhiteNoise (in the middleware) serves them
# straight from the static folders, without collectstatic, and picks up edits.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
TANDEM_ENVIRONMENT = "local"
# `make demo` logins work without a phone; staging and production ask staff for a TOTP code.
TANDEM_REQUIRE_2FA = False
