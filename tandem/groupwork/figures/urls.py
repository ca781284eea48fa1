"""Route of the group-work figures, included by ``tandem.groupwork.urls`` (namespace
``groupwork``)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("figures/", views.group_work_figures_view, name="figures"),
]
