from django.urls import include, path

from .quality import urls as quality_urls

app_name = "outcomes"

# The outcome dashboard (/outcomes/) and the yearly report (/outcomes/report/…) are in
# tandem.reporting.
urlpatterns = [
    path("quality/", include(quality_urls)),
]
