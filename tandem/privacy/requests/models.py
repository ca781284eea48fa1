"""A data-subject request in the DPO's register, and its dated status changes (the state
machine's table lives here, pure data; moves go through ``tandem.privacy.requests.services``).

The due date is not stored: it follows from the day of receipt and whether the deadline was
extended (``rules.due_date``), so it cannot drift from them. The request points at the person;
after the person's data is erased it still does (the person row then holds a pseudonym only)
and the request's free texts are erased with the rest (``hooks``): the register keeps what
accountability needs (GDPR art. 5(2)) — the kind, the dates, how it came in, who handled it,
the outcome — and nothing that names the person.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField

from . import rules


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


class RequestChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    DESK = "desk", _("At the desk")
    PHONE = "phone", _("By phone")
    VIA_STAFF = "via_staff", _("Through a member of staff")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.DONE, RequestStatus.REFUSED)

# received → in progress → done / refused; a simple request may be answered at once.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.RECEIVED: frozenset(
        {RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.REFUSED}
    ),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.DONE, RequestStatus.REFUSED}),
    RequestStatus.DONE: frozenset(),
    RequestStatus.REFUSED: frozenset(),
}


class SubjectRequest(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The controller the request was made to: the DPO's organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="subject_requests",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="subject_requests",
    )
    kind = models.CharField(_("kind of request"), max_length=14, choices=RequestKind.choices)
    channel = models.CharField(_("received by"), max_length=10, choices=RequestChannel.choices)
    received_on = models.DateField(_("received on"))
    note = LimitedTextField(_("what was asked"), blank=True, max_length=NOTE_MAX)
    status = models.CharField(
        _("status"), max_length=11, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="subject_requests_handled",
    )
    extended_on = models.DateField(_("deadline extended on"), null=True, blank=True)
    extension_reason = LimitedTextField(
        _("why the deadline was extended"), blank=True, max_length=REASON_MAX
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The answer given (done) or the reason for refusing (refused).
    outcome = LimitedTextField(_("outcome"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "received_on"], name="subjreq_register"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(outcome=""),
                name="subjreq_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_on__isnull=True, extension_reason="")
                | (models.Q(extended_on__isnull=False) & ~models.Q(extension_reason="")),
                name="subjreq_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "in_progress"], closed_on__isnull=True)
                | models.Q(status__in=["done", "refused"], closed_on__isnull=False),
                name="subjreq_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reference(self) -> str:
        """A short reference for letters and the register (no personal data)."""
        return str(self.public_id)[:8]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def extended(self) -> bool:
        return self.extended_on is not None

    @property
    def due_on(self) -> dt.date:
        return rules.due_date(self.received_on, extended=self.extended)

    def overdue_on(self, today: dt.date) -> bool:
        return self.is_open and rules.is_overdue(
            self.received_on, extended=self.extended, today=today
        )


class SubjectRequestStatusChange(BaseModel):
    request = models.ForeignKey(
        SubjectRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=11, choices=RequestStatus.choices)
    to_status = models.CharField(_("to"), max_length=11, choices=RequestStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("data-subject request status change")
        verbose_name_plural = _("data-subject request status changes")
        ordering = ["created_at", "pk"]
