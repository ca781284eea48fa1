from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("projects/<slug:code>/", views.project_detail, name="project_detail"),
    path(
        "projects/<slug:code>/indicators/", views.project_indicators_view, name="project_indicators"
    ),
]
