"""What outcome measurement reads besides Tandem's own trajectories: labour-market status
events (imported from the employment service's records) and trajectories migrated from a
legacy system.

Imported trajectories live here, not among Tandem's live trajectories: they have no duo, no
screening and no plan, and legacy data breaks the live rules (a trajectory closed without an
end date, two open ones of one type). The data-quality checks exist to find exactly that, so
it is kept as it came and flagged, never silently repaired.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import Province
from tandem.trajectories.models import ClosureReason, TrajectoryType


class LabourStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    EMPLOYED_SOCIAL_ECONOMY = "employed_social_economy", _("Employed in the social economy")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed job seeker")
    JOBSEEKER_NO_BENEFIT = "jobseeker_no_benefit", _("Job seeker without benefit")
    TRAINING = "training", _("In training")
    INACTIVE = "inactive", _("Inactive")
    LEEFLOON = "leefloon", _("Leefloon (social assistance income)")
    SICK_DISABLED = "sick_disabled", _("Sick or disabled")


class StatusEvent(models.Model):
    """A person's labour-market status from ``date`` until their next event."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="status_events",
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=24, choices=LabourStatus.choices)
    source = models.CharField(_("source"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("labour-market status")
        verbose_name_plural = _("labour-market statuses")
        ordering = ["person", "date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="status_event_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()}"


class ImportedTrajectory(models.Model):
    """A trajectory as a legacy system recorded it, kept for outcome measurement only."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="imported_trajectories",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    type = models.CharField(_("type"), max_length=12, choices=TrajectoryType.choices)
    # The province of the row: where the trajectory ran, which the person may have left since.
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    group_work = models.BooleanField(_("group work"), default=False)
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported trajectory")
        verbose_name_plural = _("imported trajectories")
        ordering = ["start_date", "pk"]
        constraints = [
            # The natural key that makes a second import of the same file change nothing.
            models.UniqueConstraint(
                fields=["person", "type", "start_date"], name="imported_trajectory_natural_key"
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="imported_trajectory_end")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.start_date}"
