"""Routes of the self-assessment, included by ``tandem.groupwork.urls`` (namespace
``groupwork``). It is shown on the network maps' page (``networkmap.views.network_maps``)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path(
        "enrolments/<uuid:public_id>/self-assessment/<slug:moment_code>/",
        views.self_assessment_edit,
        name="self_assessment_edit",
    ),
]
