"""Organisations (the tenants), their users, and the roles users hold (DOMAIN.md §1)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, Province
from tandem.common.text import NOTE_MAX, LimitedTextField


class OrganisationKind(models.TextChoices):
    PUBLIC_EMPLOYMENT_SERVICE = "pes", _("Public employment service")
    OCMW = "ocmw", _("OCMW (public social welfare centre)")
    CAW = "caw", _("CAW (centre for general welfare work)")
    SOCIAL_RENTAL_AGENCY = "svk", _("Social rental agency")
    JUSTICE_HOUSE = "justice_house", _("Justice house")
    GROUP_WORK_PARTNER = "group_work", _("Group-work partner")
    OUTREACH_PARTNER = "outreach", _("Outreach partner")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    MEDIATOR = "mediator", _("Work-welfare mediator")
    WELFARE_PARTNER = "welfare_partner", _("Welfare partner")
    GROUP_COACH = "group_coach", _("Group coach")
    OUTREACH_WORKER = "outreach_worker", _("Outreach worker")
    EXPERIENCE_EXPERT = "experience_expert", _("Experience expert in poverty")
    JOB_COACH = "job_coach", _("Job coach")
    SERVICE_LINE = "service_line", _("Service line")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    ADMIN = "admin", _("Administrator")
    # Sees no case content: the access log and audit events of their organisation's persons,
    # subject-access exports and erasure on request (tandem.audit).
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data-protection officer")


class Organisation(BaseModel):
    # The organisation's id in the services directory (Open Referral HSDS): stable across an
    # import/export round trip.
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Short stable identifier, e.g. vdab-gent."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisation_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Always works for one organisation; holds one or more roles."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(BaseModel):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class EnrolmentCode(BaseModel):
    """A one-time code an administrator issues so a user can link their first second-factor
    device: only its hash is stored; it expires and is used once (``twofactor.py``)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(_("code hash"), max_length=128, unique=True, editable=False)
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"{self.user} – {self.expires_at:%Y-%m-%d %H:%M}"


class UserNotice(BaseModel):
    """A message for a user, shown once at their next login (there is no mail server): e.g.
    that an administrator removed their second-factor devices."""

    class Kind(models.TextChoices):
        DEVICES_RESET = "devices_reset", _("Second-factor devices removed")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    shown_at = models.DateTimeField(_("shown at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"
