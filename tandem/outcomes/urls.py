from django.urls import include, path

from . import urls_quality

app_name = "outcomes"

# The outcome dashboard (/outcomes/) and the yearly report (/outcomes/report/…) are in
# tandem.reporting.
urlpatterns = [
    path("quality/", include(urls_quality)),
]
