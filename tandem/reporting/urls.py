"""Reporting's pages keep the paths they had under the programmes and outcomes apps."""

from django.urls import path

from . import outcomes_dashboard, views
from .yearly_report import views as yearly_report

app_name = "reporting"

urlpatterns = [
    path("programmes/dashboard/", views.programme_dashboard, name="programme_dashboard"),
    path(
        "programmes/projects/<slug:code>/indicators/",
        views.project_indicators_view,
        name="project_indicators",
    ),
    path("outcomes/", outcomes_dashboard.dashboard, name="outcomes_dashboard"),
    path("outcomes/report/pdf/", yearly_report.report_pdf, name="report_pdf"),
    path("outcomes/report/xlsx/", yearly_report.report_xlsx, name="report_xlsx"),
]
