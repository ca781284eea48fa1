from django.urls import path

from . import views

urlpatterns = [
    path(
        "projects/<slug:code>/funding-exceptions/new/",
        views.funding_exception_create,
        name="funding_exception_create",
    ),
]
