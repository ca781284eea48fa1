"""Reads of the services directory: search, one service or organisation, who may maintain
which entries, and everything an HSDS export needs.

The directory holds no personal data, so any logged-in user may read it and no access log is
written. Maintaining entries is scoped here: administrators maintain every organisation's
entries, the organisation's own staff (capability ``directory.maintain``) maintain their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tandem.access.capabilities import has_capability
from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.common.models import LifeDomain

from ..models import Location, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm

# Employers are not directory entries (they are the job-coaching module's counterparts).
DIRECTORY_KINDS = [k for k in OrganisationKind.values if k != OrganisationKind.EMPLOYER]


def may_maintain(user: User | None, organisation: Organisation | None) -> bool:
    """Whether ``user`` may add and change the directory entries of ``organisation``."""
    if user is None or organisation is None or not user.is_authenticated:
        return False
    if has_capability(user, "directory.maintain_all"):
        return True
    return bool(
        user.organisation_id == organisation.pk and has_capability(user, "directory.maintain")
    )


def may_maintain_any(user: User) -> bool:
    """Whether ``user`` maintains the entries of at least one organisation."""
    if has_capability(user, "directory.maintain_all"):
        return True
    return user.organisation_id is not None and has_capability(user, "directory.maintain")


def organisations_maintainable_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose entries ``user`` maintains (all directory ones for an admin)."""
    organisations = Organisation.objects.filter(kind__in=DIRECTORY_KINDS).order_by("name")
    if has_capability(user, "directory.maintain_all"):
        return organisations
    if user.organisation_id is None or not may_maintain_any(user):
        return organisations.none()
    return organisations.filter(pk=user.organisation_id)


def _services() -> QuerySet[Service]:
    return Service.objects.select_related("organisation").prefetch_related(
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").order_by(
                "location__city", "location__name"
            ),
        )
    )


def directory_search(
    *, life_domain: str = "", municipality: str = "", text: str = ""
) -> QuerySet[Service]:
    """Services that are not defunct, filtered by life domain, municipality and keyword.

    ``life_domains`` is a JSON list: matching its text on the quoted code works the same on
    SQLite and PostgreSQL (SQLite has no JSON ``contains``).
    """
    services = _services().exclude(status=ServiceStatus.DEFUNCT)
    if life_domain:
        services = services.filter(life_domains__icontains=f'"{life_domain}"')
    if municipality:
        services = services.filter(
            pk__in=ServiceAtLocation.objects.filter(location__city__iexact=municipality).values(
                "service_id"
            )
        )
    for word in text.split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(alternate_name__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return services.order_by("name", "id")


def _domain_labels(service: Service) -> list[str]:
    labels = dict(LifeDomain.choices)
    return [labels.get(code, code) for code in service.life_domains or []]


def search_rows(services: Iterable[Service]) -> list[dict[str, Any]]:
    """A page of search results as the list shows them: each service with its life domains'
    labels and the municipalities it is offered in (from the prefetched locations)."""
    return [
        {
            "service": service,
            "domains": _domain_labels(service),
            "cities": sorted(
                {
                    link.location.city
                    for link in service.service_at_locations.all()
                    if link.location and link.location.city
                }
            ),
        }
        for service in services
    ]


def service_page(service: Service) -> dict[str, Any]:
    """What a service's page shows: its life domains' labels, its other taxonomy terms (Tandem's
    own life-domain terms are shown as life domains) and its locations."""
    from .hsds import LIFE_DOMAIN_TAXONOMY_ID  # the package's checks read this module

    return {
        "service": service,
        "life_domains": _domain_labels(service),
        "terms": [
            t for t in service.taxonomy_terms.all() if t.taxonomy_id != LIFE_DOMAIN_TAXONOMY_ID
        ],
        "links": list(service.service_at_locations.all()),
    }


def directory_municipalities() -> list[str]:
    """The municipalities where at least one service is offered, for the search form."""
    cities = (
        Location.objects.exclude(city="")
        .filter(service_at_locations__isnull=False)
        .order_by("city")  # not the model's (city, name): DISTINCT would include the name
        .values_list("city", flat=True)
        .distinct()
    )
    return sorted(set(cities), key=str.casefold)


def service_get(service_id: uuid.UUID | str) -> Service:
    """One service with its organisation, locations and taxonomy terms, or 404."""
    try:
        return _services().prefetch_related("taxonomy_terms").get(pk=service_id)
    except (Service.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def service_for_maintenance(user: User, service_id: uuid.UUID | str) -> Service:
    """A service ``user`` may change, or 404 (another organisation's service included)."""
    organisations = organisations_maintainable_by(user)
    try:
        return _services().get(pk=service_id, organisation__in=organisations)
    except (Service.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def service_at_location_get(service: Service, sal_id: uuid.UUID | str) -> ServiceAtLocation:
    try:
        return service.service_at_locations.select_related("location").get(pk=sal_id)
    except (ServiceAtLocation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def locations_of(organisation: Organisation) -> QuerySet[Location]:
    return Location.objects.filter(organisation=organisation).order_by("city", "name")


def organisation_directory_get(hsds_id: uuid.UUID | str) -> Organisation:
    """An organisation of the directory by its HSDS id, or 404."""
    try:
        return Organisation.objects.get(hsds_id=hsds_id, kind__in=DIRECTORY_KINDS)
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def organisation_for_maintenance(user: User, hsds_id: uuid.UUID | str) -> Organisation:
    try:
        return organisations_maintainable_by(user).get(hsds_id=hsds_id)
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def services_of(organisation: Organisation) -> QuerySet[Service]:
    return _services().filter(organisation=organisation).order_by("name", "id")


# --- Import and export ---------------------------------------------------------------------

_KNOWN_ID_FIELDS: dict[str, tuple[type[models.Model], str]] = {
    "organization": (Organisation, "hsds_id"),
    "service": (Service, "pk"),
    "location": (Location, "pk"),
    "taxonomy": (Taxonomy, "pk"),
    "taxonomy_term": (TaxonomyTerm, "pk"),
}


def directory_known_ids(kind: str, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` Tandem already holds, for an HSDS resource name (``service``, …)."""
    wanted = list(ids)
    if not wanted:
        return set()
    model, key = _KNOWN_ID_FIELDS[kind]
    return set(model._default_manager.filter(**{f"{key}__in": wanted}).values_list(key, flat=True))


@dataclass
class DirectoryData:
    """Everything an export writes, each list in a stable order (by id)."""

    organisations: list[Organisation]
    taxonomies: list[Taxonomy]
    terms: list[TaxonomyTerm]
    locations: list[Location]
    services: list[Service]
    service_at_locations: list[ServiceAtLocation]


def directory_export_data() -> DirectoryData:
    return DirectoryData(
        organisations=list(
            Organisation.objects.filter(kind__in=DIRECTORY_KINDS)
            .select_related("parent")
            .order_by("hsds_id")
        ),
        taxonomies=list(Taxonomy.objects.order_by("id")),
        terms=list(TaxonomyTerm.objects.select_related("taxonomy").order_by("id")),
        locations=list(Location.objects.select_related("organisation").order_by("id")),
        services=list(
            Service.objects.select_related("organisation")
            .prefetch_related("taxonomy_terms")
            .order_by("id")
        ),
        service_at_locations=list(ServiceAtLocation.objects.order_by("id")),
    )
