"""The persons family in the API's authorization matrix (tests/api/test_matrix.py)."""

from __future__ import annotations

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tests.authz_world import World

from .matrix import Entry


def _office(w: World):
    """The office that registered the world's person."""
    return w.organisation


ENTRIES: dict[str, Entry] = {
    "api:person_detail": Entry(
        "GET",
        lambda w: f"/api/v1/persons/{w.person.public_id}/",
        Scope.PERSONS_READ,
        _office,
        role=Role.MEDIATOR,
    ),
    # A search: another organisation gets an empty answer (200), never the person.
    "api:person_search": Entry(
        "POST",
        lambda w: "/api/v1/persons/search/",
        Scope.PERSONS_SEARCH,
        _office,
        role=Role.MEDIATOR,
        body=lambda w: {"insz": w.person.insz},
        is_list=True,
    ),
}
