from django.urls import path, register_converter

from tandem.common.converters import IsoDateConverter

from . import views
from .agenda import views as agenda_views

app_name = "home"

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", agenda_views.agenda, name="agenda"),
    path("agenda/<isodate:day>/print/", agenda_views.day_list_pdf, name="agenda_day_pdf"),
]
