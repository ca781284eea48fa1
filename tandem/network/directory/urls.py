"""Routes of the services directory, included under ``directory/`` by ``network/urls.py``
(names in the ``network`` namespace, prefixed ``directory_``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory_search, name="directory_search"),
    path("services/new/", views.directory_service_create, name="directory_service_create"),
    path(
        "services/<uuid:service_id>/",
        views.directory_service_detail,
        name="directory_service_detail",
    ),
    path(
        "services/<uuid:service_id>/edit/",
        views.directory_service_edit,
        name="directory_service_edit",
    ),
    path(
        "services/<uuid:service_id>/locations/new/",
        views.directory_location_add,
        name="directory_location_add",
    ),
    path(
        "services/<uuid:service_id>/locations/<uuid:sal_id>/remove/",
        views.directory_location_remove,
        name="directory_location_remove",
    ),
    path(
        "organisations/<uuid:hsds_id>/",
        views.directory_organisation,
        name="directory_organisation",
    ),
    path(
        "organisations/<uuid:hsds_id>/edit/",
        views.directory_organisation_edit,
        name="directory_organisation_edit",
    ),
]
