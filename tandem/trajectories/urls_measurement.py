"""Routes of the measurement part of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
