from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "tandem.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        # Each app's page panels (tandem/common/panels.py): the person and trajectory pages
        # gather them without importing the apps that give them.
        autodiscover_modules("panels")
