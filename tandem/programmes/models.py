"""Funding calls, the projects they fund, their budgets split ESF/co-financing, and targets
(DOMAIN.md §8): aggregates. One model points at a person's trajectory: the programme manager's
recorded funding exception (``FundingException``), exported and erased with the trajectory
(``programmes/privacy.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import validate_period_date
from tandem.common.models import BaseModel, Province
from tandem.common.text import NOTE_MAX, REASON_MAX, LimitedTextField

from . import rules

# Sums of two decimals are compared within half a cent: SQLite keeps decimals with cents as
# floating point, where 0.1 + 0.2 is not exactly 0.3.
_HALF_CENT = Decimal("0.005")


def _sum_is(left: str, right: str, total: models.F | Decimal) -> models.Q:
    both = models.F(left) + models.F(right)
    return models.Q(**{f"{left}__isnull": False, f"{right}__isnull": False}) & models.Q(
        models.Q(models.lookups.LessThanOrEqual(both, total + _HALF_CENT)),
        models.Q(models.lookups.GreaterThanOrEqual(both, total - _HALF_CENT)),
    )


class Funded(models.TextChoices):
    """What a call may pay for: a trajectory type (the codes of ``TrajectoryType`` and of the
    screening's routes) or group work. A trajectory, a group placement or an outreach contact
    under a project is eligible only when the project's call funds its kind (issue 17)."""

    W2 = "w2", _("Work-welfare trajectories (W²)")
    WORK_CARE = "work_care", _("Work-and-care trajectories")
    YOUTH = "youth", _("Youth track (18–25)")
    OUTREACH = "outreach", _("Outreach and activation")
    REGULAR = "regular", _("Regular mediation")
    GROUP_WORK = "group_work", _("Group work")


def validate_funds(value: object) -> None:
    if not isinstance(value, list) or any(v not in Funded.values for v in value):
        raise ValidationError(
            _("Choose what the call funds from: %(choices)s.")
            % {"choices": ", ".join(Funded.values)}
        )


class Call(BaseModel):
    """A call for projects (oproep) of a funding programme, with its own stated total.

    The ESF and co-financing shares are left empty when the source does not state them; then
    each project carries its own split, if known.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    number = models.CharField(_("call number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    operational_programme = models.CharField(_("operational programme"), max_length=100, blank=True)
    priority = models.CharField(_("priority"), max_length=100, blank=True)
    investment_priority = models.CharField(_("investment priority"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_period_date])
    end_date = models.DateField(_("end date"), validators=[validate_period_date])
    total_budget = models.DecimalField(_("total budget (EUR)"), max_digits=14, decimal_places=2)
    esf_share_percent = models.DecimalField(
        _("ESF share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cofinancing_percent = models.DecimalField(
        _("co-financing (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    planned_projects = models.PositiveIntegerField(
        _("projects approved"),
        null=True,
        blank=True,
        help_text=_("How many projects or partnerships the call funds, as the source says."),
    )
    target_group = LimitedTextField(_("target group"), blank=True, max_length=NOTE_MAX)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    funds = models.JSONField(
        _("funds"),
        default=list,
        blank=True,
        validators=[validate_funds],
        help_text=_(
            "What the call pays for, within its period: trajectory types and/or group work."
        ),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="call_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(total_budget__gte=0), name="call_total_budget_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(esf_share_percent__isnull=True, cofinancing_percent__isnull=True)
                | (
                    models.Q(esf_share_percent__gte=0, cofinancing_percent__gte=0)
                    & _sum_is("esf_share_percent", "cofinancing_percent", Decimal(100))
                ),
                name="call_shares_add_up_to_100",
                violation_error_message=_(
                    "ESF share and co-financing must add up to 100 %, or both be left empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def clean(self) -> None:
        esf, cof = self.esf_share_percent, self.cofinancing_percent
        if (esf is None) != (cof is None):
            raise ValidationError(
                {
                    "cofinancing_percent" if cof is None else "esf_share_percent": _(
                        "Fill in both the ESF share and the co-financing percentage, or neither."
                    )
                }
            )
        if esf is not None and cof is not None and not rules.percentages_complete(esf, cof):
            raise ValidationError(
                {
                    "cofinancing_percent": _(
                        "ESF share (%(esf)s %%) and co-financing (%(cof)s %%) add up to "
                        "%(sum)s %%, not 100 %%."
                    )
                    % {"esf": esf, "cof": cof, "sum": esf + cof}
                }
            )

    @property
    def funds_labels(self) -> list[str]:
        """What the call funds, in words, in the order of ``Funded``."""
        return [str(label) for value, label in Funded.choices if value in (self.funds or [])]

    def funds_on(self, kind: str, day: dt.date) -> bool:
        """Whether the call pays for ``kind`` (a ``Funded`` value) on ``day``."""
        return kind in (self.funds or []) and self.start_date <= day <= self.end_date

    @property
    def split(self) -> rules.Split | None:
        """The call's total split into ESF and co-financing, when the shares are known."""
        if self.esf_share_percent is None:
            return None
        return rules.split_budget(self.total_budget, self.esf_share_percent)

    @property
    def totals(self) -> rules.CallTotals:
        """The call's projects (in Tandem) summed against the call's stated total."""
        return rules.call_totals(self.total_budget, (p.budget for p in self.projects.all()))

    @property
    def projects_total(self) -> Decimal:
        return self.totals.projects_total

    @property
    def projects_difference(self) -> Decimal:
        """Sum of the projects minus the stated total: negative when the projects fall short."""
        return self.totals.difference


class Project(BaseModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
    )
    promoter = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("promoter"),
        on_delete=models.PROTECT,
        related_name="promoted_projects",
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_projects",
    )
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_period_date])
    end_date = models.DateField(_("end date"), validators=[validate_period_date])
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2)
    esf_amount = models.DecimalField(
        _("ESF (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cofinancing_amount = models.DecimalField(
        _("co-financing (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="project_budget_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(esf_amount__isnull=True, cofinancing_amount__isnull=True)
                | (
                    models.Q(esf_amount__gte=0, cofinancing_amount__gte=0)
                    & _sum_is("esf_amount", "cofinancing_amount", models.F("budget"))
                ),
                name="project_split_adds_up_to_budget",
                violation_error_message=_(
                    "ESF and co-financing must add up to the budget, or both be left empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        esf, cof = self.esf_amount, self.cofinancing_amount
        if (esf is None) != (cof is None):
            raise ValidationError(
                {
                    "cofinancing_amount" if cof is None else "esf_amount": _(
                        "Fill in both the ESF amount and the co-financing amount, or neither."
                    )
                }
            )
        if (
            esf is not None
            and cof is not None
            and self.budget is not None
            and not rules.split_complete(self.budget, esf, cof)
        ):
            raise ValidationError(
                {
                    "cofinancing_amount": _(
                        "ESF (%(esf)s EUR) and co-financing (%(cof)s EUR) add up to %(sum)s EUR, "
                        "not the budget of %(budget)s EUR."
                    )
                    % {"esf": esf, "cof": cof, "sum": esf + cof, "budget": self.budget}
                }
            )


class TargetKind(models.TextChoices):
    PARTICIPANTS = "participants", _("participants")
    INTO_WORK_OR_TRAINING = "into_work_or_training", _("people into work or training")
    INTO_WORK = "into_work", _("people into work")
    REACHED = "reached", _("people reached (outreach)")


class TargetBound(models.TextChoices):
    """How the source words the number: "more than 900", "at least 4,000" or just "10,000"."""

    MORE_THAN = "more_than", _("more than")
    AT_LEAST = "at_least", _("at least")
    AS_STATED = "as_stated", _("as stated")


class TargetBase(BaseModel):
    """A number to reach, as the source words it ("more than 900", "at least 4,000")."""

    kind = models.CharField(_("kind"), max_length=30, choices=TargetKind.choices)
    bound = models.CharField(
        _("bound"), max_length=10, choices=TargetBound.choices, default=TargetBound.AT_LEAST
    )
    value = models.PositiveIntegerField(_("value"))
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_period_date]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_date", "kind"]


class CallTarget(TargetBase):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="targets"
    )

    class Meta(TargetBase.Meta):
        verbose_name = _("call target")
        verbose_name_plural = _("call targets")

    def __str__(self) -> str:
        return f"{self.call}: {self.get_bound_display()} {self.value} {self.get_kind_display()}"


class ProjectTarget(TargetBase):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="targets"
    )

    class Meta(TargetBase.Meta):
        verbose_name = _("project target")
        verbose_name_plural = _("project targets")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_bound_display()} {self.value} {self.get_kind_display()}"


class FundingException(BaseModel):
    """A programme manager's justified exception to the funding rule (issue 17): this
    trajectory may be funded by this project (``kind`` its own type), or take part in the
    project's group work (``kind`` group work), although the call does not fund it or the day
    falls outside the period. Recorded once, audited, never edited: the reason is the
    evidence an ESF auditor reads."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="funding_exceptions",
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        related_name="funding_exceptions",
    )
    kind = models.CharField(_("covers"), max_length=12, choices=Funded.choices)
    reason = LimitedTextField(_("why the exception is justified"), max_length=REASON_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("funding exception")
        verbose_name_plural = _("funding exceptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "trajectory", "kind"],
                name="funding_exception_once",
                violation_error_message=_(
                    "An exception for this trajectory, project and kind is already recorded."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="funding_exception_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.get_kind_display()}"
