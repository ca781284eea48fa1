"""Funded projects (DOMAIN.md §8), minimal for now: calls, budgets split and targets follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, Province


class Project(BaseModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
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
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2)
    description = models.TextField(_("description"), blank=True)

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
        ]

    def __str__(self) -> str:
        return self.name
