from django.urls import path

from . import views

urlpatterns = [
    path("directory/", views.Directory.as_view(), name="directory"),
    path(
        "directory/services/<uuid:service_id>/",
        views.DirectoryService.as_view(),
        name="directory_service",
    ),
]
