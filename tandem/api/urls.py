"""``/api/``: the OpenAPI schema, its docs, and version 1 (each endpoint family's urls)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include("tandem.api.referrals.urls")),
    path("v1/", include("tandem.api.status.urls")),
]
