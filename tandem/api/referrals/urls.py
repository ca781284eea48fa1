from django.urls import path

from . import views

urlpatterns = [
    path("referrals/inbox/", views.ReferralInbox.as_view(), name="referral_inbox"),
    path("referrals/sent/", views.ReferralSent.as_view(), name="referral_sent"),
    path("referrals/<uuid:referral_id>/", views.ReferralDetail.as_view(), name="referral_detail"),
    path(
        "referrals/<uuid:referral_id>/accept/",
        views.ReferralAccept.as_view(),
        name="referral_accept",
    ),
    path(
        "referrals/<uuid:referral_id>/decline/",
        views.ReferralDecline.as_view(),
        name="referral_decline",
    ),
    path(
        "referrals/<uuid:referral_id>/no-capacity/",
        views.ReferralNoCapacity.as_view(),
        name="referral_no_capacity",
    ),
    path(
        "referrals/<uuid:referral_id>/start/", views.ReferralStart.as_view(), name="referral_start"
    ),
    path(
        "referrals/<uuid:referral_id>/complete/",
        views.ReferralComplete.as_view(),
        name="referral_complete",
    ),
    path(
        "referrals/<uuid:referral_id>/not-reached/",
        views.ReferralNotReached.as_view(),
        name="referral_not_reached",
    ),
]
