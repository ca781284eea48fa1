"""Reads of the agenda (issue 18): the user's planned contacts and the group sessions they
coach, for an ISO week or a day.

Contacts come from the trajectories the user is in the duo of, among those the access layer
lets them see (``duo_q`` over ``trajectory_queryset_for``): another organisation's contacts,
or a colleague's, never appear. One query for the contacts and one for the sessions, whatever
the week holds. A contact is in the agenda when it has a time (it was planned): planned ones,
and what became of them (held, cancelled, did not come).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from tandem.access.capabilities import has_capability
from tandem.access.scope import duo_q, trajectory_queryset_for
from tandem.accounts.models import User
from tandem.groupwork.enrolment.selectors import coach_sessions
from tandem.groupwork.models import GroupSession
from tandem.trajectories.models import Contact, ContactKind, ContactStatus

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """The Monday of an ISO week written ``2026-W50``; this week when absent or not a week."""
    match = WEEK_RE.match(value or "")
    if match:
        try:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return week_start(today)


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _contacts(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(
        trajectory__in=trajectory_queryset_for(user).filter(duo_q(user)),
        at__isnull=False,
    ).select_related("trajectory__person", "author")


def agenda_contacts(user: User, first: dt.date, last: dt.date) -> list[Contact]:
    """The user's contacts with a time from ``first`` to ``last`` (both included), in time
    order. One query."""
    return list(_contacts(user).filter(on__gte=first, on__lte=last).order_by("on", "at", "pk"))


def agenda_sessions(user: User, first: dt.date, last: dt.date) -> list[GroupSession]:
    """The group sessions the user coaches from ``first`` to ``last``, in time order. One query
    (none for a user who coaches no group)."""
    if not has_capability(user, "groupwork.coach"):
        return []
    return list(
        coach_sessions(user).filter(on__gte=first, on__lte=last).order_by("on", "starts_at", "pk")
    )


@dataclass
class AgendaItem:
    """One line of a day: a contact or a group session, at a time."""

    at: dt.time
    contact: Contact | None = None
    session: GroupSession | None = None

    @property
    def until(self) -> dt.time | None:
        if self.session is not None:
            return self.session.ends_at
        c = self.contact
        if c is not None and c.minutes:
            end = dt.datetime.combine(c.on, self.at) + dt.timedelta(minutes=c.minutes)
            return end.time() if end.date() == c.on else None
        return None


@dataclass
class AgendaDay:
    day: dt.date
    items: list[AgendaItem] = field(default_factory=list)


def agenda_week(user: User, monday: dt.date) -> list[AgendaDay]:
    """The seven days of the week from ``monday``, each with its contacts and sessions in time
    order. Two queries."""
    sunday = monday + dt.timedelta(days=6)
    days = {
        monday + dt.timedelta(days=i): AgendaDay(monday + dt.timedelta(days=i)) for i in range(7)
    }
    for c in agenda_contacts(user, monday, sunday):
        days[c.on].items.append(AgendaItem(at=c.at, contact=c))  # type: ignore[arg-type]
    for s in agenda_sessions(user, monday, sunday):
        days[s.on].items.append(AgendaItem(at=s.starts_at, session=s))
    for d in days.values():
        d.items.sort(key=lambda i: (i.at, i.session is not None))
    return list(days.values())


def day_list(user: User, day: dt.date) -> list[Contact]:
    """The user's contacts still planned on ``day`` (the printed day list), in time order, with
    the person's address and phone. One query."""
    return list(_contacts(user).filter(on=day, status=ContactStatus.PLANNED).order_by("at", "pk"))


def is_home_visit(contact: Contact) -> bool:
    return contact.kind == ContactKind.HOME_VISIT
