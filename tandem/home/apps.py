from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Top of the stack: the home page and its per-role panels, reading from every app."""

    name = "tandem.home"
    label = "home"
    verbose_name = "Home"
