"""The participant's self-assessment of self-image (zelfbeeld) and draagkracht, filled in by the
group coach together with the participant at the start and at the end of group work: a few
statements, each on a five-level scale. With the network map it shows the goals of group work
that source 004 names ("het verhogen van het zelfinzicht, een visualisatie van het sociale
netwerk en het verhogen van de draagkracht"). The statements and the scale are rules
(``tandem.groupwork.selfassessment.rules``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel

from .enrolment import Enrolment
from .network import MapMoment

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

LEVEL_MIN, LEVEL_MAX = 1, 5
# The statements by field, in the order of the form: self-image first, then draagkracht.
STATEMENTS: dict[str, _StrPromise] = {
    "self_worth": _("I feel good about who I am."),
    "own_strengths": _("I know what I am good at."),
    "belonging": _("I feel I have a place among other people."),
    "setbacks": _("I can cope with setbacks."),
    "grip": _("I have a grip on my life."),
    "energy": _("I have the energy to take steps towards work."),
}
ITEM_FIELDS = tuple(STATEMENTS)


def _level(verbose_name: _StrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(LEVEL_MIN), MaxValueValidator(LEVEL_MAX)],
    )


class SelfAssessment(BaseModel):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="self_assessments"
    )
    moment = models.CharField(_("moment"), max_length=5, choices=MapMoment.choices)
    assessed_on = models.DateField(_("filled in on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Self-image (zelfbeeld).
    self_worth = _level(STATEMENTS["self_worth"])
    own_strengths = _level(STATEMENTS["own_strengths"])
    belonging = _level(STATEMENTS["belonging"])
    # Draagkracht: what the participant can carry.
    setbacks = _level(STATEMENTS["setbacks"])
    grip = _level(STATEMENTS["grip"])
    energy = _level(STATEMENTS["energy"])

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["enrolment", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "moment"], name="self_assessment_per_moment"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": LEVEL_MIN, f"{name}__lte": LEVEL_MAX}),
                    name=f"self_assessment_{name}_1_5",
                )
                for name in ITEM_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} {self.assessed_on}"
