"""Enrolments (a trajectory in a module), their dated history, attendance per session and
what the coach writes for the mediator: observations and POP input."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, LimitedTextField
from tandem.trajectories.models import Perspective

from .programme import GroupSession, IntakeMoment, Module


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    WAITING = "waiting", _("On the waiting list")
    PLACED = "placed", _("Placed in a group")
    COMPLETED = "completed", _("Completed")
    LEFT = "left", _("Left")
    DECLINED = "declined", _("Declined by the partner")


OPEN_ENROLMENT_STATUSES = (
    EnrolmentStatus.REQUESTED,
    EnrolmentStatus.WAITING,
    EnrolmentStatus.PLACED,
)


class LeaveReason(models.TextChoices):
    WORK = "work", _("Found work")
    TRAINING = "training", _("Started a training")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    HEALTH = "health", _("Health")
    CARE = "care", _("Care for a family member")
    MOVED = "moved", _("Moved away")
    NOT_SUITABLE = "not_suitable", _("Group work does not suit (now)")
    OTHER = "other", _("Other")


class Enrolment(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="enrolments"
    )
    intake = models.ForeignKey(
        IntakeMoment,
        verbose_name=_("intake moment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.REQUESTED,
    )
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # What the group needs to know (language, hours that are possible); never health or
    # justice details: the coach is not the duo.
    request_note = LimitedTextField(_("note for the partner"), blank=True, max_length=NOTE_MAX)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The waiting list's order: who was put on it first comes first.
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=14, choices=LeaveReason.choices, blank=True
    )
    leave_note = LimitedTextField(_("note on leaving"), blank=True, max_length=NOTE_MAX)
    # Set when the unexcused absences reach the programme's threshold; the mediator sees the
    # signal until they acknowledge it (and decide with the person what next).
    dropout_flagged_on = models.DateField(_("drop-out signal on"), null=True, blank=True)
    dropout_acknowledged_on = models.DateField(_("drop-out signal seen on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["module", "status"], name="enrolment_module_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "module"],
                condition=models.Q(status__in=["requested", "waiting", "placed"]),
                name="enrolment_one_open_per_module",
                violation_error_message=_("This trajectory is already enrolled in this module."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["placed", "completed"])
                | models.Q(intake__isnull=False),
                name="enrolment_placed_has_intake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} – {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ENROLMENT_STATUSES

    @property
    def dropout_signal(self) -> bool:
        return self.dropout_flagged_on is not None and self.dropout_acknowledged_on is None


class EnrolmentChange(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=EnrolmentStatus.choices)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = LimitedTextField(blank=True, max_length=NOTE_MAX)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} ({self.on})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class CoachNote(BaseModel):
    """An observation by the coach for the mediator (group work only, no special categories)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("date"))
    text = LimitedTextField(_("observation"), max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-written_on", "-pk"]


class PopInput(BaseModel):
    """What the group work proposes for the POP (DOMAIN.md §5). The mediator takes it into a
    POP draft; the POP itself stays the mediator's, signed off with the client."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="pop_inputs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("date"))
    job_target = models.CharField(_("job target"), max_length=200, blank=True)
    perspective = models.CharField(
        _("participation perspective"), max_length=16, choices=Perspective.choices, blank=True
    )
    work_plan = LimitedTextField(_("next steps on work"), blank=True, max_length=NOTE_MAX)
    welfare_plan = LimitedTextField(_("next steps on welfare"), blank=True, max_length=NOTE_MAX)
    strengths = LimitedTextField(_("strengths seen in the group"), blank=True, max_length=NOTE_MAX)
    adopted_into = models.ForeignKey(
        "trajectories.PopReport",
        verbose_name=_("taken into POP"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_inputs",
    )

    class Meta:
        verbose_name = _("POP input")
        verbose_name_plural = _("POP inputs")
        ordering = ["-written_on", "-pk"]
