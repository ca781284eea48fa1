from django.urls import path

from . import views

urlpatterns = [
    path("trajectories/", views.TrajectoryList.as_view(), name="trajectory_list"),
    path(
        "trajectories/<uuid:trajectory_id>/",
        views.TrajectoryDetail.as_view(),
        name="trajectory_detail",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/contacts/",
        views.ContactCreate.as_view(),
        name="trajectory_contact_create",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/contacts/planned/",
        views.PlannedContactCreate.as_view(),
        name="trajectory_contact_plan",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/actions/<int:action_id>/",
        views.ActionDetail.as_view(),
        name="trajectory_action",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/actions/<int:action_id>/done/",
        views.ActionDone.as_view(),
        name="trajectory_action_done",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/actions/<int:action_id>/drop/",
        views.ActionDrop.as_view(),
        name="trajectory_action_drop",
    ),
    path(
        "trajectories/<uuid:trajectory_id>/actions/<int:action_id>/reopen/",
        views.ActionReopen.as_view(),
        name="trajectory_action_reopen",
    ),
]
