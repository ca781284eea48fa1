from django.urls import path

from . import views

urlpatterns = [
    path("project/", views.trajectory_project, name="trajectory_project"),
]
