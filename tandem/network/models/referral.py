"""Closed-loop referrals: from a plan action to a service of another organisation, carrying
only what the person's consent covers, followed until the loop is closed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    NO_CAPACITY = "no_capacity", _("No capacity")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_REACHED = "not_reached", _("Person not reached")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The state machine: every change goes through the referral transition service.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.NO_CAPACITY,
            ReferralStatus.WITHDRAWN,
        }
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.IN_PROGRESS, ReferralStatus.NOT_REACHED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.IN_PROGRESS: frozenset(
        {ReferralStatus.COMPLETED, ReferralStatus.NOT_REACHED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.NO_CAPACITY: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.NOT_REACHED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
OPEN_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS}
)


class Referral(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="sent_referrals",
    )
    receiving_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    action = models.ForeignKey(
        "trajectories.Action",
        verbose_name=_("plan action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    service = models.ForeignKey(
        "network.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # What travelled with the referral: the consented domains and a snapshot of the shared data.
    domains = models.JSONField(_("shared life domains"), default=list, blank=True)
    shared_data = models.JSONField(_("shared data"), default=dict)
    consent = models.ForeignKey(
        "network.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    override_reason = LimitedTextField(
        _("why sent without consent"), blank=True, max_length=REASON_MAX
    )
    question = LimitedTextField(_("question for the receiver"), max_length=NOTE_MAX)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    last_update_at = models.DateTimeField(_("last update"))
    outcome = LimitedTextField(_("outcome"), blank=True, max_length=NOTE_MAX)
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [
            # The inbox (organisation, status) and, with the person, the welfare partner's
            # scope branch "open referrals to my organisation" as an index-only scan (issue 20).
            models.Index(
                fields=["receiving_organisation", "status", "person"], name="referral_inbox"
            ),
            models.Index(
                fields=["organisation", "status", "last_update_at"], name="referral_sent_open"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | ~models.Q(override_reason=""),
                name="referral_consent_or_override",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Referral')} {self.sent_at:%d/%m/%Y}"


class ReferralStatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = LimitedTextField(_("note"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
