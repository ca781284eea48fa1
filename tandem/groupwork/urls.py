from django.urls import include, path

from . import views

app_name = "groupwork"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/modules/new/", views.module_create, name="module_create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("", include("tandem.groupwork.enrolment.urls")),
    path("", include("tandem.groupwork.networkmap.urls")),
    path("", include("tandem.groupwork.selfassessment.urls")),
    path("", include("tandem.groupwork.expert.urls")),
    path("", include("tandem.groupwork.figures.urls")),
]
