from django.urls import path

from . import views_report

urlpatterns = [
    path("pdf/", views_report.report_pdf, name="report_pdf"),
    path("xlsx/", views_report.report_xlsx, name="report_xlsx"),
]
