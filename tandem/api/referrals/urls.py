from django.urls import path

from . import views

urlpatterns = [
    path("referrals/inbox/", views.ReferralInbox.as_view(), name="referral_inbox"),
]
