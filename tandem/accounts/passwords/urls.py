from django.urls import path

from . import views

app_name = "passwords"

urlpatterns = [
    path("password_change/", views.password_change, name="password_change"),
    path("reset/<uidb64>/<token>/", views.password_reset, name="password_reset"),
]
