from django.urls import path

from . import views

urlpatterns = [
    path("groupwork/requests/", views.RequestList.as_view(), name="groupwork_requests"),
    path(
        "groupwork/enrolments/<uuid:enrolment_id>/",
        views.EnrolmentDetail.as_view(),
        name="groupwork_enrolment",
    ),
    path(
        "groupwork/enrolments/<uuid:enrolment_id>/accept/",
        views.EnrolmentAccept.as_view(),
        name="groupwork_enrolment_accept",
    ),
    path(
        "groupwork/enrolments/<uuid:enrolment_id>/decline/",
        views.EnrolmentDecline.as_view(),
        name="groupwork_enrolment_decline",
    ),
    path("groupwork/intakes/", views.IntakeList.as_view(), name="groupwork_intakes"),
    path(
        "groupwork/intakes/<int:intake_id>/",
        views.IntakeDetail.as_view(),
        name="groupwork_intake",
    ),
    path(
        "groupwork/sessions/<int:session_id>/attendance/",
        views.AttendanceRecord.as_view(),
        name="groupwork_attendance",
    ),
]
