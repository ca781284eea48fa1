"""Screening: the signal checklist, screenings and routing, and the dated parameters the
poverty indicators use."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import validate_period_date
from tandem.common.models import BaseModel, LifeDomain
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField


class PovertyThreshold(BaseModel):
    """The official Belgian at-risk-of-poverty threshold of one EU-SILC survey year (Statbel).

    Amounts are euro per month. The income year is the survey year minus one. Other household
    types use ``single_monthly × equivalised size``.
    """

    survey_year = models.PositiveSmallIntegerField(_("survey year"), unique=True)
    income_year = models.PositiveSmallIntegerField(_("income year"))
    single_monthly = models.DecimalField(
        _("single person, per month (EUR)"), max_digits=8, decimal_places=2
    )
    couple_two_children_monthly = models.DecimalField(
        _("2 adults + 2 children, per month (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("valid from"), validators=[validate_period_date])
    source = models.CharField(_("source"), max_length=200, default="Statbel, EU-SILC")

    class Meta:
        verbose_name = _("poverty threshold")
        verbose_name_plural = _("poverty thresholds")
        ordering = ["-survey_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(single_monthly__gt=0), name="threshold_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(income_year=models.F("survey_year") - 1),
                name="threshold_income_year_is_survey_minus_one",
            ),
        ]

    def __str__(self) -> str:
        return f"EU-SILC {self.survey_year}: {self.single_monthly} EUR"


class Route(models.TextChoices):
    """Where a person goes after screening; the codes are the trajectory types."""

    W2 = "w2", _("Work-welfare trajectory (W²)")
    WORK_CARE = "work_care", _("Work-and-care trajectory")
    YOUTH = "youth", _("Youth track (18–25)")
    OUTREACH = "outreach", _("Outreach activation")
    REGULAR = "regular", _("Regular mediation")


class Light(models.TextChoices):
    GREEN = "green", _("Green")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


class Advice(models.TextChoices):
    """What to do after the first conversation: it follows from the route (``rules.decide``)."""

    REFER_MEDIATOR = "refer_mediator", _("Refer to a work-welfare mediator")
    EXPLORE_WORK_CARE = "explore_work_care", _("Explore a work-and-care trajectory")
    REGULAR = "regular", _("Regular guidance")


class Motivation(models.TextChoices):
    SUFFICIENT = "sufficient", _("Sufficient: wants to work")
    DOUBTFUL = "doubtful", _("Doubtful")
    INSUFFICIENT = "insufficient", _("Insufficient for now")


class Outlook(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Cannot say yet")


class ChecklistVersion(BaseModel):
    """One version of the signal checklist. Once published it never changes: a screening keeps
    the version it used, and an administrator edits by making a new draft version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    notes = LimitedTextField(_("what changed"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("signal checklist version")
        verbose_name_plural = _("signal checklist versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Signal(BaseModel):
    checklist = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("checklist version"),
        on_delete=models.CASCADE,
        related_name="signals",
    )
    code = models.SlugField(_("code"), max_length=60)
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    question = models.CharField(_("signal"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        help_text=_("1 = a hint, 2 = a clear barrier, 3 = a severe barrier on its own."),
    )
    mmpps = models.BooleanField(
        _("points to a medical, mental, psychological or psychiatric problem"),
        default=False,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["checklist", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="signal_code_per_version"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=3), name="signal_weight_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class Screening(BaseModel):
    """One screening conversation: the answers, and what the rules made of them at the time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    checklist = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conducted_on = models.DateField(_("date of the conversation"))
    motivation = models.CharField(
        _("motivation to work"), max_length=12, choices=Motivation.choices
    )
    outflow_within_two_years = models.CharField(
        _("work or training expected within two years"), max_length=8, choices=Outlook.choices
    )
    notes = LimitedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    # What the rules concluded, kept as it was: a later change of the checklist or the rules
    # must not rewrite history.
    lights = models.JSONField(_("traffic lights"), default=dict)
    advice = models.CharField(_("advice"), max_length=20, choices=Advice.choices)
    advice_reasons = models.JSONField(_("reasons for the advice"), default=list)
    route_suggested = models.CharField(_("suggested route"), max_length=12, choices=Route.choices)
    route_reasons = models.JSONField(_("reasons for the route"), default=list)
    non_active = models.BooleanField(_("not registered as a job seeker (non-active)"))
    route_chosen = models.CharField(
        _("chosen route"), max_length=12, choices=Route.choices, blank=True
    )
    route_choice_reason = LimitedTextField(
        _("why another route"), blank=True, max_length=REASON_MAX
    )
    route_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("route chosen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_to = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screening_referrals",
    )
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral_note = LimitedTextField(_("message for the mediator"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-conducted_on", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "conducted_on"], name="screening_org_date"),
            models.Index(fields=["person", "conducted_on"], name="screening_person_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(route_chosen="") | ~models.Q(route_choice_reason=""),
                name="screening_other_route_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Screening of %(date)s") % {"date": f"{self.conducted_on:%d/%m/%Y}"}

    @property
    def route(self) -> str:
        return self.route_chosen or self.route_suggested

    def get_route_display(self) -> str:
        return str(Route(self.route).label)


class ScreeningAnswer(models.Model):
    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="answers"
    )
    signal = models.ForeignKey(
        Signal, verbose_name=_("signal"), on_delete=models.PROTECT, related_name="answers"
    )
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["screening", "signal"], name="answer_once_per_signal")
        ]

    def __str__(self) -> str:
        return f"{self.signal.code}: {self.present}"
