from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("tandem.accounts.urls")),
    path("persons/", include("tandem.registry.urls")),
    path("screenings/", include("tandem.screening.urls")),
    path("trajectories/", include("tandem.trajectories.urls")),
    path("", include("tandem.common.urls")),
]
