"""The directory as the API reads it: the HSDS export's documents (``hsds.export_documents``,
the same as ``hsds_export`` writes), of the whole directory or of one service."""

from __future__ import annotations

from typing import Any

from tandem.network.directory import selectors
from tandem.network.directory.hsds import export_documents
from tandem.network.directory.selectors import DirectoryData
from tandem.network.models import Service


def directory_documents() -> dict[str, list[dict[str, Any]]]:
    return export_documents(selectors.directory_export_data())


def service_document(service: Service) -> dict[str, Any]:
    """One service as its HSDS document (with its attributes and its service-at-locations,
    each with its location)."""
    links = list(service.service_at_locations.select_related("location__organisation"))
    terms = list(service.taxonomy_terms.select_related("taxonomy"))
    data = DirectoryData(
        organisations=[service.organisation],
        taxonomies=[],
        terms=terms,
        locations=[link.location for link in links if link.location is not None],
        services=[service],
        service_at_locations=links,
    )
    documents = export_documents(data)
    document = documents["services.json"][0]
    document["service_at_locations"] = documents["service_at_location.json"]
    return document


def service_for_reading(service_id: Any) -> Service:
    """Any service of the directory (it is public to every user of Tandem), or 404."""
    return selectors.service_get(service_id)


def service_for_change(user: Any, service_id: Any) -> Service:
    """A service of the client's own organisation, or 404 (another's included: no oracle)."""
    return selectors.service_for_maintenance(user, service_id)
