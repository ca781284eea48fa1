"""Routes of the job-coaching part of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("job/", views.job_overview, name="job_overview"),
    path("job/new/", views.job_start_create, name="job_start_create"),
    path("job/<int:job_start_id>/coaching/", views.job_coaching_start, name="job_coaching_start"),
    path("job/<int:job_start_id>/end/", views.job_end_record, name="job_end_record"),
    path(
        "job/coaching/<int:coaching_id>/contacts/new/",
        views.coaching_contact_create,
        name="coaching_contact_create",
    ),
    path(
        "job/retention/<int:check_id>/",
        views.retention_check_record,
        name="retention_check_record",
    ),
]
