"""The partner network. For now: the person's consent to share their data with an organisation
(or every organisation of a kind) for the life domains it names. The services directory and
referrals build on this."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import OrganisationKind
from tandem.common.models import BaseModel


class Evidence(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed consent form")
    VERBAL_WITH_WITNESS = "verbal_with_witness", _("Verbal, with a witness")


class Consent(BaseModel):
    """The person agrees that a recipient sees the named life domains, for a purpose.

    Withdrawal takes effect at once: every read checks ``withdrawn_on``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded by organisation"),
        on_delete=models.PROTECT,
        related_name="recorded_consents",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_consents",
    )
    recipient_kind = models.CharField(
        _("or every organisation of this kind"),
        max_length=20,
        choices=OrganisationKind.choices,
        blank=True,
    )
    domains = models.JSONField(_("life domains"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.CharField(_("evidence"), max_length=24, choices=Evidence.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["person", "withdrawn_on"], name="consent_person_active")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recipient_organisation__isnull=False, recipient_kind="")
                    | models.Q(recipient_organisation__isnull=True) & ~models.Q(recipient_kind="")
                ),
                name="consent_one_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(evidence="verbal_with_witness") | ~models.Q(witness=""),
                name="consent_verbal_needs_witness",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Consent')} {self.given_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
