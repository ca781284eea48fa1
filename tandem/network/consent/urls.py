"""Consent routes, included at the root of the ``network`` namespace by ``network/urls.py``."""

from django.urls import path

from . import views

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
]
