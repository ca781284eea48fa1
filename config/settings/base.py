"""Settings shared by every environment.

Environment-specific files (local, test, production) import from here and override.
The database is chosen by ``DATABASE_URL``; without it an SQLite file under ``var/`` is used.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    # Django's admin, with a site that also asks staff for their verified second factor.
    "tandem.accounts.admin_site.TandemAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    # The partner API (issue 19): DRF, filters, the OpenAPI schema and its docs' assets.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tandem.common",
    "tandem.accounts",
    "tandem.access",
    "tandem.audit",
    "tandem.registry",
    "tandem.screening",
    "tandem.trajectories",
    "tandem.network",
    "tandem.programmes",
    "tandem.groupwork",
    "tandem.outreach",
    "tandem.outcomes",
    # Notifications (issue 18): low in the layering, every app's services may notify.
    "tandem.notifications",
    # Top of the stack: these read from the apps above and nothing below imports them.
    "tandem.reporting",
    "tandem.privacy",
    "tandem.home",
    # The partner API (issue 19): calls the services and selectors of every app below.
    "tandem.api",
    "tandem.demo",
]

MIDDLEWARE = [
    # First, so every response (even a static file or an error page) carries the request id.
    "tandem.common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tandem.common.csp.NonceCSPMiddleware",
    "tandem.common.middleware.NoStoreForPersonDataMiddleware",
    "tandem.accounts.middleware.TwoFactorMiddleware",
    # A service's PermissionError (a refused action) becomes the 403 page, not a 500.
    "tandem.common.middleware.RefusedActionMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the 429 lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.accounts.context_processors.roles",
                "tandem.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# PostgreSQL in production: DATABASE_URL is the application's role, which does not own the
# tables; DATABASE_OWNER_URL the owner, which `manage.py migrate` and `db_roles` use (README,
# "Running the production settings"). Same database, another login.
# PostgreSQL's JIT compiles a query to machine code when the planner's cost estimate is high;
# Tandem's pages run short queries over large tables, where the compiling costs more than it
# saves (issue 20: the ESF+ indicators page spent 931 ms with JIT, 213 ms without, at 200,000
# persons). Off for the application's connections; TANDEM_PG_JIT=on puts it back.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _jit = "on" if os.environ.get("TANDEM_PG_JIT", "off") == "on" else "off"
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit={_jit}".strip()
if _owner_url := os.environ.get("DATABASE_OWNER_URL"):
    DATABASES["owner"] = {**dj_database_url.parse(_owner_url), "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tandem.accounts.backends.TandemBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2 first: new and re-hashed passwords use it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # No repetition (aaaa, abcabc) and no sequence (abcde, 12345, qwerty, azerty).
    {"NAME": "tandem.accounts.validators.PatternPasswordValidator"},
]

# Sessions: 30 minutes idle (renewed by the session middleware at most once a minute), never
# longer than a working day.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
# Dates and numbers shown the same way on every page (tandem/common/formats).
FORMAT_MODULE_PATH = ["tandem.common.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Login lockout (django-axes): 5 failures for one username from one IP address lock that
# pair out for 30 minutes; a try during the lockout does not extend it. Failures are kept in
# AccessAttempt and AccessFailureLog (Django admin, "Axes").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "tandem.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# Two-factor login (django-otp): staff and these roles — every role that reads case files, and
# the administrators, programme managers and DPOs — confirm every login with a second factor (a
# TOTP code or a recovery code). Unknown role codes are harmless. Only config/settings/local.py
# (`make demo`) and the test settings may switch TANDEM_REQUIRE_2FA off: `check --deploy` fails
# when it is off (tandem.accounts.checks).
TANDEM_REQUIRE_2FA = True
TANDEM_2FA_ROLES = [
    "admin",
    "programme_manager",
    "data_protection_officer",
    "mediator",
    "welfare_partner",
    "service_line",
    "outreach_worker",
    "experience_expert",
    "job_coach",
    "group_coach",
]
# A first device is linked only with a one-time enrolment code from an administrator.
TANDEM_ENROLMENT_CODE_HOURS = 72
TANDEM_RECOVERY_CODES = 10
# Passkeys (django-otp-webauthn) as the second factor only, never instead of the password. The
# relying party is the host users open; production sets it from DJANGO_ALLOWED_HOSTS.
OTP_WEBAUTHN_RP_NAME = "Tandem"
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = "Tandem"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content Security Policy (django-csp 4): only our own files; every HTML page gets a nonce so
# a template can add an inline <script nonce="{{ request.csp_nonce }}"> if it ever must.
# No inline style attributes or <style> blocks: charts are SVG with presentation attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Error pages show the request's correlation id (also sent as X-Request-ID and on every log
# line), never a traceback.
CSRF_FAILURE_VIEW = "tandem.common.errors.csrf_failure"

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
    "root": {"handlers": ["console"], "level": "WARNING"},
    # WeasyPrint warns about every CSS property it does not support (screen-only rules).
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Page size of person lists and search results.
TANDEM_PAGE_SIZE = 25

# National numbers one user may have refused in an hour (already registered: the person form
# then says only "cannot be registered here" to whoever may not see that person). After that,
# no number is looked up for the user until the hour has passed: the form is no way to test
# numbers one after another. Every refusal is an audit event (person.insz_refused).
TANDEM_INSZ_REFUSALS_PER_HOUR = 5

# An open referral without an update (status change or progress note) on this many days is
# overdue: the sender sees it on the caseload and at the top of the referrals sent.
TANDEM_REFERRAL_OVERDUE_DAYS = 14

# An intake waiting unassigned in an office's queue for more than this many working days
# (Monday to Friday, Belgian public holidays excluded) is flagged on the queue and home page.
TANDEM_INTAKE_FLAG_AFTER_WORKING_DAYS = 3

# Retention per record type, in whole years after the organisations last worked with the
# person (last trajectory closed, last screening, registration). `manage.py apply_retention`
# erases case content and screenings and pseudonymises the person; access-log rows are kept
# but pseudonymised after their own period. Reasons in the README ("Security and privacy").
TANDEM_RETENTION = {"case_content": 5, "screenings": 5, "access_log": 10}

# Group work: places per group (the evaluation asks for small groups) and the number of
# unexcused absences after which the mediator gets a drop-out signal. A programme may set
# its own threshold.
TANDEM_GROUP_CAPACITY = 8
TANDEM_GROUP_DROPOUT_ABSENCES = 3

# Disclosure control of published figures: counts from 1 to THRESHOLD - 1 are suppressed
# (tandem.common.disclosure). 5 hides 1–4, as Statistiek Vlaanderen does.
TANDEM_DISCLOSURE_THRESHOLD = 5

# E-mail: the daily notification digest (`manage.py send_digests`, issue 18) holds counts and a
# link, never person data. The demo and a developer's machine print it on the console;
# production sends it over SMTP (config/settings/production.py, from the environment).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("TANDEM_FROM_EMAIL", "tandem@localhost")
# The address of the site as users reach it, for links in e-mails.
TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://127.0.0.1:8000")

# The partner API (issue 19, tandem/api): bearer tokens of API clients only (no session: a
# browser's login never reaches it, and no CSRF token is needed), a scope per view and method,
# a rate per client, cursor pagination, django-filter, JSON in and out, problem+json errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tandem.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "tandem.api.permissions.IsApiClient",
        "tandem.api.permissions.HasScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["tandem.api.throttling.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "tandem.api.pagination.ApiCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tandem.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem partner API",
    "DESCRIPTION": (
        "The same rules as the pages, machine-readable: a client acts as a service user of its "
        "organisation; what it sees is decided by the one access layer, every person returned "
        "is written to the access log with the client's purpose."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used in several places (name → its TextChoices).
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "tandem.network.models.ReferralStatus",
        "TrajectoryStatusEnum": "tandem.trajectories.models.Status",
        "ActionStatusEnum": "tandem.trajectories.models.ActionStatus",
        "EnrolmentStatusEnum": "tandem.groupwork.models.EnrolmentStatus",
        "AttendanceStatusEnum": "tandem.groupwork.models.AttendanceStatus",
        "LifeDomainEnum": "tandem.common.models.LifeDomain",
        "ContactKindEnum": "tandem.trajectories.models.ContactKind",
        "PlannableContactKindEnum": "tandem.api.trajectories.serializers.PLANNABLE_KINDS",
    },
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tandem.api.schema.problems_postprocess",
    ],
    # Swagger UI from the installed drf-spectacular-sidecar package (static files), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
