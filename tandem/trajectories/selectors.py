"""Reads of trajectories. Trajectories are reached through visible persons; special-category
notes are filtered here, for everyone but the duo. The scope itself
(``trajectory_queryset_for``, ``can_write``, ``domains_visible_to``…) lives in
``tandem.access.scope``: import it from there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.scope import (
    consent_restricted_domains,
    duo_q,
    person_queryset_for,
    trajectory_queryset_for,
)
from tandem.accounts.models import User
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS
from tandem.screening.models import Screening

from .models import (
    Action,
    ActionStatus,
    Assessment,
    Contact,
    ContactStatus,
    ExpertSupportRequest,
    ExpertSupportStatus,
    LeadHandover,
    Status,
    StatusChange,
    Trajectory,
)
from .plan.selectors import last_contact_on, next_contact

# --- the trajectory page --------------------------------------------------------------------


def status_changes_of(trajectory: Trajectory) -> list[StatusChange]:
    return list(trajectory.status_changes.select_related("by"))


def handovers_of(trajectory: Trajectory) -> list[LeadHandover]:
    return list(trajectory.handovers.select_related("from_user", "to_user"))


def responsibility_sides(trajectory: Trajectory) -> dict[str, str]:
    """Who leads each life domain: domain → side (mediator or welfare partner)."""
    return {r.domain: r.side for r in trajectory.responsibilities.all()}


def expert_requests_of(trajectory: Trajectory) -> list[ExpertSupportRequest]:
    """The trajectory's requests for experience-expert support with their logs."""
    return list(
        trajectory.expert_requests.select_related("expert", "requested_by").prefetch_related("logs")
    )


def expert_request_get_for(user: User, request_id: int) -> ExpertSupportRequest:
    """One request for experience-expert support on a trajectory the user sees, else 404."""
    try:
        return ExpertSupportRequest.objects.select_related(
            "trajectory__person", "requested_by"
        ).get(pk=request_id, trajectory__in=trajectory_queryset_for(user))
    except ExpertSupportRequest.DoesNotExist as exc:
        raise Http404 from exc


# --- caseload ------------------------------------------------------------------------------

CASELOAD_SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("person__last_name", "person__first_name", "pk"),
    "start": ("start_date", "pk"),
    "last_contact": ("last_contact_on", "pk"),
    "next_contact": (F("next_contact_on").asc(nulls_last=True), "next_contact_at", "pk"),
    "overdue": ("-overdue_actions", "pk"),
}


def caseload_for(
    user: User,
    *,
    status: str = "",
    type: str = "",
    mine: bool = True,
    sort: str = "name",
    no_contact_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Trajectory]:
    """Open trajectories of the user's office (or only the user's own), each annotated with
    what the caseload shows, in one query whatever the caseload's size. ``no_contact_days``
    keeps those without a contact (notes aside) in more than that many days, or none at all."""
    today = today or timezone.localdate()
    qs = trajectory_queryset_for(user).exclude(status=Status.CLOSED)
    if mine:
        qs = qs.filter(duo_q(user))
    else:
        qs = qs.filter(Q(organisation_id=user.organisation_id) | Q(welfare_partner=user))
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    open_actions = Action.objects.filter(goal__trajectory=OuterRef("pk"), status=ActionStatus.OPEN)
    qs = qs.annotate(
        open_actions=_count(open_actions),
        overdue_actions=_count(open_actions.filter(due_on__lt=today)),
        last_contact_on=last_contact_on(),
        # The next contact: the earliest planned contact (derived, never stored; issue 18).
        next_contact_on=next_contact("on"),
        next_contact_at=next_contact("at"),
        lights=Subquery(
            Screening.objects.filter(person=OuterRef("person"))
            .order_by("-conducted_on", "-created_at")
            .values("lights")[:1],
            output_field=JSONField(),
        ),
        overdue_referrals=_overdue_referrals(today),
    ).select_related("person", "lead_mediator", "welfare_partner")
    if no_contact_days is not None:
        since = today - dt.timedelta(days=no_contact_days)
        qs = qs.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=since))
    return qs.order_by(*CASELOAD_SORTS.get(sort, CASELOAD_SORTS["name"]))


def _overdue_referrals(today: dt.date) -> Subquery:
    """Open referrals of the trajectory without an update in ``TANDEM_REFERRAL_OVERDUE_DAYS``
    days (tandem.network.referrals.rules.overdue_q)."""
    from tandem.network.models import Referral
    from tandem.network.referrals.rules import overdue_q

    return Subquery(
        Referral.objects.filter(overdue_q(today), trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def still_running(trajectory: Trajectory) -> list[str]:
    """What still runs on a trajectory, one line each, for the question before closing it:
    job coaching not yet closed and referrals not yet answered or finished. Closing the
    trajectory stops neither."""
    from tandem.network.models import Referral
    from tandem.network.models.referral import OPEN_REFERRAL_STATUSES

    from .models import JobCoaching

    lines = [
        _("Job coaching by %(coach)s at %(employer)s, running until %(date)s")
        % {
            "coach": c.coach.get_full_name() or c.coach.username,
            "employer": c.job_start.employer.name,
            "date": c.ends_on.strftime("%d/%m/%Y"),
        }
        for c in JobCoaching.objects.filter(
            job_start__trajectory=trajectory, closed_on__isnull=True
        )
        .select_related("coach", "job_start__employer")
        .order_by("started_on")
    ]
    lines += [
        _("Referral to %(service)s (%(organisation)s): %(status)s")
        % {
            "service": r.service.name,
            "organisation": r.receiving_organisation.name,
            "status": r.get_status_display(),
        }
        for r in Referral.objects.filter(trajectory=trajectory, status__in=OPEN_REFERRAL_STATUSES)
        .select_related("service", "receiving_organisation")
        .order_by("created_at")
    ]
    return lines


def _count(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.order_by().values("goal__trajectory").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


# --- the person page -----------------------------------------------------------------------


def trajectories_of_person(user: User, person: Any) -> list[Trajectory]:
    """The person's trajectories the user sees, newest first, with their lead mediator."""
    return list(
        trajectory_queryset_for(user)
        .filter(person=person)
        .select_related("lead_mediator")
        .order_by("-start_date")
    )


# --- person timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    kind: str
    text: str
    trajectory_id: int | None


def person_timeline(user: User, person_id: Any, limit: int = 200) -> list[TimelineEntry]:
    """Screenings, status changes, contacts, actions and readings of a person, newest first,
    in one query. Special-category notes are left out for anyone but the duo."""
    from tandem.registry.models import Person

    trajectories = trajectory_queryset_for(user).filter(person_id=person_id)
    duo = duo_q(user, via="trajectory")
    person = (
        person_id
        if isinstance(person_id, Person)
        else Person.objects.only("pk", "organisation_id").get(pk=person_id)
    )
    person_id = person.pk
    restricted = consent_restricted_domains(user, person)
    status_changes = StatusChange.objects.filter(trajectory__in=trajectories).values_list(
        "on",
        Concat(Value("status:"), "to_status", output_field=TextField()),
        Coalesce("reason", Value(""), output_field=TextField()),
        "trajectory_id",
    )
    contacts = (
        Contact.objects.filter(trajectory__in=trajectories)
        .exclude(status=ContactStatus.PLANNED)
        .filter(duo | ~Q(domain__in=SPECIAL_CATEGORY_DOMAINS))
        .filter(Q(domain="") | Q(domain__in=restricted) if restricted is not None else Q())
        .values_list(
            "on",
            Concat(Value("contact:"), "kind", output_field=TextField()),
            Cast("text", TextField()),
            "trajectory_id",
        )
    )
    actions = Action.objects.filter(goal__trajectory__in=trajectories)
    if restricted is not None:
        actions = actions.filter(goal__domain__in=restricted)
    actions = actions.values_list(
        Coalesce("done_on", "due_on", Cast("created_at", DateField())),
        Concat(Value("action:"), "status", output_field=TextField()),
        Cast("description", TextField()),
        "goal__trajectory_id",
    )
    assessments = Assessment.objects.filter(trajectory__in=trajectories).values_list(
        "on",
        Value("reading:", output_field=TextField()),
        # An assessment's note may touch every domain, special categories included: duo only.
        Case(
            When(
                duo & Q(pk__isnull=restricted is not None),
                then=Coalesce("note", Value(""), output_field=TextField()),
            ),
            default=Value(""),
            output_field=TextField(),
        ),
        "trajectory_id",
    )
    screenings = Screening.objects.filter(
        person_id=person_id, person__in=person_queryset_for(user)
    ).values_list(
        "conducted_on",
        Concat(Value("screening:"), "advice", output_field=TextField()),
        Cast("route_suggested", TextField()),
        Value(None, output_field=IntegerField()),
    )
    # Each part without its model's default ordering: a compound statement orders once.
    union = status_changes.order_by().union(
        contacts.order_by(),
        actions.order_by(),
        assessments.order_by(),
        screenings.order_by(),
        all=True,
    )
    rows = union.order_by("-on")[:limit]
    return [TimelineEntry(on=r[0], kind=r[1], text=r[2] or "", trajectory_id=r[3]) for r in rows]


def expert_requests_open_for(user: User, limit: int = 20) -> list[ExpertSupportRequest]:
    """An experience expert's open requests: those still waiting for an expert on the
    trajectories the user sees, the oldest first, then those the user accepted (their own
    open engagements), the oldest first; each with the person and who asked. One query."""
    return list(
        ExpertSupportRequest.objects.filter(trajectory__in=trajectory_queryset_for(user))
        .filter(
            Q(status=ExpertSupportStatus.REQUESTED)
            | Q(status=ExpertSupportStatus.ACCEPTED, expert=user)
        )
        .select_related("trajectory__person", "requested_by")
        .order_by(
            Case(When(status=ExpertSupportStatus.REQUESTED, then=0), default=1),
            "created_at",
            "pk",
        )[:limit]
    )
