"""Check a read package against the database and the models, and plan the rows to write.

Which references must resolve: those a row cannot do without (a service's organisation, both
ends of a service-at-location, an attribute's taxonomy term and service). Optional references
that the HSDS example itself leaves dangling (a location's organisation, a term's taxonomy or
parent, an address's location) are dropped with a warning that also names the line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tandem.accounts.models import Organisation
from tandem.network.directory.selectors import directory_known_ids
from tandem.network.models import Location, Service, Taxonomy, TaxonomyTerm

from .domains import life_domain_for_term
from .reading import Package, Row
from .spec import (
    ADDRESS,
    ATTRIBUTE,
    COORDINATE_PLACES,
    LOCATION,
    ORGANIZATION,
    SERVICE,
    SERVICE_AT_LOCATION,
    SPECS,
    SPECS_BY_NAME,
    TAXONOMY,
    TAXONOMY_TERM,
    HsdsPackageError,
    Problem,
    ResourceSpec,
)


@dataclass
class Planned:
    """One row to write: its place in the package, its id and the model's field values."""

    file: str
    line: int
    id: uuid.UUID
    fields: dict[str, Any]
    # References kept apart from the fields, e.g. an organisation's parent.
    refs: dict[str, uuid.UUID | None] = field(default_factory=dict)


@dataclass
class Plan:
    organisations: list[Planned] = field(default_factory=list)
    taxonomies: list[Planned] = field(default_factory=list)
    terms: list[Planned] = field(default_factory=list)
    locations: list[Planned] = field(default_factory=list)
    services: list[Planned] = field(default_factory=list)
    service_at_locations: list[Planned] = field(default_factory=list)
    # Address fields for locations Tandem already holds but the package does not list.
    addresses: list[Planned] = field(default_factory=list)
    # The taxonomy terms of each service that has attributes in the package, in order.
    service_terms: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def check_package(package: Package) -> Plan:
    """Check references and field rules; raise ``HsdsPackageError`` with every problem."""
    problems = list(package.problems)
    plan = Plan()

    def ids(spec: ResourceSpec) -> set[uuid.UUID]:
        return {i for row in package.rows(spec) if (i := row.uuid("id")) is not None}

    def referenced(spec: ResourceSpec, column: str) -> set[uuid.UUID]:
        return {i for row in package.rows(spec) if (i := row.uuid(column)) is not None}

    in_package = {spec.name: ids(spec) for spec in SPECS}
    wanted = {
        "organization": referenced(SERVICE, "organization_id")
        | referenced(LOCATION, "organization_id"),
        "service": referenced(SERVICE_AT_LOCATION, "service_id") | referenced(ATTRIBUTE, "link_id"),
        "location": referenced(SERVICE_AT_LOCATION, "location_id")
        | referenced(ADDRESS, "location_id"),
        "taxonomy": referenced(TAXONOMY_TERM, "taxonomy_id"),
        "taxonomy_term": referenced(TAXONOMY_TERM, "parent_id")
        | referenced(ATTRIBUTE, "taxonomy_term_id"),
    }
    known = {
        kind: in_package[kind] | directory_known_ids(kind, wanted[kind] - in_package[kind])
        for kind in wanted
    }

    def resolve(
        spec: ResourceSpec, row: Row, column: str, kind: str, *, required: bool, what: str
    ) -> uuid.UUID | None:
        """The referenced id if it is known; else an error (required) or a warning."""
        value = row.uuid(column)
        if value is None or value in known[kind]:
            return value
        file = package.file(spec)
        where = SPECS_BY_NAME[kind].path
        if required:
            problems.append(
                Problem(
                    file,
                    row.line,
                    column,
                    _("%(id)s is neither in %(file)s nor in Tandem") % {"id": value, "file": where},
                )
            )
        else:
            plan.warnings.append(
                Problem(
                    file,
                    row.line,
                    column,
                    _("%(id)s is neither in %(file)s nor in Tandem: %(what)s")
                    % {"id": value, "file": where, "what": what},
                )
            )
        return None

    def planned(spec: ResourceSpec, row: Row, fields: dict[str, Any]) -> Planned | None:
        row_id = row.uuid("id")
        if row_id is None:
            return None
        return Planned(package.file(spec), row.line, row_id, fields)

    for row in package.rows(ORGANIZATION):
        fields: dict[str, Any] = {
            "name": row.get("name"),
            "description": row.get("description"),
            "email": row.get("email"),
            "website": row.get("website"),
        }
        _check_fields(Organisation, fields, package.file(ORGANIZATION), row, problems)
        if item := planned(ORGANIZATION, row, fields):
            item.refs["parent"] = row.uuid("parent_organization_id")
            plan.organisations.append(item)

    for row in package.rows(TAXONOMY):
        fields = {
            "name": row.get("name"),
            "description": row.get("description"),
            "uri": row.get("uri"),
            "version": row.get("version"),
        }
        _check_fields(Taxonomy, fields, package.file(TAXONOMY), row, problems)
        if item := planned(TAXONOMY, row, fields):
            plan.taxonomies.append(item)

    for row in package.rows(TAXONOMY_TERM):
        fields = {
            "code": row.get("code"),
            "name": row.get("name"),
            "description": row.get("description"),
            "language": row.get("language"),
            "term_uri": row.get("term_uri"),
        }
        _check_fields(TaxonomyTerm, fields, package.file(TAXONOMY_TERM), row, problems)
        fields["life_domain"] = life_domain_for_term(fields["code"], fields["name"])
        fields["taxonomy_id"] = resolve(
            TAXONOMY_TERM,
            row,
            "taxonomy_id",
            "taxonomy",
            required=False,
            what=_("the term is imported without a taxonomy"),
        )
        parent = resolve(
            TAXONOMY_TERM,
            row,
            "parent_id",
            "taxonomy_term",
            required=False,
            what=_("the term is imported without a parent"),
        )
        fields["parent_id"] = parent if parent != row.uuid("id") else None
        if item := planned(TAXONOMY_TERM, row, fields):
            plan.terms.append(item)

    addresses = _plan_addresses(package, resolve, problems, plan.warnings)
    for row in package.rows(LOCATION):
        fields = {
            "location_type": row.get("location_type"),
            "name": row.get("name"),
            "description": row.get("description"),
            "latitude": _coordinate(row.get("latitude")),
            "longitude": _coordinate(row.get("longitude")),
        }
        _check_fields(Location, fields, package.file(LOCATION), row, problems)
        fields["organisation_hsds_id"] = resolve(
            LOCATION,
            row,
            "organization_id",
            "organization",
            required=False,
            what=_("the location is imported without an organisation"),
        )
        if item := planned(LOCATION, row, fields):
            address = addresses.pop(item.id, None)
            if address is not None:
                address.pop("line")
                item.fields.update(address)
            plan.locations.append(item)
    for location_id, address_fields in addresses.items():
        plan.addresses.append(
            Planned(package.file(ADDRESS), address_fields.pop("line"), location_id, address_fields)
        )

    for row in package.rows(SERVICE):
        fields = {
            "name": row.get("name"),
            "alternate_name": row.get("alternate_name"),
            "description": row.get("description"),
            "url": row.get("url"),
            "email": row.get("email"),
            "status": row.get("status"),
            "eligibility_description": row.get("eligibility_description"),
            "application_process": row.get("application_process"),
            "wait_time": row.get("wait_time"),
        }
        _check_fields(Service, fields, package.file(SERVICE), row, problems)
        fields["organisation_hsds_id"] = resolve(
            SERVICE, row, "organization_id", "organization", required=True, what=""
        )
        if item := planned(SERVICE, row, fields):
            plan.services.append(item)

    for row in package.rows(SERVICE_AT_LOCATION):
        fields = {
            "service_id": resolve(
                SERVICE_AT_LOCATION, row, "service_id", "service", required=True, what=""
            ),
            "location_id": resolve(
                SERVICE_AT_LOCATION, row, "location_id", "location", required=True, what=""
            ),
            "description": row.get("description"),
        }
        if item := planned(SERVICE_AT_LOCATION, row, fields):
            plan.service_at_locations.append(item)

    for row in package.rows(ATTRIBUTE):
        entity = row.get("link_entity").lower()
        if entity != "service":
            plan.warnings.append(
                Problem(
                    package.file(ATTRIBUTE),
                    row.line,
                    "link_entity",
                    _("“%(entity)s”: only attributes of a service are imported")
                    % {"entity": row.get("link_entity")},
                )
            )
            continue
        service_id = resolve(ATTRIBUTE, row, "link_id", "service", required=True, what="")
        term_id = resolve(
            ATTRIBUTE, row, "taxonomy_term_id", "taxonomy_term", required=True, what=""
        )
        if service_id is not None and term_id is not None:
            terms = plan.service_terms.setdefault(service_id, [])
            if term_id not in terms:
                terms.append(term_id)

    if problems:
        # By file and line, so the report reads like the files; a line keeps its column order.
        raise HsdsPackageError(sorted(problems, key=lambda p: (p.file, p.line or 0)))
    return plan


def _plan_addresses(
    package: Package, resolve: Any, problems: list[Problem], warnings: list[Problem]
) -> dict[uuid.UUID, dict[str, Any]]:
    """The address fields per location (and the line they come from): the location's physical
    address, else the first one listed. Tandem keeps one address per location."""
    chosen: dict[uuid.UUID, dict[str, Any]] = {}
    physical: set[uuid.UUID] = set()
    file = package.file(ADDRESS)
    for row in package.rows(ADDRESS):
        fields = {
            "address_1": row.get("address_1"),
            "postal_code": row.get("postal_code"),
            "city": row.get("city"),
            "region": row.get("region"),
            "country": row.get("country").upper(),
        }
        _check_fields(Location, fields, file, row, problems)
        if not row.get("location_id"):
            warnings.append(
                Problem(file, row.line, "location_id", _("no location: the address is skipped"))
            )
            continue
        location_id = resolve(
            ADDRESS,
            row,
            "location_id",
            "location",
            required=False,
            what=_("the address is skipped"),
        )
        if location_id is None or location_id in physical:
            continue
        if location_id in chosen and row.get("address_type") != "physical":
            continue
        if row.get("address_type") == "physical":
            physical.add(location_id)
        chosen[location_id] = {**fields, "line": row.line}
    return chosen


def _coordinate(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value).quantize(COORDINATE_PLACES)
    except InvalidOperation:
        return None


def _check_fields(
    model: type[models.Model], fields: dict[str, Any], file: str, row: Row, problems: list[Problem]
) -> None:
    """Run the model's field validation on the mapped values; name the column on failure."""
    instance = model(**fields)
    exclude = [f.name for f in model._meta.fields if f.name not in fields]
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in row.bad:
                continue  # already reported by the cell check
            for message in messages:
                problems.append(Problem(file, row.line, name, message))
