"""The directory family in the API's authorization matrix (tests/api/test_matrix.py).

The directory is open to every user of Tandem (as its pages): another organisation's client
reads it too (``is_list``: 200, no person in it). A change is for the organisation's own
services only: another organisation's client gets 404."""

from __future__ import annotations

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tests.authz_world import World

from .matrix import Entry


def _vdab(w: World):
    return w.organisation


def _service(w: World) -> str:
    return f"/api/v1/directory/services/{w.objects['directory_link'].service_id}/"


ENTRIES: dict[str, Entry] = {
    "api:directory": Entry(
        "GET", lambda w: "/api/v1/directory/", Scope.DIRECTORY_READ, _vdab, is_list=True
    ),
    "api:directory_service": Entry(
        "GET", _service, Scope.DIRECTORY_READ, _vdab, role=Role.MEDIATOR, is_list=True
    ),
    "api:directory_service (change)": Entry(
        "PATCH",
        _service,
        Scope.DIRECTORY_WRITE,
        _vdab,
        role=Role.MEDIATOR,
        body=lambda w: {"description": "Elke dinsdag"},
        etag_url=_service,
    ),
}
