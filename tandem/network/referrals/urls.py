"""Referral routes, included under ``referrals/`` in the network namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.referral_inbox, name="referral_inbox"),
    path("sent/", views.referral_sent, name="referral_sent"),
    path("figures/", views.referral_figures, name="referral_figures"),
    path(
        "new/<uuid:trajectory_id>/actions/<int:action_id>/",
        views.referral_send,
        name="referral_send",
    ),
    path("<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<uuid:referral_id>/status/", views.referral_transition, name="referral_transition"),
    path("<uuid:referral_id>/updates/", views.referral_note, name="referral_note"),
]
