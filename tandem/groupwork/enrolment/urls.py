"""Routes of enrolment, groups, sessions and attendance, included by ``tandem.groupwork.urls``
(namespace ``groupwork``)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("modules/<int:pk>/intakes/new/", views.intake_create, name="intake_create"),
    path("groups/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("requests/", views.request_inbox, name="request_inbox"),
    path("enrol/<uuid:public_id>/", views.enrolment_create, name="enrolment_create"),
    path("enrolments/<uuid:public_id>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<uuid:public_id>/decide/", views.enrolment_decide, name="enrolment_decide"),
    path("enrolments/<uuid:public_id>/leave/", views.enrolment_leave, name="enrolment_leave"),
    path(
        "enrolments/<uuid:public_id>/complete/",
        views.enrolment_complete,
        name="enrolment_complete",
    ),
    path(
        "enrolments/<uuid:public_id>/dropout-seen/",
        views.dropout_acknowledge,
        name="dropout_acknowledge",
    ),
    path("enrolments/<uuid:public_id>/notes/new/", views.note_create, name="note_create"),
    path(
        "enrolments/<uuid:public_id>/pop-input/new/",
        views.pop_input_create,
        name="pop_input_create",
    ),
    path("pop-input/<int:pk>/adopt/", views.pop_input_adopt, name="pop_input_adopt"),
]
