"""The network app's routes: each sub-domain's own, at the same paths and in one namespace."""

from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("", include("tandem.network.consent.urls")),
    path("referrals/", include("tandem.network.referrals.urls")),
    path("directory/", include("tandem.network.directory.urls")),
]
