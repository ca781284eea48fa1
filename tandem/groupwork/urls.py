from django.urls import include, path

from . import views

app_name = "groupwork"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/modules/new/", views.module_create, name="module_create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
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
    path("", include("tandem.groupwork.urls_network")),
    path("", include("tandem.groupwork.urls_figures")),
]
