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
        # The data-quality check "status before birth" reads the events dated before the
        # youngest person's birth from it (a handful) instead of joining all of them.
        indexes = [models.Index(fields=["date"], name="status_event_date")]

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


class TrajectoryOutcome(models.Model):
    """One ended trajectory as outcome measurement counts it: Tandem's own closed ones
    (``trajectory``) and imported ones with an end date (``imported``), one of the two set.

    A derived table, never edited by hand: ``outcomes.services.refresh_outcomes`` rebuilds a
    person's rows from the trajectories, readings and status events with the pure rules of
    ``outcomes.rules``, and the figures (dashboard, ``outcomes_report``, API, yearly report)
    count it with one ``GROUP BY`` per breakdown. ``status_N`` is the status on ``day_N``
    (the +N-month day), NULL when none is known; whether that day has come is decided when
    counting (``day_N < today``), so a row needs no daily refresh.
    """

    trajectory = models.OneToOneField(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    imported = models.OneToOneField(
        ImportedTrajectory,
        verbose_name=_("imported trajectory"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(_("type"), max_length=12, choices=TrajectoryType.choices)
    province = models.CharField(_("province"), max_length=20)
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group_work = models.BooleanField(_("group work"))
    gender = models.CharField(_("gender"), max_length=1)
    birth_date = models.DateField(_("birth date"))
    age_band = models.CharField(_("age band at start"), max_length=8)
    education = models.CharField(_("highest education"), max_length=12)
    benefit = models.CharField(_("benefit"), max_length=20)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    first_reading = models.FloatField(_("first self-sufficiency reading"), null=True, blank=True)
    reading_band = models.CharField(_("first reading band"), max_length=8)
    months_unemployed = models.IntegerField(_("months unemployed before"), null=True, blank=True)
    months_band = models.CharField(_("months unemployed band"), max_length=8)
    day_6 = models.DateField(_("day of +6 months"))
    day_12 = models.DateField(_("day of +12 months"))
    day_24 = models.DateField(_("day of +24 months"))
    # NULL: no status known on that day (a status is never "").
    status_6 = models.CharField(_("status at +6 months"), max_length=24, null=True)  # noqa: DJ001
    status_12 = models.CharField(_("status at +12 months"), max_length=24, null=True)  # noqa: DJ001
    status_24 = models.CharField(_("status at +24 months"), max_length=24, null=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("trajectory outcome")
        verbose_name_plural = _("trajectory outcomes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trajectory__isnull=True) ^ models.Q(imported__isnull=True),
                name="trajectory_outcome_one_source",
            ),
        ]
        indexes = [
            models.Index(fields=["end_date"], name="trajectory_outcome_end"),
            models.Index(fields=["province", "end_date"], name="trajectory_outcome_province"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.end_date}"
