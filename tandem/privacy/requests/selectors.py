"""Reads of the register of data-subject requests: only the DPO's own organisation's requests
(another organisation's request is the same 404 as one that does not exist). Overdue is
derived from the day of receipt and the extension (``rules``), never stored."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User

from . import rules
from .models import CLOSED_STATUSES, OPEN_STATUSES, SubjectRequest


def requests_for(user: User) -> QuerySet[SubjectRequest]:
    """The requests of the user's organisation, for its DPO; none for anyone else."""
    if not has_capability(user, "privacy.requests") or user.organisation_id is None:
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation_id=user.organisation_id).select_related(
        "person", "handler"
    )


def request_get_for(user: User, public_id: uuid.UUID | str) -> SubjectRequest:
    """One request of the user's organisation, or 404."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    found = requests_for(user).filter(public_id=key).first()
    if found is None:
        raise Http404
    return found


def overdue_q(today: dt.date) -> Q:
    """Open requests past their due date today, as a database filter."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(
            extended_on__isnull=True,
            received_on__lte=rules.last_receipt_overdue(today, extended=False),
        )
        | Q(
            extended_on__isnull=False,
            received_on__lte=rules.last_receipt_overdue(today, extended=True),
        )
    )


class Show:
    """The register's filter on state."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"
    ALL = "all"


def by_urgency(requests: list[SubjectRequest], today: dt.date) -> list[SubjectRequest]:
    """Overdue first, then by due date (the earliest first), then the oldest receipt."""
    return sorted(requests, key=lambda r: (not r.overdue_on(today), r.due_on, r.received_on, r.pk))


def register_list(
    user: User, *, show: str, kind: str, today: dt.date
) -> list[SubjectRequest] | QuerySet[SubjectRequest]:
    """The register filtered: open and overdue requests by urgency (they are few: each is
    answered within one to three months), closed and all requests newest first, as a query to
    page through."""
    qs = requests_for(user)
    if kind:
        qs = qs.filter(kind=kind)
    if show == Show.OVERDUE:
        return by_urgency(list(qs.filter(overdue_q(today))), today)
    if show == Show.CLOSED:
        return qs.filter(status__in=CLOSED_STATUSES).order_by("-closed_on", "-pk")
    if show == Show.ALL:
        return qs.order_by("-received_on", "-pk")
    return by_urgency(list(qs.filter(status__in=OPEN_STATUSES)), today)


def requests_waiting(user: User, today: dt.date) -> list[SubjectRequest]:
    """Every open request of the DPO's organisation, overdue first, then by due date: one
    query (open requests are few, each answered within one to three months; the order needs
    the derived due date, so it is made here)."""
    return by_urgency(list(requests_for(user).filter(status__in=OPEN_STATUSES)), today)


def history_of(request: SubjectRequest) -> QuerySet:
    return request.changes.select_related("by").order_by("created_at", "pk")
