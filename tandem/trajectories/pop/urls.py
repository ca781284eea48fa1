"""Routes of the POP part of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pop/", views.pop_detail, name="pop_detail"),
    path("pop/edit/", views.pop_edit, name="pop_edit"),
    path("pop/<int:version>/", views.pop_detail, name="pop_version"),
    path("pop/<int:version>/sign-off/", views.pop_sign_off, name="pop_sign_off"),
    path("pop/<int:version>/pdf/", views.pop_pdf, name="pop_pdf"),
    path(
        "pop/<int:version>/reroute/",
        views.pop_reroute_justify,
        name="pop_reroute_justify",
    ),
]
