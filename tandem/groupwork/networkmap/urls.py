"""Routes of the social network map, included by ``tandem.groupwork.urls`` (namespace
``groupwork``)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path(
        "enrolments/<uuid:public_id>/network/",
        views.network_maps,
        name="network_maps",
    ),
    path(
        "enrolments/<uuid:public_id>/network/<slug:moment_code>/",
        views.network_map_edit,
        name="network_map_edit",
    ),
]
