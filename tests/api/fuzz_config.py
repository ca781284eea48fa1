"""What the fuzz run (tests/api/test_fuzz.py) needs to know per endpoint family.

- ``TAG_CLIENTS``: the operation's first OpenAPI tag → the client it is fuzzed as: the
  organisation (of the home world, ``tests/authz_world.py``) and the service user's role.
- ``KNOWN_IDS``: a path parameter's name → a real id of the home world. Every other example of
  an operation with that parameter uses it (the others keep the generated value, mostly a 404),
  and when the operation takes ``If-Match`` the resource's current ETag is sent with it
  (``ETAG_URLS``: the parameter → the URL to read it from).
- ``CLIENT_SETUP``: a tag → what the world needs once that tag's client exists, before any
  request (the group-work client coaches the programme, or its lists would come back empty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tandem.accounts.models import Organisation, Role
from tests.authz_world import World

TAG_CLIENTS: dict[str, tuple[Callable[[World], Organisation], str]] = {
    "referrals": (lambda w: w.users["partner"].organisation, Role.WELFARE_PARTNER),
    "status": (lambda w: w.organisation, Role.MEDIATOR),
    "events": (lambda w: w.users["partner"].organisation, Role.WELFARE_PARTNER),
    "aggregates": (lambda w: w.organisation, Role.MEDIATOR),
    "directory": (lambda w: w.organisation, Role.MEDIATOR),
}

KNOWN_IDS: dict[str, Callable[[World], Any]] = {
    "referral_id": lambda w: w.objects["referral"].public_id,
    "project_id": lambda w: w.objects["programme"].project_id,
    "service_id": lambda w: w.objects["directory_link"].service_id,
}

ETAG_URLS: dict[str, Callable[[Any], str]] = {
    "referral_id": lambda value: f"/api/v1/referrals/{value}/",
    "service_id": lambda value: f"/api/v1/directory/services/{value}/",
}


# --- persons, trajectories, group work (issue 19) ----------------------------------------------
def _action_url(value: Any) -> str:
    from tandem.trajectories.models import Action

    action = Action.objects.select_related("goal__trajectory").get(pk=value)
    return f"/api/v1/trajectories/{action.goal.trajectory.public_id}/actions/{value}/"


def _coach_the_programme(w: World) -> None:
    """The group-work client coaches the world's programme (a client reaches group work as one
    of the programme's coaches: ``matrix_groupwork.coached``), before the first request."""
    from .matrix_groupwork import coached

    coached(w)


CLIENT_SETUP: dict[str, Callable[[World], None]] = {"groupwork": _coach_the_programme}

TAG_CLIENTS.update(
    {
        "persons": (lambda w: w.organisation, Role.MEDIATOR),
        "trajectories": (lambda w: w.organisation, Role.MEDIATOR),
        "groupwork": (lambda w: w.objects["coach"].organisation, Role.GROUP_COACH),
    }
)
KNOWN_IDS.update(
    {
        "person_id": lambda w: w.person.public_id,
        "trajectory_id": lambda w: w.trajectory.public_id,
        "action_id": lambda w: w.objects["action"].pk,
        "enrolment_id": lambda w: w.objects["enrolment"].public_id,
        "intake_id": lambda w: w.objects["intake"].pk,
        "session_id": lambda w: w.objects["session"].pk,
    }
)
ETAG_URLS.update(
    {
        "action_id": _action_url,
        "enrolment_id": lambda value: f"/api/v1/groupwork/enrolments/{value}/",
    }
)


def _formats() -> None:
    """Strategies for the string formats of these families that JSON Schema cannot say: a
    national number with valid check digits (``insz``), a day not in the future
    (``past-date``), a day from 2000 to a year ahead (``event-date``). Invalid values still
    come from the negative examples."""
    import datetime as dt

    import schemathesis
    from hypothesis import strategies as st

    from tandem.common.dates import DateKind, date_bounds
    from tandem.registry import insz as insz_rules

    schemathesis.openapi.format(
        "insz",
        st.builds(
            insz_rules.make,
            st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2009, 12, 31)),
            st.integers(min_value=1, max_value=998),
        ),
    )
    schemathesis.openapi.format(
        "event-date",
        st.dates(*date_bounds(DateKind.EVENT)).map(lambda d: d.isoformat()),
    )
    schemathesis.openapi.format(
        "past-date",
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.today()).map(
            lambda d: d.isoformat()
        ),
    )


_formats()
