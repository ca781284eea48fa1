"""The one audit path (DESIGN.md habit 7).

``AuditEvent`` records every change a service makes; ``AccessLog`` records every read of
person-level data. Both are written, never edited: the application has no code that updates
or deletes them, and on PostgreSQL a trigger refuses it (migration 0003). The one exception is
retention: after its period an access-log row loses its links to the person and the user,
which are replaced by pseudonyms (``tandem.audit.pseudonyms``); the trigger allows exactly that
change, and only inside the retention code path.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    event_type = models.CharField(_("event type"), max_length=80)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "at"], name="auditevent_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event_type}"


class Purpose:
    """What a read was for, as stored in ``AccessLog.purpose`` (stored in English, shown
    translated through ``PURPOSE_LABELS``)."""

    CASE_WORK = "case work"
    DATA_PROTECTION = "data protection"
    SUBJECT_ACCESS = "subject access request"
    ERASURE = "erasure request"
    REGISTRATION = "registration"  # a national number refused on registering a person


PURPOSE_LABELS = {
    Purpose.CASE_WORK: _("case work"),
    Purpose.DATA_PROTECTION: _("data protection"),
    Purpose.SUBJECT_ACCESS: _("subject access request"),
    Purpose.ERASURE: _("erasure request"),
    Purpose.REGISTRATION: _("registering a person"),
}

# What was read, as the views store it in ``AccessLog.what`` (English), and how the pages of
# the access log show it. A value that is not here is shown as stored.
WHAT_LABELS = {
    "person file": _("person file"),
    "person edit form": _("person edit form"),
    "household edit form": _("household edit form"),
    "search result": _("search result"),
    "duplicate warning": _("duplicate warning"),
    "national number check": _("national number check"),
    "screening": _("screening"),
    "screening form": _("screening form"),
    "screening referral": _("screening referral"),
    "screening route choice": _("screening route choice"),
    "trajectory": _("trajectory"),
    "trajectory start form": _("trajectory start form"),
    "trajectory status": _("trajectory status"),
    "trajectory duo": _("trajectory duo"),
    "caseload": _("caseload"),
    "contact": _("contact"),
    "plan goal": _("plan goal"),
    "plan action": _("plan action"),
    "experience-expert request": _("experience-expert request"),
    "measurement form": _("measurement form"),
    "measurement readings": _("measurement readings"),
    "POP": _("POP"),
    "POP form": _("POP form"),
    "POP sign-off": _("POP sign-off"),
    "POP PDF": _("POP PDF"),
    "jobs and job coaching": _("jobs and job coaching"),
    "job start form": _("job start form"),
    "job coaching form": _("job coaching form"),
    "job end form": _("job end form"),
    "coaching contact form": _("coaching contact form"),
    "retention check form": _("retention check form"),
    "access history": _("access history"),
    "access log search": _("access log search"),
    "subject access export (JSON)": _("subject access export (JSON)"),
    "subject access export (PDF)": _("subject access export (PDF)"),
    "erasure form": _("erasure form"),
    "data-subject requests": _("data-subject requests"),
    "data-subject request": _("data-subject request"),
    "data-subject request form": _("data-subject request form"),
    "consents": _("consents"),
    "consent withdrawal": _("consent withdrawal"),
    "consent form PDF": _("consent form PDF"),
}


class AccessLog(models.Model):
    """One read of one person's data.

    ``user`` and ``person`` are set when the row is written. When the retention period of the
    access log has passed, both are replaced by keyed pseudonyms (and the IP address is
    cleared): the row stays, for statistics and security reviews, but no longer points at
    anyone. The pseudonym columns are empty until then.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    roles = models.CharField(_("roles"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        related_name="access_logs",
    )
    what = models.CharField(_("what was read"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Set only by retention, together with clearing person, user and IP address.
    person_pseudonym = models.CharField(_("person (pseudonym)"), max_length=24, blank=True)
    user_pseudonym = models.CharField(_("user (pseudonym)"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="accesslog_person_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]
        constraints = [
            # A row always says about whom and by whom: by reference, or by pseudonym.
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(person_pseudonym=""),
                name="accesslog_person_or_pseudonym",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(user_pseudonym=""),
                name="accesslog_user_or_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id or self.user_pseudonym} {self.what}"

    @property
    def is_pseudonymised(self) -> bool:
        return self.person_id is None
