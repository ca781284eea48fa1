"""Turn the directory into HSDS: CSV rows with the example package's column names, a
``datapackage.json`` descriptor, and HSDS JSON objects. Ids are Tandem's primary keys (and an
organisation's ``hsds_id``), so they are the same on every export."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from tandem.accounts.models import Organisation
from tandem.common.exports import write_csv as write_csv_rows
from tandem.network.models import Location, Service, Taxonomy, TaxonomyTerm

from .spec import (
    ADDRESS,
    ATTRIBUTE,
    HSDS_VERSION,
    LOCATION,
    ORGANIZATION,
    SERVICE,
    SERVICE_AT_LOCATION,
    TAXONOMY,
    TAXONOMY_TERM,
    ResourceSpec,
    address_id,
    attribute_id,
)

if TYPE_CHECKING:
    from tandem.network.directory.selectors import DirectoryData


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _number(value: Decimal) -> int | float:
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def _organisation_row(org: Organisation) -> dict[str, Any]:
    parent = org.parent.hsds_id if org.parent_id and org.parent else None
    return {
        "id": org.hsds_id,
        "name": org.name,
        # HSDS requires a description; an organisation without one is described by its name.
        "description": org.description or org.name,
        "email": org.email,
        "website": org.website,
        "parent_organization_id": parent,
    }


def _taxonomy_row(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description or taxonomy.name,
        "uri": taxonomy.uri,
        "version": taxonomy.version,
    }


def _term_row(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.description or term.name,
        "parent_id": term.parent_id,
        "taxonomy": term.taxonomy.name if term.taxonomy_id and term.taxonomy else "",
        "language": term.language,
        "taxonomy_id": term.taxonomy_id,
        "term_uri": term.term_uri,
    }


def _location_row(location: Location) -> dict[str, Any]:
    org = location.organisation
    return {
        "id": location.id,
        "location_type": location.location_type,
        "organization_id": org.hsds_id if org else None,
        "name": location.name,
        "description": location.description,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def _address_row(location: Location) -> dict[str, Any] | None:
    """The location's address as an HSDS address, when it has the fields HSDS requires."""
    if not (location.address_1 and location.city and location.postal_code and location.country):
        return None
    return {
        "id": address_id(location.id),
        "location_id": location.id,
        "address_1": location.address_1,
        "city": location.city,
        "region": location.region,
        # Required by HSDS; Tandem keeps one region field (the province, in Belgium).
        "state_province": location.region or location.city,
        "postal_code": location.postal_code,
        "country": location.country,
        "address_type": location.location_type,
    }


def _service_row(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "organization_id": service.organisation.hsds_id,
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "application_process": service.application_process,
        "wait_time": service.wait_time,
        "eligibility_description": service.eligibility_description,
    }


def _attribute_rows(service: Service) -> list[dict[str, Any]]:
    return [
        {
            "id": attribute_id(service.id, term.id),
            "link_id": service.id,
            "taxonomy_term_id": term.id,
            "link_entity": "service",
        }
        for term in sorted(service.taxonomy_terms.all(), key=lambda t: str(t.id))
    ]


def _sal_row(sal: Any) -> dict[str, Any]:
    return {
        "id": sal.id,
        "service_id": sal.service_id,
        "location_id": sal.location_id,
        "description": sal.description,
    }


def export_tables(data: DirectoryData) -> dict[ResourceSpec, list[dict[str, str]]]:
    """The CSV rows per resource: every column of the HSDS example, empty where Tandem holds
    nothing."""
    raw: dict[ResourceSpec, list[dict[str, Any]]] = {
        ORGANIZATION: [_organisation_row(o) for o in data.organisations],
        TAXONOMY: [_taxonomy_row(t) for t in data.taxonomies],
        TAXONOMY_TERM: [_term_row(t) for t in data.terms],
        LOCATION: [_location_row(loc) for loc in data.locations],
        ADDRESS: [a for loc in data.locations if (a := _address_row(loc)) is not None],
        SERVICE: [_service_row(s) for s in data.services],
        SERVICE_AT_LOCATION: [_sal_row(sal) for sal in data.service_at_locations],
        ATTRIBUTE: [a for s in data.services for a in _attribute_rows(s)],
    }
    return {
        spec: [{name: _text(row.get(name)) for name in spec.column_names} for row in rows]
        for spec, rows in raw.items()
    }


def write_csv(rows: Iterable[dict[str, str]], spec: ResourceSpec) -> str:
    """One resource's CSV file, through Tandem's spreadsheet-safe writer: a text cell that
    starts like a formula gets a leading apostrophe (the reader takes it off again); the
    number columns (coordinates) stay numbers, a negative one included."""
    numbers = {column.name for column in spec.columns if column.kind == "number"}

    def number(value: str) -> Decimal | str:
        try:
            return Decimal(value)
        except InvalidOperation:
            return value

    def cells(row: dict[str, str]) -> dict[str, Any]:
        return {
            name: number(value) if name in numbers and value else value
            for name, value in row.items()
        }

    out = io.StringIO(newline="")
    write_csv_rows((cells(row) for row in rows), spec.column_names, out, lineterminator="\n")
    return out.getvalue()


def datapackage_descriptor(specs: Iterable[ResourceSpec]) -> dict[str, Any]:
    """A tabular data package descriptor for the files Tandem writes."""
    resources = []
    for spec in specs:
        fields = []
        for column in spec.columns:
            item: dict[str, Any] = {"name": column.name, "type": "string"}
            if column.kind == "uuid":
                item["format"] = "uuid"
            elif column.kind in {"number", "date", "datetime"}:
                item["type"] = column.kind
            elif column.fmt:
                item["format"] = column.fmt
            constraints: dict[str, Any] = {
                "required": column.required,
                "unique": column.name == "id",
            }
            if column.enum:
                constraints["enum"] = list(column.enum)
            item["constraints"] = constraints
            fields.append(item)
        schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
        if spec.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": target, "fields": "id"}}
                for column, target in spec.foreign_keys
            ]
        resources.append(
            {
                "name": spec.name,
                "path": spec.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "tandem_services_directory",
        "title": "Tandem services directory",
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "homepage": "http://docs.openreferral.org",
        "resources": resources,
    }


def _document(row: dict[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    """An HSDS JSON object: ids as strings, numbers as numbers, empty optional fields left out
    (HSDS types them as strings or numbers, never null)."""
    keep = set(required)
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (value == "" and key not in keep):
            continue
        if isinstance(value, uuid.UUID):
            out[key] = str(value)
        elif isinstance(value, Decimal):
            out[key] = _number(value)
        else:
            out[key] = value
    return out


def export_documents(data: DirectoryData) -> dict[str, list[dict[str, Any]]]:
    """HSDS JSON documents, one list per file name.

    ``services.json`` carries each service's ``attributes`` (with their ``taxonomy_term``),
    ``locations.json`` each location's ``addresses``, and ``service_at_location.json`` the
    ``location`` of each link, so a reader of one file needs no other to show it.
    """
    terms = {t.id: _document(_term_row(t)) for t in data.terms}
    locations = {}
    for location in data.locations:
        doc = _document(_location_row(location), required=["location_type"])
        address = _address_row(location)
        doc["addresses"] = [_document(address)] if address else []
        locations[location.id] = doc
    services = []
    for service in data.services:
        doc = _document(_service_row(service), required=["name", "status"])
        doc["attributes"] = [
            {**_document(a), "taxonomy_term": terms[a["taxonomy_term_id"]]}
            for a in _attribute_rows(service)
            if a["taxonomy_term_id"] in terms
        ]
        services.append(doc)
    links = []
    for sal in data.service_at_locations:
        doc = _document(_sal_row(sal))
        if sal.location_id in locations:
            doc["location"] = locations[sal.location_id]
        links.append(doc)
    return {
        "organizations.json": [
            _document(_organisation_row(o), required=["name", "description"])
            for o in data.organisations
        ],
        "services.json": services,
        "locations.json": list(locations.values()),
        "service_at_location.json": links,
        "taxonomies.json": [_document(_taxonomy_row(t)) for t in data.taxonomies],
        "taxonomy_terms.json": list(terms.values()),
    }
