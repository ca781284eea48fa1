"""Open Referral HSDS 3.x tabular data packages ↔ Tandem's services directory.

Reading is two steps, and neither writes: ``read_package`` parses ``datapackage.json`` and the
CSV files of the resources Tandem holds and checks every cell on its own (required, UUID,
number, enumeration, duplicate ids); ``check_package`` then checks what needs the database —
references to ids that are neither in the package nor in Tandem, and the models' own field
rules — and returns a plan of rows to write. Every problem names file, line and column, so the
person who made the package can find it. The import service
(``directory.importing.directory_import``) writes only when there is no problem at all.

Which references must resolve: those a row cannot do without (a service's organisation, both
ends of a service-at-location, an attribute's taxonomy term and service). Optional references
that the HSDS example itself leaves dangling (a location's organisation, a term's taxonomy or
parent, an address's location) are dropped with a warning that also names the line.

Writing: ``export_tables`` and ``export_documents`` turn the directory into CSV rows with the
example package's column names and into HSDS JSON objects; ids are Tandem's primary keys (and
an organisation's ``hsds_id``), so they are the same on every export.

Modules: ``spec`` (the resources and their columns, derived ids, ``Problem``), ``reading``,
``checking``, ``domains`` (taxonomy terms → life domains) and ``export``.
"""

from __future__ import annotations

from .checking import Plan, Planned, check_package
from .domains import life_domain_for_term
from .export import datapackage_descriptor, export_documents, export_tables, write_csv
from .reading import Package, Row, Table, read_package
from .spec import (
    ADDRESS,
    ATTRIBUTE,
    HSDS_VERSION,
    LIFE_DOMAIN_TAXONOMY_ID,
    LOCATION,
    ORGANIZATION,
    SERVICE,
    SERVICE_AT_LOCATION,
    SPECS,
    TANDEM_NAMESPACE,
    TAXONOMY,
    TAXONOMY_TERM,
    HsdsPackageError,
    Problem,
    ResourceSpec,
    address_id,
    attribute_id,
    life_domain_term_id,
)

__all__ = [
    "ADDRESS",
    "ATTRIBUTE",
    "HSDS_VERSION",
    "LIFE_DOMAIN_TAXONOMY_ID",
    "LOCATION",
    "ORGANIZATION",
    "SERVICE",
    "SERVICE_AT_LOCATION",
    "SPECS",
    "TANDEM_NAMESPACE",
    "TAXONOMY",
    "TAXONOMY_TERM",
    "HsdsPackageError",
    "Package",
    "Plan",
    "Planned",
    "Problem",
    "ResourceSpec",
    "Row",
    "Table",
    "address_id",
    "attribute_id",
    "check_package",
    "datapackage_descriptor",
    "export_documents",
    "export_tables",
    "life_domain_for_term",
    "life_domain_term_id",
    "read_package",
    "write_csv",
]
