from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Above the case apps: the programme dashboard and the funders' indicators, computed from
    trajectories, group work and outcomes."""

    name = "tandem.reporting"
    label = "reporting"
    verbose_name = "Reporting"
