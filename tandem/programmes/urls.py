from django.urls import path

from . import views
from .funding import urls as funding_urls

app_name = "programmes"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("projects/<slug:code>/", views.project_detail, name="project_detail"),
    *funding_urls.urlpatterns,
]
