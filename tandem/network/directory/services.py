"""Writes to the services directory: an organisation's entries (services, their locations, the
organisation's own description) and the HSDS import.

``acting_user=None`` is the system (the demo seed, the import command); a person must be
allowed to maintain the organisation's entries (``directory.selectors.may_maintain``). Every
write leaves an audit event in its own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from tandem.accounts.models import Organisation, OrganisationKind, User
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


# --- HSDS import ---------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[hsds.Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files Tandem does not import

    def count(self, kind: str) -> Counts:
        return self.counts.setdefault(kind, Counts())


IMPORT_KINDS = (
    "organisations",
    "taxonomies",
    "taxonomy terms",
    "locations",
    "services",
    "services at locations",
)


@transaction.atomic
def directory_import(
    *, acting_user: User | None, directory: Path, dry_run: bool = False
) -> ImportResult:
    """Import an HSDS tabular data package: all or nothing.

    Every row is checked first (``hsds.read_package`` and ``hsds.check_package``); one problem
    and nothing is written (``hsds.HsdsPackageError`` lists them all). Rows are matched on
    their HSDS id (an organisation on ``hsds_id``), so importing the same package again
    creates nothing and changes nothing. ``dry_run`` checks and counts, then rolls back.
    """
    package = hsds.read_package(directory)
    plan = hsds.check_package(package)
    result = ImportResult(
        counts={kind: Counts() for kind in IMPORT_KINDS},
        warnings=plan.warnings,
        ignored=package.ignored,
    )
    organisations = _import_organisations(plan, result.count("organisations"))
    _upsert(Taxonomy, plan.taxonomies, result.count("taxonomies"))
    _upsert(TaxonomyTerm, _parents_first(plan.terms), result.count("taxonomy terms"))
    for item in [*plan.locations, *plan.services]:
        hsds_id = item.fields.pop("organisation_hsds_id")
        item.fields["organisation_id"] = _organisation_pk(hsds_id, organisations)
    _upsert(Location, plan.locations, result.count("locations"))
    _upsert(Location, plan.addresses, result.count("locations"), create=False)
    outcome = _upsert(Service, plan.services, result.count("services"))
    _upsert(ServiceAtLocation, plan.service_at_locations, result.count("services at locations"))
    _import_service_terms(plan, outcome, result.count("services"))
    audit_event_record(
        actor=acting_user,
        event_type=Event.DIRECTORY_IMPORTED,
        data={
            "package": directory.name,
            "dry_run": dry_run,
            "counts": {k: vars(c) for k, c in result.counts.items()},
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    return result


def _organisation_pk(hsds_id: uuid.UUID | None, cache: dict[uuid.UUID, Organisation]) -> int | None:
    if hsds_id is None:
        return None
    if hsds_id not in cache:
        cache[hsds_id] = Organisation.objects.get(hsds_id=hsds_id)
    return cache[hsds_id].pk


def _import_organisations(plan: hsds.Plan, counts: Counts) -> dict[uuid.UUID, Organisation]:
    """Update the directory fields of known organisations; create the others (kind other).

    An import never changes an existing organisation's kind, code or parent: those decide who
    sees which persons, so they stay with the administrators. A new organisation gets its
    parent only when the parent is new in the same import too.
    """
    existing = Organisation.objects.in_bulk(
        [item.id for item in plan.organisations], field_name="hsds_id"
    )
    taken = set(Organisation.objects.values_list("code", flat=True))
    out: dict[uuid.UUID, Organisation] = {}
    for item in plan.organisations:
        org = existing.get(item.id)
        if org is None:
            org = Organisation(
                hsds_id=item.id, kind=OrganisationKind.OTHER, code=_free_code(item, taken)
            )
            _assign(org, item.fields)
            _save(org, item)
            counts.created += 1
            audit_event_record(
                actor=None,
                organisation=org,
                event_type=Event.ORGANISATION_CREATED,
                data={"code": org.code, "kind": org.kind, "hsds_id": str(item.id)},
            )
        elif _assign(org, item.fields):
            _save(org, item)
            counts.updated += 1
        else:
            counts.unchanged += 1
        out[item.id] = org
    created = {item.id for item in plan.organisations if item.id not in existing}
    parents: dict[uuid.UUID, uuid.UUID] = {}
    for item in plan.organisations:
        parent_id = item.refs.get("parent")
        if parent_id is None or not {item.id, parent_id} <= created:
            continue
        ancestor: uuid.UUID | None = parent_id
        while ancestor is not None and ancestor != item.id:
            ancestor = parents.get(ancestor)
        if ancestor == item.id:
            continue  # a cycle in the package: leave this link out
        parents[item.id] = parent_id
        org = out[item.id]
        org.parent = out[parent_id]
        org.save(update_fields=["parent", "updated_at"])
    return out


def _free_code(item: hsds.Planned, taken: set[str]) -> str:
    """A unique slug from the organisation's name (``-2``, ``-3``, … when taken)."""
    base = slugify(item.fields["name"])[:50].strip("-") or f"hsds-{str(item.id)[:8]}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _parents_first(terms: list[hsds.Planned]) -> list[hsds.Planned]:
    """Order terms so that a parent in the package is written before its children."""
    by_id = {item.id: item for item in terms}
    ordered: list[hsds.Planned] = []
    placed: set[uuid.UUID] = set()

    def place(item: hsds.Planned, seen: frozenset[uuid.UUID]) -> None:
        if item.id in placed:
            return
        parent = by_id.get(item.fields.get("parent_id"))  # type: ignore[arg-type]
        if parent is not None and parent.id not in seen:
            place(parent, seen | {item.id})
        placed.add(item.id)
        ordered.append(item)

    for item in terms:
        place(item, frozenset())
    # A term no keyword maps keeps the life domain it had (set by hand or by an earlier import).
    existing = TaxonomyTerm.objects.in_bulk([item.id for item in terms])
    for item in ordered:
        if not item.fields["life_domain"] and item.id in existing:
            item.fields["life_domain"] = existing[item.id].life_domain
    return ordered


def _import_service_terms(plan: hsds.Plan, outcome: dict[uuid.UUID, str], counts: Counts) -> None:
    """A service with attributes in the package gets exactly those terms, and the life
    domains they map to; a service without any keeps its own."""
    for service_id, term_ids in plan.service_terms.items():
        service = Service.objects.get(pk=service_id)
        terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids))
        domains = sorted({t.life_domain for t in terms if t.life_domain})
        current = set(service.taxonomy_terms.values_list("pk", flat=True))
        if current == {t.pk for t in terms} and domains == sorted(service.life_domains or []):
            continue
        service.taxonomy_terms.set(terms)
        if domains != sorted(service.life_domains or []):
            service.life_domains = domains
            service.save(update_fields=["life_domains", "updated_at"])
        state = outcome.get(service_id)
        if state == "unchanged":
            counts.unchanged -= 1
        if state != "created":
            counts.updated += 1
            outcome[service_id] = "updated"


def _assign(instance: models.Model, fields: dict[str, Any]) -> bool:
    """Set ``fields`` on ``instance``; return whether anything changed."""
    changed = False
    for key, value in fields.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    return changed


def _save(instance: models.Model, item: hsds.Planned) -> None:
    """Validate and save. References were resolved by ``hsds.check_package`` (a parent term may
    also be written later in the same transaction), so relations are not looked up again."""
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = [
            hsds.Problem(item.file, item.line, name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        raise hsds.HsdsPackageError(problems) from exc
    instance.save()


def _upsert(
    model: type[models.Model], items: list[hsds.Planned], counts: Counts, *, create: bool = True
) -> dict[uuid.UUID, str]:
    """Create or update each row by id; return what happened to each (created, updated,
    unchanged)."""
    existing = model._default_manager.in_bulk([item.id for item in items])
    outcome: dict[uuid.UUID, str] = {}
    for item in items:
        instance = existing.get(item.id)
        if instance is None:
            if not create:
                continue
            instance = model(pk=item.id, **item.fields)
            _save(instance, item)
            counts.created += 1
            outcome[item.id] = "created"
        elif _assign(instance, item.fields):
            _save(instance, item)
            counts.updated += 1
            outcome[item.id] = "updated"
        else:
            counts.unchanged += 1
            outcome[item.id] = "unchanged"
    return outcome
