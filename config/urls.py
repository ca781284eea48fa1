from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("tandem.accounts.urls")),
    # The partner API (issue 19): /api/v1/, its OpenAPI schema and docs.
    path("api/", include("tandem.api.urls")),
    # Passkeys (django-otp-webauthn's ceremonies, with Tandem's rules).
    path("accounts/passkeys/", include("tandem.accounts.passkeys.urls")),
    # Changing one's password and the administrator's one-time reset links.
    path("accounts/", include("tandem.accounts.passwords.urls")),
    path("persons/", include("tandem.registry.urls")),
    path("screenings/", include("tandem.screening.urls")),
    path("trajectories/", include("tandem.trajectories.urls")),
    # The access-log pages, the subject-access export and erasure (the privacy app).
    path("audit/", include("tandem.privacy.urls")),
    path("groupwork/", include("tandem.groupwork.urls")),
    # Reporting serves /programmes/dashboard/, /programmes/projects/<code>/indicators/, /outcomes/
    # and /outcomes/report/…; calls, projects and the data-quality page stay with their apps.
    path("", include("tandem.reporting.urls")),
    path("programmes/", include("tandem.programmes.urls")),
    path("outcomes/", include("tandem.outcomes.urls")),
    path("outreach/", include("tandem.outreach.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("", include("tandem.network.urls")),
    path("", include("tandem.home.urls")),
]

# Generic error pages with the request's correlation id (tandem/common/errors.py).
handler400 = "tandem.common.errors.bad_request"
handler403 = "tandem.common.errors.permission_denied"
handler404 = "tandem.common.errors.page_not_found"
handler500 = "tandem.common.errors.server_error"
