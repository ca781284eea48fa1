from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.contact_new, name="contact_new"),
    path("prospects/", views.prospect_list, name="prospect_list"),
    path("prospects/<uuid:public_id>/", views.prospect_detail, name="prospect_detail"),
    path("prospects/<uuid:public_id>/register/", views.prospect_convert, name="prospect_convert"),
    path("places/", views.place_list, name="place_list"),
    path("places/new/", views.place_create, name="place_create"),
    path("funnel/", views.funnel_view, name="funnel"),
]
