"""The HSDS resources Tandem reads and writes (their columns, as in the HSDS example package),
the ids Tandem derives, and the problem a package can have."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.network.models import ServiceStatus

HSDS_VERSION = "3.0.0"
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Ids Tandem derives (its own life-domain taxonomy, the address and attribute rows of an export)
# are UUID 5 in this namespace: the same input gives the same id on every export.
TANDEM_NAMESPACE = uuid.UUID("e0c6cf01-9bed-4bd1-aa1c-d6e16748e23b")
LIFE_DOMAIN_TAXONOMY_ID = uuid.uuid5(TANDEM_NAMESPACE, "taxonomy:life-domains")
COORDINATE_PLACES = Decimal("0.000001")  # Location.latitude/longitude keep six decimals
# What Location.latitude/longitude hold (nine digits, six after the point). Not the earth's
# -90..90 and -180..180: the HSDS example package itself carries 100 and 101. A value beyond
# it (1e400) is refused on its line; it was once emptied without a word.
COORDINATE_RANGE = (Decimal("-999.999999"), Decimal("999.999999"))


def life_domain_term_id(domain: str) -> uuid.UUID:
    return uuid.uuid5(TANDEM_NAMESPACE, f"taxonomy-term:life-domain:{domain}")


def address_id(location_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(TANDEM_NAMESPACE, f"address:{location_id}")


def attribute_id(service_id: uuid.UUID, term_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(TANDEM_NAMESPACE, f"attribute:{service_id}:{term_id}")


# --- The resources Tandem reads and writes -------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    kind: str = "string"  # string | uuid | number | date | datetime
    enum: tuple[str, ...] = ()
    fmt: str = ""  # datapackage "format" for strings: email, uri
    # For numbers: the lowest and highest value that can be true (both inclusive).
    range: tuple[Decimal, Decimal] | None = None


@dataclass(frozen=True)
class ResourceSpec:
    name: str  # the datapackage resource name, e.g. "organization"
    path: str  # the file name in the HSDS example package
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (column, resource)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id() -> Column:
    return Column("id", required=True, kind="uuid")


def _ref(name: str, required: bool = False) -> Column:
    return Column(name, required=required, kind="uuid")


STATUSES = tuple(ServiceStatus.values)
LOCATION_TYPES = ("physical", "postal", "virtual")

ORGANIZATION = ResourceSpec(
    "organization",
    "organizations.csv",
    (
        _id(),
        Column("name", required=True),
        Column("alternate_name"),
        Column("description", required=True),
        Column("email", fmt="email"),
        Column("website", fmt="uri"),
        Column("tax_status"),
        Column("tax_id"),
        Column("year_incorporated", kind="number"),
        Column("legal_status"),
        Column("logo"),
        Column("uri", fmt="uri"),
        _ref("parent_organization_id"),
    ),
)
SERVICE = ResourceSpec(
    "service",
    "services.csv",
    (
        _id(),
        _ref("organization_id", required=True),
        _ref("program_id"),
        Column("name", required=True),
        Column("alternate_name"),
        Column("description"),
        Column("url", fmt="uri"),
        Column("email", fmt="email"),
        Column("status", required=True, enum=STATUSES),
        Column("interpretation_services"),
        Column("application_process"),
        Column("fees_description"),
        Column("wait_time"),
        Column("fees"),
        Column("accreditations"),
        Column("eligibility_description"),
        Column("minimum_age", kind="number"),
        Column("maximum_age", kind="number"),
        Column("assured_date", kind="date"),
        Column("assurer_email", fmt="email"),
        Column("licenses"),
        Column("alert"),
        Column("last_modified", kind="datetime"),
    ),
    (("organization_id", "organization"),),
)
LOCATION = ResourceSpec(
    "location",
    "locations.csv",
    (
        _id(),
        Column("location_type", required=True, enum=LOCATION_TYPES),
        Column("url", fmt="uri"),
        _ref("organization_id"),
        Column("name"),
        Column("alternate_name"),
        Column("description"),
        Column("transportation"),
        Column("latitude", kind="number", range=COORDINATE_RANGE),
        Column("longitude", kind="number", range=COORDINATE_RANGE),
        Column("external_identifier"),
        Column("external_identifier_type"),
    ),
    (("organization_id", "organization"),),
)
SERVICE_AT_LOCATION = ResourceSpec(
    "service_at_location",
    "service_at_location.csv",
    (
        _id(),
        _ref("service_id", required=True),
        _ref("location_id", required=True),
        Column("description"),
    ),
    (("service_id", "service"), ("location_id", "location")),
)
TAXONOMY = ResourceSpec(
    "taxonomy",
    "taxonomies.csv",
    (
        _id(),
        Column("name", required=True),
        Column("description", required=True),
        Column("uri", fmt="uri"),
        Column("version"),
    ),
)
TAXONOMY_TERM = ResourceSpec(
    "taxonomy_term",
    "taxonomy_terms.csv",
    (
        _id(),
        Column("code"),
        Column("name", required=True),
        Column("description", required=True),
        _ref("parent_id"),
        Column("taxonomy"),
        Column("language"),
        _ref("taxonomy_id"),
        Column("term_uri", fmt="uri"),
    ),
    (("taxonomy_id", "taxonomy"),),
)
ADDRESS = ResourceSpec(
    "address",
    "addresses.csv",
    (
        _id(),
        _ref("location_id"),
        Column("attention"),
        Column("address_1", required=True),
        Column("address_2"),
        Column("city", required=True),
        Column("region"),
        Column("state_province", required=True),
        Column("postal_code", required=True),
        Column("country", required=True),
        Column("address_type", required=True, enum=LOCATION_TYPES),
    ),
    (("location_id", "location"),),
)
ATTRIBUTE = ResourceSpec(
    "attribute",
    "attributes.csv",
    (
        _id(),
        _ref("link_id", required=True),
        _ref("taxonomy_term_id", required=True),
        Column("link_type"),
        Column("link_entity", required=True),
        Column("value"),
    ),
    (("taxonomy_term_id", "taxonomy_term"),),
)
# In the order they are written (referenced before referencing).
SPECS: tuple[ResourceSpec, ...] = (
    ORGANIZATION,
    TAXONOMY,
    TAXONOMY_TERM,
    LOCATION,
    ADDRESS,
    SERVICE,
    SERVICE_AT_LOCATION,
    ATTRIBUTE,
)
SPECS_BY_NAME = {s.name: s for s in SPECS}
SPECS_BY_PATH = {s.path: s for s in SPECS}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, as a warning, left out) in a package, where it is."""

    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        values = {"file": self.file, "line": self.line, "column": self.column, "msg": self.message}
        if self.line is not None and self.column:
            return _("%(file)s line %(line)s, column %(column)s: %(msg)s") % values
        if self.line is not None:
            return _("%(file)s line %(line)s: %(msg)s") % values
        return _("%(file)s: %(msg)s") % values


class HsdsPackageError(Exception):
    """The package cannot be imported; ``problems`` says every reason, with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the package")
        self.problems = problems
