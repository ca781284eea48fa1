from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.EventFeed.as_view(), name="event_feed"),
]
