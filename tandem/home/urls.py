from django.urls import path

from . import views
from .agenda import views as agenda_views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", agenda_views.agenda, name="agenda"),
    path("agenda/<str:day>/print/", agenda_views.day_list_pdf, name="agenda_day_pdf"),
]
