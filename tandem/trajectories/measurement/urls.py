"""Routes of the measurement part of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("readings/", views.measurement_readings, name="measurement_readings"),
    path("readings/new/", views.measurement_record, name="measurement_record"),
]
