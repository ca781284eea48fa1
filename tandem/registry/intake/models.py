"""The intake item and its dated status changes (the state machine's table lives here, pure
data; moves go through ``tandem.registry.intake.services``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField


class IntakeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    TAKEN = "taken", _("Taken")
    SENT_BACK = "sent_back", _("Sent back")
    FORWARDED = "forwarded", _("Forwarded")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")


# waiting → taken / sent back / forwarded / withdrawn; each an end (a forward makes a new item
# at the other office, which waits there). Only an item that carries a network referral is
# withdrawn: its sender withdrew the referral before the office answered.
INTAKE_TRANSITIONS: dict[str, frozenset[str]] = {
    IntakeStatus.WAITING: frozenset(
        {
            IntakeStatus.TAKEN,
            IntakeStatus.SENT_BACK,
            IntakeStatus.FORWARDED,
            IntakeStatus.WITHDRAWN,
        }
    ),
    IntakeStatus.TAKEN: frozenset(),
    IntakeStatus.SENT_BACK: frozenset(),
    IntakeStatus.FORWARDED: frozenset(),
    IntakeStatus.WITHDRAWN: frozenset(),
}


class IntakeSource(models.TextChoices):
    SCREENING = "screening", _("Screening")
    OUTREACH = "outreach", _("Outreach registration")
    FORWARDED = "forwarded", _("Forwarded by another office")
    # A network referral (``tandem.network``) to a service of the office: ``source_ref`` is
    # the referral's public id, and the item's decision is the referral's answer.
    REFERRAL = "referral", _("Referral")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class Intake(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="intakes",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="intakes",
    )
    source = models.CharField(_("source"), max_length=12, choices=IntakeSource.choices)
    # The public id of what referred the person (a screening, a prospect, the forwarded item).
    source_ref = models.CharField(_("source reference"), max_length=36, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="intakes_sent",
    )
    sender_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes_sent",
    )
    note = LimitedTextField(_("note from the sender"), blank=True, max_length=NOTE_MAX)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.WAITING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes_assigned",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX)
    forwarded_to = models.ForeignKey(
        "self",
        verbose_name=_("forwarded to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["office", "status"], name="intake_queue"),
            models.Index(fields=["sender", "created_at"], name="intake_sent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="taken") | models.Q(assignee__isnull=False),
                name="intake_taken_has_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.office}"


class IntakeStatusChange(BaseModel):
    intake = models.ForeignKey(
        Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=IntakeStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=IntakeStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("intake status change")
        verbose_name_plural = _("intake status changes")
        ordering = ["created_at", "pk"]
