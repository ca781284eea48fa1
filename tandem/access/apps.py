from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access layer: scoping rules and access logging. No models, no pages."""

    name = "tandem.access"
    label = "access"
