from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tandem.network"
    label = "network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        # The subject-access export's "consents" section (it replaces the audit app's
        # placeholder).
        from . import export, retention  # noqa: F401
