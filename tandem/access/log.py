"""Scope and log in one call. Every page that shows person-level data reaches it through
here: ``open_person`` / ``open_trajectory`` return the object the user may see (or raise
``Http404``: a missing and a forbidden object look the same) and write the access-log row;
``open_person_for_edit`` does the same for the pages that change the person's file (which a
reader limited by consent may not); ``open_person_if_visible`` logs a person reached through
another object only when the user may see the person; ``log_person_shown`` logs a person
reached through another scoped object (a screening, a referral, an enrolment);
``log_persons_shown`` logs one row per person a list shows; ``stream_logged`` does the same for
a streamed export, a batch at a time, each batch logged before it is handed on."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tandem.audit.models import AccessLog

from .scope import (
    consent_restricted_domains,
    person_get_for,
    person_queryset_for,
    trajectory_get_for,
)

if TYPE_CHECKING:
    from tandem.accounts.models import User
    from tandem.registry.models import Person
    from tandem.trajectories.models import Trajectory

DEFAULT_PURPOSE = "case work"
# Rows of an export logged in one INSERT (and held in memory at once).
EXPORT_BATCH = 500

T = TypeVar("T")


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def _user(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated:
        raise PermissionError("Only a logged-in user can read person-level data.")
    return user  # type: ignore[return-value]


def log_person_shown(
    request: HttpRequest, person: Person, *, what: str, purpose: str = ""
) -> AccessLog:
    """Write the access-log row for one person shown (``what``: the page, ``purpose``: why)."""
    user = _user(request)
    return AccessLog.objects.create(
        user=user,
        roles=",".join(sorted(user.role_codes)),
        organisation=user.organisation,
        person=person,
        what=what,
        purpose=purpose or DEFAULT_PURPOSE,
        ip_address=_client_ip(request),
    )


def log_persons_shown(
    request: HttpRequest, persons: Iterable[Person], *, what: str, purpose: str = ""
) -> None:
    """Log one row per person shown in a list of results (a search result is a read)."""
    user = _user(request)
    roles = ",".join(sorted(user.role_codes))
    ip = _client_ip(request)
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                roles=roles,
                organisation=user.organisation,
                person=p,
                what=what,
                purpose=purpose or DEFAULT_PURPOSE,
                ip_address=ip,
            )
            for p in persons
        ]
    )


def stream_logged(
    request: HttpRequest,
    items: Iterable[T],
    *,
    person_of: Callable[[T], Person | int],
    what: str,
    purpose: str = "",
    batch: int = EXPORT_BATCH,
) -> Iterator[T]:
    """Hand on ``items`` (rows of a streamed export, read with ``.iterator()``) after logging
    the person of each (``person_of``: the row's person, or its id) — one access-log row per
    item, written a ``batch`` at a time with one INSERT, before that batch goes out. A download
    cut short has logged every row sent and at most one batch more; memory holds one batch."""
    user = _user(request)
    roles = ",".join(sorted(user.role_codes))
    ip = _client_ip(request)
    iterator = iter(items)
    while chunk := list(islice(iterator, batch)):
        AccessLog.objects.bulk_create(
            [
                AccessLog(
                    user=user,
                    roles=roles,
                    organisation=user.organisation,
                    person_id=person if isinstance(person, int) else person.pk,
                    what=what,
                    purpose=purpose or DEFAULT_PURPOSE,
                    ip_address=ip,
                )
                for person in map(person_of, chunk)
            ]
        )
        yield from chunk


def open_person(
    request: HttpRequest, public_id: uuid.UUID | str, *, what: str, purpose: str = ""
) -> Person:
    """The person the user may see (with what the file page shows), logged; else 404."""
    person = person_get_for(request.user, public_id)  # type: ignore[arg-type]
    log_person_shown(request, person, what=what, purpose=purpose)
    return person


def open_person_for_edit(
    request: HttpRequest, public_id: uuid.UUID | str, *, what: str, purpose: str = ""
) -> Person:
    """``open_person`` for a page that changes the person's file: a user who sees the person
    only under a consent (some life domains) may not, and gets 403 before anything is logged;
    the registering organisation keeps the person's data."""
    person = person_get_for(request.user, public_id)  # type: ignore[arg-type]
    if consent_restricted_domains(request.user, person) is not None:  # type: ignore[arg-type]
        raise PermissionDenied
    log_person_shown(request, person, what=what, purpose=purpose)
    return person


def open_person_if_visible(
    request: HttpRequest, person: Person | None, *, what: str, purpose: str = ""
) -> Person | None:
    """A person reached through another object (a prospect, say), logged, when the user may
    see them; ``None`` (and nothing logged) when they may not, or there is no person."""
    if person is None:
        return None
    if not person_queryset_for(request.user).filter(pk=person.pk).exists():  # type: ignore[arg-type]
        return None
    log_person_shown(request, person, what=what, purpose=purpose)
    return person


def open_trajectory(
    request: HttpRequest, public_id: uuid.UUID | str, *, what: str, purpose: str = ""
) -> Trajectory:
    """The trajectory the user may see (with person, duo and project), its person logged;
    else 404."""
    trajectory = trajectory_get_for(request.user, public_id)  # type: ignore[arg-type]
    log_person_shown(request, trajectory.person, what=what, purpose=purpose)
    return trajectory
