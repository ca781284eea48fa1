from django.urls import path

from . import views_quality

urlpatterns = [
    path("", views_quality.quality, name="quality"),
]
