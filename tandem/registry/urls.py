from django.urls import path

from . import views
from .intake import views as intake_views

app_name = "registry"

urlpatterns = [
    path("", views.person_search, name="person_search"),
    path("new/", views.person_create, name="person_create"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/household/", views.household_edit, name="household_edit"),
    path("intake/", intake_views.intake_queue, name="intake_queue"),
    path("intake/<uuid:public_id>/", intake_views.intake_decide, name="intake_decide"),
]
