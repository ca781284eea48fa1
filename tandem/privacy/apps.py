from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Top of the stack: the subject-access export, erasure and retention, gathering each
    app's own sections."""

    name = "tandem.privacy"
    label = "privacy"
    verbose_name = "Privacy"
