"""``/api/``: the OpenAPI schema, its docs, and version 1 (each endpoint family's urls)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import NotFound

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include("tandem.api.referrals.urls")),
    path("v1/", include("tandem.api.persons.urls")),
    path("v1/", include("tandem.api.trajectories.urls")),
    path("v1/", include("tandem.api.groupwork.urls")),
    path("v1/", include("tandem.api.status.urls")),
    path("v1/", include("tandem.api.events.urls")),
    path("v1/", include("tandem.api.aggregates.urls")),
    path("v1/", include("tandem.api.directory.urls")),
    # Last: any other /api/ path (an id that is no uuid, say) is a problem+json 404, not a page.
    re_path(r"^", NotFound.as_view(), name="not_found"),
]
