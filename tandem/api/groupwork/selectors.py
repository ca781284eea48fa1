"""Group work as the API reads it: what a coach of the programme sees on the group-work pages
(``tandem.groupwork.enrolment.selectors``), with what the API's rows need loaded in the same
query. A client reaches group work only as a coach: its service user must be one of the
programme's coaches (an administrator adds it on the programme's page, as any coach)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.groupwork.enrolment import selectors
from tandem.groupwork.models import Enrolment, IntakeMoment


def requests(user: User) -> QuerySet[Enrolment]:
    """The coach's inbox: requests waiting for a decision (``requests_for``)."""
    return selectors.requests_for(user).select_related("requested_by__organisation", "intake")


def coached_intakes(user: User) -> QuerySet[IntakeMoment]:
    """The groups of the programmes the user coaches, each with its number of sessions and of
    people placed (the same groups ``coached_intake_get_for`` opens)."""
    if not has_capability(user, "groupwork.coach"):
        return IntakeMoment.objects.none()
    return (
        IntakeMoment.objects.filter(module__programme__coaches=user)
        .select_related("module__programme")
        .annotate(session_count=Count("sessions", distinct=True))
    )
