from django.urls import include, path

from . import urls_dashboard, urls_quality, urls_report

app_name = "outcomes"

urlpatterns = [
    path("", include(urls_dashboard)),
    path("report/", include(urls_report)),
    path("quality/", include(urls_quality)),
]
