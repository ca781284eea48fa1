"""The social network map (ecogram) of a participant: people and organisations around them,
with the kind of relation and its strength; one at the start and one at the end of group work."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel

from .enrolment import Enrolment


class MapMoment(models.TextChoices):
    START = "start", _("Start of group work")
    END = "end", _("End of group work")


class TieKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Relation(models.TextChoices):
    """The sector of the map a tie is drawn in."""

    FAMILY = "family", _("Family")
    FRIENDS = "friends", _("Friends and neighbours")
    WORK_SCHOOL = "work_school", _("Work, school and leisure")
    PROFESSIONAL = "professional", _("Professional help and services")


class NetworkMap(BaseModel):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="network_maps")
    moment = models.CharField(_("moment"), max_length=5, choices=MapMoment.choices)
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("network map")
        verbose_name_plural = _("network maps")
        ordering = ["enrolment", "moment"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "moment"], name="network_map_per_moment")
        ]


class NetworkTie(models.Model):
    network_map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="ties")
    # A first name or role ("zus", "buurvrouw Mia", "OCMW"): what the participant calls them.
    label = models.CharField(_("who"), max_length=60)
    kind = models.CharField(_("person or organisation"), max_length=12, choices=TieKind.choices)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 weak, 2 medium, 3 strong"),
    )
    # A relation that costs energy rather than gives it (drawn dashed).
    strained = models.BooleanField(_("strained"), default=False)

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        ordering = ["relation", "label", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strength__gte=1, strength__lte=3), name="tie_strength_1_3"
            )
        ]

    def __str__(self) -> str:
        return self.label
