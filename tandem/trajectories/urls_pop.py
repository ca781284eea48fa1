"""Routes of the POP part of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path

from . import views_pop

urlpatterns = [
    path("pop/", views_pop.pop_detail, name="pop_detail"),
    path("pop/edit/", views_pop.pop_edit, name="pop_edit"),
    path("pop/<int:version>/", views_pop.pop_detail, name="pop_version"),
    path("pop/<int:version>/sign-off/", views_pop.pop_sign_off, name="pop_sign_off"),
    path("pop/<int:version>/pdf/", views_pop.pop_pdf, name="pop_pdf"),
]
