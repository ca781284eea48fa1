"""Routes of the plan and contacts of a trajectory (included under /trajectories/<uuid>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/plan/", views.contact_plan, name="contact_plan"),
    path("contacts/<int:contact_id>/status/", views.contact_status, name="contact_status"),
]
