"""The plan (goals and actions per life domain), contacts and notes, and experience-expert
support."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import SPECIAL_CATEGORY_DOMAINS, BaseModel, LifeDomain
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField

from .trajectory import Trajectory


class Goal(BaseModel):
    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="goals"
    )
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    description = models.CharField(_("goal"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["domain", "created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class ActionOwner(models.TextChoices):
    MEDIATOR = "mediator", _("Mediator")
    WELFARE_PARTNER = "welfare_partner", _("Welfare partner")
    CLIENT = "client", _("Client")
    REFERRAL = "referral", _("A referral to the network")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Action(BaseModel):
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=16, choices=ActionOwner.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    dropped_reason = models.CharField(_("why dropped"), max_length=300, blank=True)
    # Hook for the network issue: a referral action will point at its referral.
    referral_ref = models.CharField(_("referral reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                name="action_dropped_needs_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def funded_by_employment_service(self) -> bool:
        """Only work-side actions are the employment service's; welfare actions are referrals
        or partner actions (DOMAIN.md §2.4)."""
        return self.owner in (ActionOwner.MEDIATOR, ActionOwner.CLIENT) and (
            self.goal.domain == LifeDomain.WORK_EDUCATION
        )


class ContactKind(models.TextChoices):
    OFFICE = "office", _("Office")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    GROUP = "group", _("Group")
    OUTREACH = "outreach", _("Outreach")
    NOTE = "note", _("Note (no contact)")


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


# A contact's state machine (issue 18, agenda): a planned contact is held, cancelled or missed
# by the person; a recorded contact or note is held from the start. Nothing comes back: a new
# appointment is a new planned contact.
CONTACT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContactStatus.PLANNED: frozenset(
        {ContactStatus.HELD, ContactStatus.CANCELLED, ContactStatus.NO_SHOW}
    ),
    ContactStatus.HELD: frozenset(),
    ContactStatus.CANCELLED: frozenset(),
    ContactStatus.NO_SHOW: frozenset(),
}


class Contact(BaseModel):
    """A contact with the client, or a note. A planned contact (``status`` planned) has a date
    and a start time and no note yet; it becomes held (with the note), cancelled or missed.
    The trajectory's next contact is its earliest planned contact, never stored apart
    (``tandem.trajectories.plan.selectors.next_contact``)."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.HELD
    )
    on = models.DateField(_("date"))
    at = models.TimeField(_("time"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # What a planned contact is for, in a few words: shown in the agenda and on the day list,
    # so no health or other sensitive detail (that goes in the note, in its life domain).
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    domain = models.CharField(
        _("life domain"),
        max_length=20,
        choices=LifeDomain.choices,
        blank=True,
        help_text=_(
            "Notes about mental or physical health, addiction or justice are shown only to the duo."
        ),
    )
    text = LimitedTextField(_("note"), blank=True, max_length=NOTE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-on", "-at", "-pk"]
        indexes = [
            models.Index(fields=["trajectory", "on"], name="contact_trajectory_on"),
            models.Index(fields=["status", "on"], name="contact_status_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="planned") | models.Q(at__isnull=False),
                name="contact_planned_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="planned") | ~models.Q(kind="note"),
                name="contact_note_not_planned",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(minutes__gt=0),
                name="contact_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

    @property
    def is_special_category(self) -> bool:
        return self.domain in SPECIAL_CATEGORY_DOMAINS

    @property
    def is_planned(self) -> bool:
        return self.status == ContactStatus.PLANNED


class ContactStatusChange(models.Model):
    """A planned contact's move (held, cancelled, did not come): who, when and why."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=ContactStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ContactStatus.choices)
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = LimitedTextField(_("why"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("contact status change")
        verbose_name_plural = _("contact status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ExpertSupportStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")


class ExpertSupportRequest(BaseModel):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="expert_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = LimitedTextField(_("what support is asked"), max_length=NOTE_MAX)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("experience expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExpertSupportStatus.choices,
        default=ExpertSupportStatus.REQUESTED,
    )
    # Set when a group coach asked for a participant of their group (source 003, answer to
    # question 1: experts support "op vraag van bemiddelaars of instructeurs"); the coach sees
    # the answer on the enrolment. Empty for a mediator's request from the trajectory.
    enrolment = models.ForeignKey(
        "groupwork.Enrolment",
        verbose_name=_("group work"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_requests",
    )

    class Meta:
        verbose_name = _("experience-expert request")
        verbose_name_plural = _("experience-expert requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question[:50]


class ExpertSupportLog(BaseModel):
    request = models.ForeignKey(ExpertSupportRequest, on_delete=models.CASCADE, related_name="logs")
    on = models.DateField(_("date"))
    text = LimitedTextField(_("what was done"), max_length=NOTE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("support log")
        verbose_name_plural = _("support logs")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"
