from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("persons/<uuid:public_id>/new/", views.screening_create, name="screening_create"),
    path("<uuid:public_id>/", views.screening_detail, name="screening_detail"),
    path("<uuid:public_id>/route/", views.screening_route, name="screening_route"),
    path("<uuid:public_id>/refer/", views.screening_refer, name="screening_refer"),
]
