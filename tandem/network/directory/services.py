"""Writes to the services directory: an organisation's entries (services, their locations, the
organisation's own description). The HSDS import is ``importing.directory_import``.

``acting_user=None`` is the system (the demo seed, the import command); a person must be
allowed to maintain the organisation's entries (``directory.selectors.may_maintain``). Every
write leaves an audit event in its own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from tandem.accounts.models import Organisation, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain

from ..models import Location, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm
from . import hsds
from .selectors import may_maintain

SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "eligibility_description",
    "application_process",
    "wait_time",
)
ADDRESS_FIELDS = ("name", "address_1", "postal_code", "city", "region")
ORGANISATION_ENTRY_FIELDS = ("description", "email", "website")


def _check_may_maintain(acting_user: User | None, organisation: Organisation | None) -> None:
    if acting_user is not None and not may_maintain(acting_user, organisation):
        raise PermissionDenied


def _clean_domains(life_domains: Iterable[str]) -> list[str]:
    domains = sorted(set(life_domains))
    unknown = set(domains) - set(LifeDomain.values)
    if unknown:
        raise ValidationError(
            {"life_domains": _("Unknown life domains: %(d)s") % {"d": ", ".join(sorted(unknown))}}
        )
    return domains


def life_domain_terms_ensure() -> dict[str, TaxonomyTerm]:
    """Tandem's life domains as an HSDS taxonomy (fixed ids), so an export carries a service's
    life domains as ordinary taxonomy terms and an import finds them again."""
    taxonomy, _created = Taxonomy.objects.get_or_create(
        id=hsds.LIFE_DOMAIN_TAXONOMY_ID,
        defaults={
            "name": "Tandem levensdomeinen",
            "description": "De 13 levensdomeinen van Tandem (afgestemd op de ZRM-domeinen).",
            "version": "1",
        },
    )
    ids = {d.value: hsds.life_domain_term_id(d.value) for d in LifeDomain}
    found = TaxonomyTerm.objects.in_bulk(list(ids.values()))
    terms: dict[str, TaxonomyTerm] = {}
    with override("nl"):
        for domain in LifeDomain:
            term = found.get(ids[domain.value])
            if term is None:
                term = TaxonomyTerm.objects.create(
                    id=ids[domain.value],
                    taxonomy=taxonomy,
                    code=domain.value,
                    name=str(domain.label),
                    description=f"Levensdomein: {domain.label}",
                    language="nl",
                    life_domain=domain.value,
                )
            terms[domain.value] = term
    return terms


def _link_life_domains(service: Service, domains: list[str]) -> None:
    """Make the service's Tandem life-domain terms match ``domains``; other terms stay."""
    own = service.taxonomy_terms.filter(taxonomy_id=hsds.LIFE_DOMAIN_TAXONOMY_ID)
    if not domains and not own.exists():
        return  # no need for the life-domain taxonomy (it would show, unused, in exports)
    terms = life_domain_terms_ensure()
    linked = set(service.taxonomy_terms.values_list("pk", flat=True))
    current = {code for code, term in terms.items() if term.pk in linked}
    service.taxonomy_terms.remove(*(terms[d] for d in current - set(domains)))
    service.taxonomy_terms.add(*(terms[d] for d in set(domains) - current))


@transaction.atomic
def service_create(
    *,
    acting_user: User | None,
    organisation: Organisation,
    name: str,
    life_domains: Iterable[str] = (),
    status: str = ServiceStatus.ACTIVE,
    service_id: uuid.UUID | None = None,
    **details: str,
) -> Service:
    """Add a service to the organisation's directory entries."""
    _check_may_maintain(acting_user, organisation)
    unknown = set(details) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    domains = _clean_domains(life_domains)
    service = Service(
        organisation=organisation,
        name=name.strip(),
        status=status,
        life_domains=domains,
        **{k: v.strip() for k, v in details.items()},
    )
    if service_id is not None:
        service.id = service_id  # the demo seed gives fixed ids
    service.full_clean()
    service.save(force_insert=True)
    _link_life_domains(service, domains)
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type=Event.DIRECTORY_SERVICE_CREATED,
        data={"service": str(service.id), "name": service.name},
    )
    return service


@transaction.atomic
def service_update(
    *,
    acting_user: User | None,
    service: Service,
    life_domains: Iterable[str] | None = None,
    **changes: str,
) -> Service:
    """Change a service's fields (any of ``SERVICE_FIELDS``) and, if given, its life domains."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _check_may_maintain(acting_user, service.organisation)
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    changed = [k for k, v in changes.items() if getattr(service, k) != v.strip()]
    for key in changed:
        setattr(service, key, changes[key].strip())
    if life_domains is not None:
        domains = _clean_domains(life_domains)
        if domains != sorted(service.life_domains or []):
            service.life_domains = domains
            changed.append("life_domains")
        _link_life_domains(service, domains)
    if changed:
        service.full_clean()
        service.save(update_fields=[*changed, "updated_at"])
        audit_event_record(
            actor=acting_user,
            organisation=service.organisation,
            event_type=Event.DIRECTORY_SERVICE_UPDATED,
            data={"service": str(service.id), "fields": sorted(changed)},
        )
    return service


@transaction.atomic
def service_location_add(
    *,
    acting_user: User | None,
    service: Service,
    location: Location | None = None,
    description: str = "",
    link_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    **address: str,
) -> ServiceAtLocation:
    """Offer the service at one of its organisation's locations, or at a new address."""
    _check_may_maintain(acting_user, service.organisation)
    if location is None:
        unknown = set(address) - set(ADDRESS_FIELDS)
        if unknown:
            raise TypeError(f"unknown address fields: {sorted(unknown)}")
        location = _location_create(
            acting_user=acting_user,
            organisation=service.organisation,
            location_id=location_id,
            **address,
        )
    elif location.organisation_id != service.organisation_id:
        raise ValidationError({"location": _("Choose one of your organisation's locations.")})
    if service.service_at_locations.filter(location=location).exists():
        raise ValidationError({"location": _("The service is already offered there.")})
    link = ServiceAtLocation(service=service, location=location, description=description.strip())
    if link_id is not None:
        link.id = link_id
    link.full_clean()
    link.save(force_insert=True)
    audit_event_record(
        actor=acting_user,
        organisation=service.organisation,
        event_type=Event.DIRECTORY_SERVICE_LOCATION_ADDED,
        data={"service": str(service.id), "location": str(location.id)},
    )
    return link


def _location_create(
    *,
    acting_user: User | None,
    organisation: Organisation,
    location_id: uuid.UUID | None = None,
    **address: str,
) -> Location:
    missing = [k for k in ("address_1", "postal_code", "city") if not address.get(k, "").strip()]
    if missing:
        raise ValidationError(
            {
                k: _("Needed for a new location: street, postal code and municipality.")
                for k in missing
            }
        )
    location = Location(
        organisation=organisation,
        location_type="physical",
        country="BE",
        **{k: v.strip() for k, v in address.items()},
    )
    if location_id is not None:
        location.id = location_id
    location.full_clean()
    location.save(force_insert=True)
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type=Event.DIRECTORY_LOCATION_CREATED,
        data={"location": str(location.id), "city": location.city},
    )
    return location


@transaction.atomic
def service_location_remove(
    *, acting_user: User | None, service_at_location: ServiceAtLocation
) -> None:
    """Stop offering the service at this location (the location itself stays)."""
    service = service_at_location.service
    _check_may_maintain(acting_user, service.organisation)
    location_id = service_at_location.location_id
    service_at_location.delete()
    audit_event_record(
        actor=acting_user,
        organisation=service.organisation,
        event_type=Event.DIRECTORY_SERVICE_LOCATION_REMOVED,
        data={"service": str(service.id), "location": str(location_id)},
    )


@transaction.atomic
def organisation_entry_update(
    *, acting_user: User | None, organisation: Organisation, **changes: str
) -> Organisation:
    """Change what the directory says about an organisation: description, e-mail, website."""
    _check_may_maintain(acting_user, organisation)
    unknown = set(changes) - set(ORGANISATION_ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = [k for k, v in changes.items() if getattr(organisation, k) != v.strip()]
    if changed:
        for key in changed:
            setattr(organisation, key, changes[key].strip())
        organisation.full_clean()
        organisation.save(update_fields=[*changed, "updated_at"])
        audit_event_record(
            actor=acting_user,
            organisation=organisation,
            event_type=Event.DIRECTORY_ORGANISATION_UPDATED,
            data={"fields": sorted(changed)},
        )
    return organisation
