from django.urls import path

from . import views

urlpatterns = [
    path("aggregates/outflow/", views.Outflow.as_view(), name="aggregate_outflow"),
    path(
        "aggregates/projects/<int:project_id>/esf-indicators/",
        views.EsfIndicators.as_view(),
        name="aggregate_esf_indicators",
    ),
    path(
        "aggregates/referrals/",
        views.ReferralFigures.as_view(),
        name="aggregate_referral_figures",
    ),
    path("aggregates/group-work/", views.GroupWork.as_view(), name="aggregate_group_work"),
]
