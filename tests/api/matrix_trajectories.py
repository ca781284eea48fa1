"""The trajectories family in the API's authorization matrix (tests/api/test_matrix.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.accounts.models import Role
from tandem.api.scopes import Scope
from tests.authz_world import World

from .matrix import Entry


def _office(w: World):
    """The trajectory's office: its mediators may read and change it."""
    return w.organisation


def _partner_ocmw(w: World):
    """The OCMW the person's referral went to, with a consent in force naming it."""
    return w.users["partner"].organisation


def _trajectory(w: World) -> str:
    return f"/api/v1/trajectories/{w.trajectory.public_id}/"


def _action(w: World) -> str:
    return f"{_trajectory(w)}actions/{w.objects['action'].pk}/"


def _move(verb: str, body: dict) -> Entry:
    return Entry(
        "POST",
        lambda w: _action(w) + f"{verb}/",
        Scope.TRAJECTORIES_WRITE,
        _office,
        role=Role.MEDIATOR,
        body=lambda w: body,
        etag_url=_action,
    )


ENTRIES: dict[str, Entry] = {
    "api:trajectory_list": Entry(
        "GET",
        lambda w: "/api/v1/trajectories/",
        Scope.TRAJECTORIES_READ,
        _office,
        role=Role.MEDIATOR,
        is_list=True,
    ),
    "api:trajectory_detail": Entry(
        "GET", _trajectory, Scope.TRAJECTORIES_READ, _office, role=Role.MEDIATOR
    ),
    "api:trajectory_detail (welfare partner of the referral)": Entry(
        "GET", _trajectory, Scope.TRAJECTORIES_READ, _partner_ocmw
    ),
    "api:trajectory_action": Entry(
        "GET", _action, Scope.TRAJECTORIES_READ, _office, role=Role.MEDIATOR
    ),
    "api:trajectory_action_done": _move("done", {}),
    "api:trajectory_action_drop": _move("drop", {"reason": "Niet meer nodig"}),
    "api:trajectory_action_reopen": _move("reopen", {}),
    "api:trajectory_contact_create": Entry(
        "POST",
        lambda w: _trajectory(w) + "contacts/",
        Scope.TRAJECTORIES_WRITE,
        _office,
        role=Role.MEDIATOR,
        body=lambda w: {"kind": "phone", "on": timezone.localdate().isoformat(), "text": "Gebeld"},
        ok=frozenset({201}),
    ),
    "api:trajectory_contact_plan": Entry(
        "POST",
        lambda w: _trajectory(w) + "contacts/planned/",
        Scope.TRAJECTORIES_WRITE,
        _office,
        role=Role.MEDIATOR,
        body=lambda w: {
            "kind": "home_visit",
            "on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "at": "10:30",
            "minutes": 45,
        },
        ok=frozenset({201}),
    ),
}
