"""Job start and job coaching (DOMAIN.md §2.6, §9): coaching starts only for a job that began
less than a year ago, with the employer's consent, and lasts at most six months."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, LimitedTextField

from .trajectory import Trajectory


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    TEMPORARY_AGENCY = "temporary_agency", _("Temporary agency work")
    SOCIAL_ECONOMY = "social_economy", _("Social economy (maatwerk)")
    ARTICLE_60 = "article_60", _("Article 60 (OCMW)")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    OTHER = "other", _("Other")


class JobStart(BaseModel):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="job_starts")
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="job_starts",
    )
    started_on = models.DateField(_("job started on"))
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices
    )
    job_title = models.CharField(_("job"), max_length=200, blank=True)
    ended_on = models.DateField(_("job ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("job start")
        verbose_name_plural = _("job starts")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.employer} {self.started_on}"


class JobCoaching(BaseModel):
    job_start = models.OneToOneField(JobStart, on_delete=models.CASCADE, related_name="coaching")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("job coach"),
        on_delete=models.PROTECT,
        related_name="coachings",
    )
    employer_consent_on = models.DateField(_("employer's consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("coaching started on"))
    ends_on = models.DateField(_("coaching ends on"))
    closed_on = models.DateField(_("coaching closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("job coaching")
        verbose_name_plural = _("job coachings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("started_on")),
                name="coaching_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return _("Job coaching from %(date)s") % {"date": self.started_on}


class CoachingContact(BaseModel):
    coaching = models.ForeignKey(JobCoaching, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    text = LimitedTextField(_("note"), max_length=NOTE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("coaching contact")
        verbose_name_plural = _("coaching contacts")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}"


class RetentionCheck(BaseModel):
    """Is the person still in the job at 1, 3 and 6 months?"""

    job_start = models.ForeignKey(JobStart, on_delete=models.CASCADE, related_name="retention")
    month = models.PositiveSmallIntegerField(_("month in the job"))
    due_on = models.DateField(_("due on"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    still_employed = models.BooleanField(_("still in the job"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retention check")
        verbose_name_plural = _("retention checks")
        ordering = ["job_start", "month"]
        constraints = [
            models.UniqueConstraint(fields=["job_start", "month"], name="retention_once_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__in=[1, 3, 6]), name="retention_month_1_3_6"
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.month}m"
