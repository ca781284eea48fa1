from django.urls import include, path

from . import views

app_name = "trajectories"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("start/<uuid:person_id>/", views.trajectory_start, name="trajectory_start"),
    path("<uuid:public_id>/", views.trajectory_detail, name="trajectory_detail"),
    path("<uuid:public_id>/status/", views.trajectory_transition, name="trajectory_transition"),
    path("<uuid:public_id>/duo/", views.trajectory_duo, name="trajectory_duo"),
    path("<uuid:public_id>/expert/", views.expert_request, name="expert_request"),
    path(
        "expert-requests/<int:request_id>/",
        views.expert_request_respond,
        name="expert_request_respond",
    ),
    # The sub-packages' routes, under the trajectory.
    path("<uuid:public_id>/", include("tandem.trajectories.plan.urls")),
    path("<uuid:public_id>/", include("tandem.trajectories.measurement.urls")),
    path("<uuid:public_id>/", include("tandem.trajectories.pop.urls")),
    path("<uuid:public_id>/", include("tandem.trajectories.jobcoaching.urls")),
    path("<uuid:public_id>/", include("tandem.trajectories.funding.urls")),
]
