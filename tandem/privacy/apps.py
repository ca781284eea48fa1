from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    """Top of the stack: the subject-access export, erasure and retention, gathering each
    app's own sections."""

    name = "tandem.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # The privacy app's own part (the access log, the audit trail), then every app's
        # ``privacy.py``: its export sections and retention steps (tandem.common.privacy_hooks).
        from . import sections, trail  # noqa: F401
        from .requests import hooks  # noqa: F401

        autodiscover_modules("privacy")
