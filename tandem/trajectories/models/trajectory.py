"""A trajectory: its type, its explicit state machine, the duo that owns it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, LifeDomain
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField


class TrajectoryType(models.TextChoices):
    # The same codes as screening.Route: a screening's route starts a trajectory of that type.
    W2 = "w2", _("Work-welfare trajectory (W²)")
    WORK_CARE = "work_care", _("Work-and-care trajectory")
    YOUTH = "youth", _("Youth track (18–25)")
    OUTREACH = "outreach", _("Outreach activation")
    REGULAR = "regular", _("Regular mediation")


# How long a type runs by design, in months (None: as long as needed). Dated parameters of
# the programmes; kept here until programme rules move to the programmes app.
PLANNED_MONTHS = {TrajectoryType.YOUTH: 18, TrajectoryType.W2: 24}


class Status(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    EMPLOYED = "employed", _("Employed (job coaching)")
    CLOSED = "closed", _("Closed")


# The state machine (DESIGN.md habit 4). Every status change goes through
# services.trajectory_transition, which checks this table.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REFERRED: frozenset({Status.INTAKE, Status.CLOSED}),
    Status.INTAKE: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.ACTIVE: frozenset({Status.PAUSED, Status.EMPLOYED, Status.CLOSED}),
    Status.PAUSED: frozenset({Status.ACTIVE, Status.CLOSED}),
    # A job that ends early brings the person back to active guidance.
    Status.EMPLOYED: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(set(Status) - {Status.CLOSED})


class ClosureReason(models.TextChoices):
    WORK_REGULAR = "work_regular", _("Work in the regular labour market")
    WORK_SOCIAL_ECONOMY = "work_social_economy", _("Work in the social economy")
    TRAINING = "training", _("Training")
    WORK_CARE = "work_care", _("Moved to a work-and-care trajectory")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    """Who leads a life domain in the duo."""

    MEDIATOR = "mediator", _("Mediator (work)")
    WELFARE_PARTNER = "welfare_partner", _("Welfare partner")
    SHARED = "shared", _("Together")


class Trajectory(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="trajectories",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="trajectories",
    )
    type = models.CharField(_("type"), max_length=12, choices=TrajectoryType.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REFERRED
    )
    # Outcome measurement counts from these dates: they change only through services that
    # say why (start, close, correct dates), never by editing the row.
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = LimitedTextField(_("closing note"), blank=True, max_length=NOTE_MAX)
    # ESF+ result EECR03: left with a certificate, diploma or recognised qualification.
    qualification_gained = models.BooleanField(_("gained a qualification"), default=False)
    lead_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead mediator"),
        on_delete=models.PROTECT,
        related_name="led_trajectories",
    )
    welfare_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("welfare partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_trajectories",
    )
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("started from screening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    start_reason = LimitedTextField(
        _("why started without a screening"), blank=True, max_length=REASON_MAX
    )
    # Why the dates were last corrected: case content, cleared by retention and erasure (the
    # audit trail keeps each correction's old and new dates and that a reason was given).
    dates_correction_reason = LimitedTextField(
        _("why the dates were corrected"), blank=True, max_length=REASON_MAX
    )

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="trajectory_org_status"),
            models.Index(fields=["lead_mediator", "status"], name="trajectory_lead_status"),
            models.Index(fields=["end_date"], name="trajectory_end_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "type"],
                condition=~models.Q(status="closed"),
                name="trajectory_one_open_per_type",
                violation_error_message=_(
                    "This person already has an open trajectory of this type."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="trajectory_end_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", end_date__isnull=False) & ~models.Q(closure_reason="")
                )
                | (~models.Q(status="closed") & models.Q(end_date__isnull=True, closure_reason="")),
                name="trajectory_closed_iff_end_and_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(screening__isnull=False) | ~models.Q(start_reason=""),
                name="trajectory_started_from_screening_or_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def duo_user_ids(self) -> set[int]:
        return {pk for pk in (self.lead_mediator_id, self.welfare_partner_id) if pk}


class StatusChange(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = LimitedTextField(_("why"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class LeadHandover(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = LimitedTextField(_("why"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id}"


class DomainResponsibility(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="responsibilities"
    )
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    side = models.CharField(_("responsible side"), max_length=16, choices=Side.choices)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "domain"], name="responsibility_once_per_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.side}"
