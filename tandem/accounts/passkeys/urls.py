"""django-otp-webauthn's endpoints under its own namespace (its scripts reverse these names),
with Tandem's checks and audit events; no passwordless login."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import views

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        views.PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        views.PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
