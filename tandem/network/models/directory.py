"""The services directory, after the core of Open Referral HSDS 3.x: organisations (the
accounts app's, with an HSDS id), services, locations, services at locations and taxonomy
terms. HSDS ids are the primary keys, so they stay stable across an import/export round trip."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.models import BaseModel, LifeDomain
from tandem.common.text import NOTE_MAX, LimitedTextField


class Taxonomy(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    language = models.CharField(_("language"), max_length=10, blank=True)
    term_uri = models.URLField(_("term URI"), blank=True)
    # Tandem's own mapping, so the directory can be searched by life domain.
    life_domain = models.CharField(
        _("life domain"), max_length=20, choices=LifeDomain.choices, blank=True
    )

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    eligibility_description = LimitedTextField(_("who is it for"), blank=True, max_length=NOTE_MAX)
    application_process = LimitedTextField(_("how to apply"), blank=True, max_length=NOTE_MAX)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    life_domains = models.JSONField(_("life domains"), default=list, blank=True)
    taxonomy_terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("taxonomy terms"), blank=True, related_name="services"
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "status"], name="service_org_status")]

    def __str__(self) -> str:
        return self.name


class Location(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
    )
    location_type = models.CharField(
        _("type"),
        max_length=10,
        choices=[("physical", _("Physical")), ("postal", _("Postal")), ("virtual", _("Virtual"))],
        default="physical",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)
    address_1 = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("municipality"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="BE")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return self.name or self.address_1 or str(self.id)


class ServiceAtLocation(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_at_locations",
    )
    description = LimitedTextField(_("description"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"
