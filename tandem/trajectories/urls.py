from django.urls import include, path

from . import views

app_name = "trajectories"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("start/<uuid:person_id>/", views.trajectory_start, name="trajectory_start"),
    path("<uuid:public_id>/", views.trajectory_detail, name="trajectory_detail"),
    path("<uuid:public_id>/status/", views.trajectory_transition, name="trajectory_transition"),
    path("<uuid:public_id>/duo/", views.trajectory_duo, name="trajectory_duo"),
    path("<uuid:public_id>/goals/new/", views.goal_create, name="goal_create"),
    path(
        "<uuid:public_id>/goals/<int:goal_id>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path("<uuid:public_id>/actions/<int:action_id>/", views.action_update, name="action_update"),
    path("<uuid:public_id>/contacts/new/", views.contact_create, name="contact_create"),
    path("<uuid:public_id>/expert/", views.expert_request, name="expert_request"),
    path(
        "expert-requests/<int:request_id>/",
        views.expert_request_respond,
        name="expert_request_respond",
    ),
    path("<uuid:public_id>/", include("tandem.trajectories.urls_measurement")),
    path("<uuid:public_id>/", include("tandem.trajectories.urls_pop")),
    path("<uuid:public_id>/", include("tandem.trajectories.urls_jobcoaching")),
]
