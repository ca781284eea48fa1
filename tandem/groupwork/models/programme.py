"""Programmes run by a promoter for a project and province, their modules, the intake moments
spread over the year (rolling intake) and the sessions of each group."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, Province
from tandem.common.text import NOTE_MAX, LimitedTextField


def default_capacity() -> int:
    """Small groups (the evaluation's ask): 8 unless the settings say otherwise."""
    return int(getattr(settings, "TANDEM_GROUP_CAPACITY", 8))


class Theme(models.TextChoices):
    SELF_INSIGHT = "self_insight", _("Self-insight")
    SOCIAL_NETWORK = "social_network", _("Social network")
    RESILIENCE = "resilience", _("Resilience")
    BUDGET = "budget", _("Budget")
    HOUSING = "housing", _("Housing")
    JOB_SEARCH = "job_search", _("Job search")
    LANGUAGE = "language", _("Language")
    DIGITAL_SKILLS = "digital_skills", _("Digital skills")
    WORK_EXPERIENCE = "work_experience", _("Work experience")
    OTHER = "other", _("Other")


class Programme(BaseModel):
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="group_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    promoter = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("promoter"),
        on_delete=models.PROTECT,
        related_name="group_programmes",
    )
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("group coaches"),
        blank=True,
        related_name="coached_programmes",
    )
    # Unexcused absences after which an enrolment is flagged as a possible drop-out; empty:
    # the setting TANDEM_GROUP_DROPOUT_ABSENCES (3).
    dropout_after = models.PositiveSmallIntegerField(
        _("drop-out signal after this many unexcused absences"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("group-work programme")
        verbose_name_plural = _("group-work programmes")
        ordering = ["province", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def dropout_threshold(self) -> int:
        if self.dropout_after:
            return self.dropout_after
        return int(getattr(settings, "TANDEM_GROUP_DROPOUT_ABSENCES", 3))


class Module(BaseModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="modules"
    )
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places per group"),
        default=default_capacity,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    is_active = models.BooleanField(_("open for enrolment"), default=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return self.name


class IntakeMoment(BaseModel):
    """One run of a module: a group that starts on a day. Several per year (rolling intake)."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="intakes"
    )
    starts_on = models.DateField(_("starts on"))

    class Meta:
        verbose_name = _("intake moment")
        verbose_name_plural = _("intake moments")
        ordering = ["module", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["module", "starts_on"], name="intake_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.module} – {self.starts_on:%d/%m/%Y}"


class GroupSession(BaseModel):
    intake = models.ForeignKey(
        IntakeMoment,
        verbose_name=_("intake moment"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(_("session"))
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_sessions",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["intake", "on", "starts_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intake.module} – {self.number} ({self.on:%d/%m/%Y})"
