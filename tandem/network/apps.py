from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tandem.network"
    label = "network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        # A referral to a VDAB office waits in its intake queue: the office's decision there
        # is the referral's answer (tandem.registry.intake.services.SOURCE_ANSWERS).
        from tandem.registry.intake.models import IntakeSource
        from tandem.registry.intake.services import SOURCE_ANSWERS

        from .referrals.services import referral_answer_from_intake

        SOURCE_ANSWERS[IntakeSource.REFERRAL] = referral_answer_from_intake
