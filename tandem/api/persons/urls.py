from django.urls import path

from . import views

urlpatterns = [
    path("persons/search/", views.PersonSearch.as_view(), name="person_search"),
    path("persons/<uuid:person_id>/", views.PersonDetail.as_view(), name="person_detail"),
]
