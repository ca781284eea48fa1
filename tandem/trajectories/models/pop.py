"""The POP (persoonlijk ontwikkelingsplan): job target, participation perspective and an
action plan on work and on welfare (DOMAIN.md §5). Versioned: a signed-off version is never
changed; a new version starts from the latest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField

from .trajectory import Trajectory


class Perspective(models.TextChoices):
    NEC = "nec", _("Regular labour market (NEC)")
    SOCIAL_ECONOMY = "social_economy", _("Social economy (maatwerk)")
    LDE = "lde", _("Local services economy (LDE)")
    WORK_CARE = "work_care", _("Work-care (arbeidszorg)")
    NOT_FEASIBLE = "not_feasible", _("Work not feasible now")


class PopReport(BaseModel):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="pops")
    version = models.PositiveSmallIntegerField(_("version"))
    job_target = models.CharField(_("job target"), max_length=200, blank=True)
    perspective = models.CharField(
        _("participation perspective"), max_length=16, choices=Perspective.choices
    )
    work_plan = LimitedTextField(_("next steps on work"), blank=True, max_length=NOTE_MAX)
    welfare_plan = LimitedTextField(_("next steps on welfare"), blank=True, max_length=NOTE_MAX)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)

    class Meta:
        verbose_name = _("POP")
        verbose_name_plural = _("POPs")
        ordering = ["trajectory", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "version"], name="pop_version_unique")
        ]

    def __str__(self) -> str:
        return f"POP v{self.version}"


class RerouteJustification(BaseModel):
    """Why a W² trajectory goes on although its signed-off POP calls for re-routing
    (``pop.rules.pop_calls_for_rerouting``): the duo's answer to the prompt on the trajectory
    page, for that version of the POP. Case content: the audit trail keeps that a reason was
    given, not the reason."""

    pop = models.OneToOneField(
        PopReport,
        verbose_name=_("POP"),
        on_delete=models.CASCADE,
        related_name="reroute_justification",
    )
    reason = LimitedTextField(_("why the W² trajectory continues"), max_length=REASON_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_on = models.DateField(_("written on"))

    class Meta:
        verbose_name = _("justification for not re-routing")
        verbose_name_plural = _("justifications for not re-routing")

    def __str__(self) -> str:
        return f"{self.pop}: {self.written_on}"
