"""Outreach (DOMAIN.md §2.1): find places, pseudonymous prospects and their contact moments.

A prospect is someone an outreach worker met before they were identified: a nickname, an
approximate age, languages and a need — never a name, a national number or health or justice
details. With consent the prospect becomes a person in the registry; the moments stay linked
to the prospect, which then points at the person, so the history is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel

# Two moments make an engaged prospect: the person came back or was met again.
ENGAGED_AT = 2


class PlaceKind(models.TextChoices):
    SCHOOL_GATE = "school_gate", _("School gate")
    HOME_VISIT = "home_visit", _("Home visit")
    NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", _("Neighbourhood centre")
    SOCIAL_RESTAURANT = "social_restaurant", _("Social restaurant")
    DIGIPUNT = "digipunt", _("Digipunt")
    OCMW = "ocmw", _("OCMW")
    FAITH_OR_ASSOCIATION = "faith_or_association", _("Mosque, church or association")
    STREET = "street", _("Street")
    OTHER = "other", _("Other")


class FindPlace(BaseModel):
    """A place where an outreach team meets people (vindplaats)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("outreach team"),
        on_delete=models.PROTECT,
        related_name="find_places",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100)
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="find_places",
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("find place")
        verbose_name_plural = _("find places")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality", "name"],
                name="find_place_unique_name",
                violation_error_message=_("Your team already has a find place with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class Prospect(BaseModel):
    """Someone met by outreach, known by a nickname until they agree to be registered."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("outreach team"),
        on_delete=models.PROTECT,
        related_name="prospects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first met by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    nickname = models.CharField(
        _("nickname"),
        max_length=60,
        help_text=_("What you call this person among yourselves: no full name."),
    )
    approximate_age = models.PositiveSmallIntegerField(
        _("approximate age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(80)],
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    need = models.CharField(
        _("need"),
        max_length=100,
        blank=True,
        help_text=_(
            "In a few words, e.g. work, childcare, a course. No health or justice details."
        ),
    )
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prospects",
    )
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("registered as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prospect",
    )
    converted_on = models.DateField(_("registered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="prospect_org")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True, converted_on__isnull=True)
                | models.Q(person__isnull=False, converted_on__isnull=False),
                name="prospect_converted_with_date",
            ),
            models.CheckConstraint(
                condition=models.Q(approximate_age__isnull=True)
                | models.Q(approximate_age__gte=15, approximate_age__lte=80),
                name="prospect_age_range",
            ),
        ]

    @property
    def language_labels(self) -> list[str]:
        """The languages by name in the reader's language (stored as codes such as "ar")."""
        from tandem.registry.models import Language

        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def __str__(self) -> str:
        return self.nickname

    @property
    def is_converted(self) -> bool:
        return self.person_id is not None


class ContactMoment(BaseModel):
    """One meeting with a prospect at a find place."""

    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.CASCADE, related_name="moments"
    )
    on = models.DateField(_("date"))
    place = models.ForeignKey(
        FindPlace, verbose_name=_("find place"), on_delete=models.PROTECT, related_name="moments"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outreach worker"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Optional, short. No health or justice details."),
    )

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["prospect", "on"], name="contact_moment_prospect_on")]

    def __str__(self) -> str:
        return f"{self.prospect} – {self.on}"
