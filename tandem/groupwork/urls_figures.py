from django.urls import path

from . import views_figures

urlpatterns: list = [
    path("figures/", views_figures.group_work_figures_view, name="figures"),
]
