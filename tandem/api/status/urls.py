from django.urls import path

from . import views

urlpatterns = [
    path("status/events/", views.StatusUpload.as_view(), name="status_upload"),
]
