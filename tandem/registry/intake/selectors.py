"""The intake queue's reads, each one query and scoped: an office's waiting items (to its
mediators), the items a mediator took whose person has no trajectory yet (their caseload's
new arrivals), and a sender's own referrals with what the office did. How long an item has
waited is derived from its arrival (working days, ``tandem.common.workdays``), never stored."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.access.scope import person_queryset_for
from tandem.accounts.models import Organisation, OrganisationKind, Role, User
from tandem.common.workdays import working_days_between
from tandem.trajectories.models import Status, Trajectory

from .models import Intake, IntakeStatus, Urgency


def flag_after() -> int:
    """An item waiting unassigned for more than this many working days is flagged
    (``TANDEM_INTAKE_FLAG_AFTER_WORKING_DAYS``, 3 unless set)."""
    return int(getattr(settings, "TANDEM_INTAKE_FLAG_AFTER_WORKING_DAYS", 3))


def annotate_waiting(items: Iterable[Intake], today: dt.date | None = None) -> list[Intake]:
    """Give each item ``waiting_days`` (working days since it arrived, up to today or its
    decision) and ``flagged`` (still waiting for more than ``flag_after()`` of them)."""
    today = today or timezone.localdate()
    limit = flag_after()
    out = []
    for item in items:
        arrived = timezone.localdate(item.created_at)
        end = timezone.localdate(item.decided_at) if item.decided_at else today
        item.waiting_days = working_days_between(arrived, end)  # type: ignore[attr-defined]
        item.flagged = (  # type: ignore[attr-defined]
            item.status == IntakeStatus.WAITING and item.waiting_days > limit  # type: ignore[attr-defined]
        )
        out.append(item)
    return out


def _urgent_first() -> Case:
    return Case(
        When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def queue_for(user: User) -> QuerySet[Intake]:
    """The waiting items of the user's office, urgent first, then the longest waiting: only
    for its mediators, only persons the user may see."""
    if not has_capability(user, "intake.queue") or user.organisation_id is None:
        return Intake.objects.none()
    return (
        Intake.objects.filter(
            office_id=user.organisation_id,
            status=IntakeStatus.WAITING,
            person__in=person_queryset_for(user),
        )
        .select_related("person", "sender", "sender_organisation")
        .annotate(urgent_first=_urgent_first())
        .order_by("urgent_first", "created_at", "pk")
    )


def intake_get_for(user: User, public_id: uuid.UUID | str) -> Intake:
    """An item of the user's office (any state), or 404."""
    if not has_capability(user, "intake.queue") or user.organisation_id is None:
        raise Http404
    try:
        return Intake.objects.select_related("person", "office", "sender").get(
            public_id=public_id, office_id=user.organisation_id
        )
    except (Intake.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def taken_without_trajectory(user: User) -> QuerySet[Intake]:
    """The items taken for the user whose person has no open trajectory yet: the new
    arrivals of their caseload, until a trajectory is started."""
    if not has_capability(user, "intake.queue") or user.organisation_id is None:
        return Intake.objects.none()
    open_trajectory = Trajectory.objects.filter(person=OuterRef("person")).exclude(
        status=Status.CLOSED
    )
    return (
        Intake.objects.filter(
            assignee=user,
            status=IntakeStatus.TAKEN,
            person__in=person_queryset_for(user),
        )
        .exclude(Exists(open_trajectory))
        .select_related("person", "sender_organisation")
        .order_by("-decided_at", "pk")
    )


def sent_by(user: User) -> QuerySet[Intake]:
    """The user's own referrals to an office, newest first, with what the office did."""
    if not has_capability(user, "intake.sent"):
        return Intake.objects.none()
    return (
        Intake.objects.filter(sender=user, person__in=person_queryset_for(user))
        .exclude(person__first_name="")  # an erased person keeps no file to name
        .select_related("person", "office", "assignee", "forwarded_to__office")
        .order_by("-created_at", "pk")
    )


def colleagues(office_id: int) -> list[User]:
    """The active mediators of an office: whom an item may be taken for."""
    return list(
        User.objects.filter(
            organisation_id=office_id,
            is_active=True,
            role_assignments__role=Role.MEDIATOR,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def other_offices(office_id: int) -> list[Organisation]:
    """The VDAB offices an item may be forwarded to."""
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE, parent__isnull=False
        )
        .exclude(pk=office_id)
        .order_by("name")
    )
