from django.urls import path

from . import views
from .requests import views as request_views

# The paths stay under /audit/ (config/urls.py); the names are privacy:….
app_name = "privacy"

urlpatterns = [
    # The data-protection officer only.
    path("access/", views.access_search, name="access_search"),
    path("persons/<uuid:public_id>/erase/", views.person_erase, name="person_erase"),
    # The DPO (their organisation's persons) and a mediator who can see the person.
    path("persons/<uuid:public_id>/access/", views.person_access, name="person_access"),
    path(
        "persons/<uuid:public_id>/export/json/",
        views.person_export_json,
        name="person_export_json",
    ),
    path("persons/<uuid:public_id>/export/pdf/", views.person_export_pdf, name="person_export_pdf"),
    # The DPO's register of data-subject requests (issue 18).
    path("requests/", request_views.request_list, name="request_list"),
    path("requests/new/", request_views.request_create, name="request_create"),
    path("requests/<uuid:public_id>/", request_views.request_detail, name="request_detail"),
]
