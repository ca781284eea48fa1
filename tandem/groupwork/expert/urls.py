"""Routes of a coach's request for an experience expert, included by ``tandem.groupwork.urls``
(namespace ``groupwork``)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path(
        "enrolments/<uuid:public_id>/expert/",
        views.enrolment_expert,
        name="enrolment_expert",
    ),
]
