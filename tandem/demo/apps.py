from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Top of the stack: the demo data builders and ``seed_demo``. Nothing imports this app."""

    name = "tandem.demo"
    label = "demo"
    verbose_name = "Demo data"
