"""The aggregates family in the API's authorization matrix (tests/api/test_matrix.py).

Figures under disclosure control, no person: another organisation's client with the scope
gets them too (as a list: 200, without the home world's person), a project's indicators
included (projects are not person data; the scope decides, as ``tandem.api.aggregates``)."""

from __future__ import annotations

from tandem.api.scopes import Scope
from tests.authz_world import World

from .matrix import Entry


def _vdab(w: World):
    return w.organisation


def _esf(w: World) -> str:
    return f"/api/v1/aggregates/projects/{w.objects['programme'].project_id}/esf-indicators/"


ENTRIES: dict[str, Entry] = {
    "api:aggregate_outflow": Entry(
        "GET", lambda w: "/api/v1/aggregates/outflow/", Scope.AGGREGATES_READ, _vdab, is_list=True
    ),
    "api:aggregate_esf_indicators": Entry("GET", _esf, Scope.AGGREGATES_READ, _vdab, is_list=True),
    "api:aggregate_referral_figures": Entry(
        "GET",
        lambda w: "/api/v1/aggregates/referrals/",
        Scope.AGGREGATES_READ,
        _vdab,
        is_list=True,
    ),
    "api:aggregate_group_work": Entry(
        "GET",
        lambda w: "/api/v1/aggregates/group-work/",
        Scope.AGGREGATES_READ,
        _vdab,
        is_list=True,
    ),
}
