from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tandem.api"
    label = "api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        # The OpenAPI description of the bearer token (drf-spectacular extension).
        from . import schema  # noqa: F401
