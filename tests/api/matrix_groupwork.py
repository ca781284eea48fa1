"""The group-work family in the API's authorization matrix (tests/api/test_matrix.py).

A group-work client reaches group work as a coach: its service user must be one of the
programme's coaches, as any coach (an administrator adds it on the programme's page).
``coached`` does that, through ``programme_save``, for the API clients of the world's
group-work partner — the other organisation's clients never coach the home world's programme.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.accounts.models import Role
from tandem.api.models import ApiClient
from tandem.api.scopes import Scope
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.trajectories import services as tservices
from tests.authz_world import World
from tests.factories import make_person

from .matrix import Entry

TODAY = timezone.localdate()


def _partner(w: World):
    """The group-work partner that runs the world's programme."""
    return w.objects["coach"].organisation


def coached(w: World) -> None:
    """Make the group-work partner's API clients coaches of the world's programme."""
    programme = w.objects["programme"]
    clients = ApiClient.objects.filter(organisation=_partner(w)).select_related("service_user")
    users = [c.service_user for c in clients if has_capability(c.service_user, "groupwork.coach")]
    current = list(programme.coaches.all())
    if not set(users) - set(current):
        return
    gservices.programme_save(
        acting_user=None,
        project=programme.project,
        name=programme.name,
        province=programme.province,
        programme=programme,
        coaches=current + [u for u in users if u not in current],
        dropout_after=programme.dropout_after,
        description=programme.description,
    )


def requested(w: World):
    """A second person of the office, asked into the world's module: a request to decide."""
    if "api_request" not in w.objects:
        mediator = w.users["lead"]
        person = make_person(mediator, first_name="Aanvraag", last_name=f"Groep{w.tag}")
        trajectory = tservices.trajectory_start(
            acting_user=mediator,
            person=person,
            type="w2",
            reason="Groepswerk",
            start_date=TODAY - dt.timedelta(days=5),
            status="active",
        )
        w.objects["api_request"] = enrolment_services.enrolment_request(
            acting_user=mediator,
            trajectory=trajectory,
            module=w.objects["module"],
            on=TODAY - dt.timedelta(days=1),
        )
    return w.objects["api_request"]


def _enrolment(w: World) -> str:
    return f"/api/v1/groupwork/enrolments/{w.objects['enrolment'].public_id}/"


def _request(w: World) -> str:
    return f"/api/v1/groupwork/enrolments/{requested(w).public_id}/"


def _entry(method: str, url, scope: str, **kw) -> Entry:
    return Entry(method, url, scope, _partner, role=Role.GROUP_COACH, prepare=coached, **kw)


ENTRIES: dict[str, Entry] = {
    "api:groupwork_requests": _entry(
        "GET", lambda w: "/api/v1/groupwork/requests/", Scope.GROUPWORK_READ, is_list=True
    ),
    "api:groupwork_enrolment": _entry("GET", _enrolment, Scope.GROUPWORK_READ),
    "api:groupwork_enrolment_accept": _entry(
        "POST",
        lambda w: _request(w) + "accept/",
        Scope.GROUPWORK_WRITE,
        body=lambda w: {},
        etag_url=_request,
    ),
    "api:groupwork_enrolment_decline": _entry(
        "POST",
        lambda w: _request(w) + "decline/",
        Scope.GROUPWORK_WRITE,
        body=lambda w: {"note": "Geen plaats in deze reeks"},
        etag_url=_request,
    ),
    "api:groupwork_intakes": _entry(
        "GET", lambda w: "/api/v1/groupwork/intakes/", Scope.GROUPWORK_READ, is_list=True
    ),
    "api:groupwork_intake": _entry(
        "GET",
        lambda w: f"/api/v1/groupwork/intakes/{w.objects['intake'].pk}/",
        Scope.GROUPWORK_READ,
    ),
    "api:groupwork_attendance": _entry(
        "POST",
        lambda w: f"/api/v1/groupwork/sessions/{w.objects['session'].pk}/attendance/",
        Scope.GROUPWORK_WRITE,
        body=lambda w: {
            "items": [{"enrolment": str(w.objects["enrolment"].public_id), "status": "absent"}]
        },
    ),
}
