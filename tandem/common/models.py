"""Building blocks shared by every app: timestamps and the fixed reference lists of the domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Province(models.TextChoices):
    ANTWERPEN = "antwerpen", "Antwerpen"
    LIMBURG = "limburg", "Limburg"
    OOST_VLAANDEREN = "oost_vlaanderen", "Oost-Vlaanderen"
    VLAAMS_BRABANT = "vlaams_brabant", "Vlaams-Brabant"
    WEST_VLAANDEREN = "west_vlaanderen", "West-Vlaanderen"
    BRUSSEL = "brussel", "Brussel"


class LifeDomain(models.TextChoices):
    """The 13 life domains of DOMAIN.md §3 (aligned one to one with the ZRM domains)."""

    INCOME = "income", _("Finances and debts")
    WORK_EDUCATION = "work_education", _("Work and education")
    DAYTIME = "daytime", _("Daytime activities")
    HOUSING = "housing", _("Housing")
    FAMILY = "family", _("Domestic relations and childcare")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    ADDICTION = "addiction", _("Substance use")
    ADL = "adl", _("Basic ADL")
    IADL = "iadl", _("Instrumental ADL")
    SOCIAL_NETWORK = "social_network", _("Social network")
    PARTICIPATION = "participation", _("Social participation")
    JUSTICE = "justice", _("Justice")


# GDPR art. 9 and 10 data: visible only to the duo owning the trajectory unless consent says more.
SPECIAL_CATEGORY_DOMAINS = frozenset(
    {
        LifeDomain.MENTAL_HEALTH,
        LifeDomain.PHYSICAL_HEALTH,
        LifeDomain.ADDICTION,
        LifeDomain.JUSTICE,
    }
)
