from django.urls import include, path

from . import views

app_name = "network"

urlpatterns = [
    path("persons/<uuid:public_id>/consents/", views.consent_list, name="consent_list"),
    path(
        "persons/<uuid:public_id>/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "persons/<uuid:public_id>/consents/<uuid:consent_id>/pdf/",
        views.consent_pdf,
        name="consent_pdf",
    ),
    path("referrals/", include("tandem.network.urls_referral")),
    path("directory/", include("tandem.network.urls_directory")),
]
