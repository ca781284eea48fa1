"""An instrument-agnostic assessment engine: a scale has levels; an assessment (dated, agreed
with the client) has one reading per life domain. The shipped scale is an open 5-level
self-sufficiency scale (DOMAIN.md §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, LifeDomain
from tandem.common.text import NOTE_MAX, LimitedTextField

from .trajectory import Trajectory


class Scale(BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    is_default = models.BooleanField(_("default scale"), default=False)

    class Meta:
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="scale_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class Assessment(BaseModel):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="assessments")
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="assessments")
    on = models.DateField(_("date"))
    agreed_with_client = models.BooleanField(_("agreed with the client"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = LimitedTextField(_("note"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.scale} {self.on}"


class Reading(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="readings")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="reading_once_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.level}"
