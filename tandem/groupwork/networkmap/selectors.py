"""Reads of the social network map. The enrolment is reached through its scope first
(``tandem.groupwork.enrolment.selectors.enrolment_get_for``); these read its maps."""

from __future__ import annotations

from ..models import Enrolment, NetworkMap, NetworkTie
from .summary import SECTORS

SECTOR_INDEX = {relation: i for i, relation in enumerate(SECTORS)}


def network_maps_by_moment(enrolment: Enrolment) -> dict[str, NetworkMap]:
    """The enrolment's maps by moment, with their ties (two queries)."""
    maps = (
        NetworkMap.objects.filter(enrolment=enrolment)
        .select_related("drawn_by")
        .prefetch_related("ties")
    )
    return {m.moment: m for m in maps}


def ordered_ties(network_map: NetworkMap | None) -> list[NetworkTie]:
    """The ties in the order of the map: sector by sector, strongest first, then by name."""
    if network_map is None:
        return []
    return sorted(
        network_map.ties.all(),
        key=lambda t: (SECTOR_INDEX.get(t.relation, 9), -t.strength, t.label.casefold()),
    )
