"""Reads of outreach, scoped: an outreach worker sees their own team's find places and
prospects; a programme manager sees the funnel of every team, as aggregates only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.access.scope import person_queryset_for
from tandem.accounts.models import User
from tandem.programmes.models import Project
from tandem.trajectories.rules import work_or_training_on

from .funnel import FunnelRow
from .models import ENGAGED_AT, ContactMoment, FindPlace, Prospect
from .rules import brought_to_trajectory, follow_up_since


def place_queryset_for(user: User) -> QuerySet[FindPlace]:
    if user.organisation_id is None or not has_capability(user, "outreach.places"):
        return FindPlace.objects.none()
    return FindPlace.objects.filter(organisation_id=user.organisation_id).select_related("project")


def place_list_for(user: User) -> QuerySet[FindPlace]:
    """The team's find places, by municipality and name (the places page)."""
    return place_queryset_for(user).order_by("municipality", "name")


def places_for_contact(user: User) -> QuerySet[FindPlace]:
    """The team's places in use, the ones this user logged a contact at most recently first."""
    return (
        place_queryset_for(user)
        .filter(active=True)
        .annotate(last_used=Max("moments__created_at", filter=Q(moments__by=user)))
        .order_by(F("last_used").desc(nulls_last=True), "municipality", "name")
    )


def prospect_queryset_for(user: User) -> QuerySet[Prospect]:
    if user.organisation_id is None or not has_capability(user, "outreach.contact"):
        return Prospect.objects.none()
    return Prospect.objects.filter(organisation_id=user.organisation_id)


def prospect_list_for(
    user: User,
    *,
    text: str = "",
    status: str = "",
    place: FindPlace | None = None,
    follow_up: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Prospect]:
    """The team's prospects, last met first, narrowed by the list's filters (never widened:
    each filter narrows the team's own prospects): ``text`` in the nickname or the need;
    ``status`` "new" (met fewer than ENGAGED_AT times), "engaged" or "registered"; met at
    ``place``; ``follow_up`` due (outreach.rules.follow_up_due)."""
    qs = (
        prospect_queryset_for(user)
        .select_related("person", "project")
        .annotate(moment_count=Count("moments"), last_on=Max("moments__on"))
    )
    if text:
        qs = qs.filter(Q(nickname__icontains=text) | Q(need__icontains=text))
    if status == "registered":
        qs = qs.filter(person__isnull=False)
    elif status == "engaged":
        qs = qs.filter(person__isnull=True, moment_count__gte=ENGAGED_AT)
    elif status == "new":
        qs = qs.filter(person__isnull=True, moment_count__lt=ENGAGED_AT)
    if place is not None:
        qs = qs.filter(Exists(ContactMoment.objects.filter(prospect=OuterRef("pk"), place=place)))
    if follow_up:
        since = follow_up_since(today or timezone.localdate())
        qs = qs.filter(person__isnull=True).filter(Q(last_on__isnull=True) | Q(last_on__lte=since))
    return qs.order_by(F("last_on").desc(nulls_last=True), "-pk")


def registered_without_trajectory(user: User, limit: int = 10) -> list[Prospect]:
    """The team's prospects registered as persons the user sees who have no trajectory yet
    (the home page: registrations waiting for an intake at the office), the longest waiting
    first. One query."""
    return list(
        prospect_queryset_for(user)
        .filter(person__in=person_queryset_for(user))
        .exclude(person__trajectories__isnull=False)
        .select_related("person")
        .order_by("converted_on", "pk")[:limit]
    )


def prospect_get_for(user: User, public_id: uuid.UUID | str) -> Prospect:
    """One prospect of the user's team, or 404 (missing or another team's: the same answer)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    try:
        return (
            prospect_queryset_for(user)
            .select_related("person", "project", "created_by")
            .get(public_id=key)
        )
    except Prospect.DoesNotExist as exc:
        raise Http404 from exc


def prospect_moments(prospect: Prospect) -> QuerySet[ContactMoment]:
    return prospect.moments.select_related("place", "by").order_by("on", "pk")


def contact_count(prospect: Prospect) -> int:
    """How many contacts with the prospect are logged."""
    return prospect.moments.count()


def recent_prospects_by_place(
    user: User, since: dt.date
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Prospects met since ``since``, grouped by the place they were last met, for the "met
    before?" choice: (place, [(public_id, label), ...]) with the places last used first."""
    moments = (
        ContactMoment.objects.filter(prospect__in=prospect_queryset_for(user), on__gte=since)
        .select_related("prospect", "place")
        .order_by("-on", "-pk")
    )
    seen: set[int] = set()
    groups: dict[str, list[tuple[str, str]]] = {}
    for moment in moments[:300]:
        if moment.prospect_id in seen:
            continue
        seen.add(moment.prospect_id)
        prospect = moment.prospect
        age = f", ±{prospect.approximate_age}" if prospect.approximate_age else ""
        label = f"{prospect.nickname}{age} ({moment.on:%d/%m})"
        groups.setdefault(str(moment.place), []).append((str(prospect.public_id), label))
    return list(groups.items())


def projects_by_name(names: Iterable[str]) -> dict[str, Project]:
    """The projects a funnel names (aggregates: projects are not scoped per user)."""
    return {p.name: p for p in Project.objects.filter(name__in=list(names))}


def target_for(project: Project | None) -> int | None:
    """The project's target of people into work or training (the funnel's last step), when the
    project has one: the latest-due ``into_work_or_training`` target, else ``into_work``."""
    if project is None:
        return None
    from tandem.programmes.models import TargetKind

    for kind in (TargetKind.INTO_WORK_OR_TRAINING, TargetKind.INTO_WORK):
        target = project.targets.filter(kind=kind).order_by("-due_date", "-pk").first()
        if target is not None:
            return target.value
    return None


def funnel_rows_for(user: User) -> list[FunnelRow]:
    """One compact row per prospect the user may count: every team's for a programme
    manager, their own team's for an outreach worker. Four queries whatever the size."""
    if has_capability(user, "programme.oversee"):
        prospects = Prospect.objects.all()
    elif has_capability(user, "outreach.contact") and user.organisation_id is not None:
        prospects = Prospect.objects.filter(organisation_id=user.organisation_id)
    else:
        return []
    return _funnel_rows(prospects)


def funnel_rows_all() -> list[FunnelRow]:
    """Every team's funnel rows, for aggregate reports (the programme dashboard, the yearly
    report): counts only, which go through disclosure control where they are published."""
    return _funnel_rows(Prospect.objects.all())


def _funnel_rows(prospects: QuerySet[Prospect]) -> list[FunnelRow]:
    from tandem.trajectories.models import Status, StatusChange, Trajectory

    info = list(
        prospects.values_list(
            "pk", "organisation__name", "project__name", "person_id", "converted_on"
        )
    )
    moments: dict[int, list[tuple[dt.date, int, str]]] = {}
    for pid, on, pk, place_name, municipality in (
        ContactMoment.objects.filter(prospect__in=prospects)
        .values_list("prospect_id", "on", "pk", "place__name", "place__municipality")
        .order_by("on", "pk")
    ):
        moments.setdefault(pid, []).append((on, pk, f"{place_name} ({municipality})"))
    converted = {person_id: on for _pk, _t, _p, person_id, on in info if person_id}
    trajectories: dict[int, list[tuple[Any, ...]]] = {}
    for row in Trajectory.objects.filter(person_id__in=list(converted)).values_list(
        "pk", "person_id", "start_date", "status", "closure_reason", "end_date"
    ):
        trajectories.setdefault(row[1], []).append(row)
    employed: dict[int, dt.date] = {}
    for tid, on in (
        StatusChange.objects.filter(
            trajectory__person_id__in=list(converted), to_status=Status.EMPLOYED
        )
        .values_list("trajectory_id", "on")
        .order_by("on")
    ):
        employed.setdefault(tid, on)
    rows = []
    for pk, team, project, person_id, converted_on in info:
        own = moments.get(pk, [])
        trajectory_on: dt.date | None = None
        outcome_on: dt.date | None = None
        for tid, _person, start, status, reason, end in trajectories.get(person_id, []):
            if not brought_to_trajectory(converted_on, start):
                continue  # a trajectory from before outreach brought the person in
            trajectory_on = min(filter(None, (trajectory_on, start)))
            reached = work_or_training_on(status, reason, start, end, employed.get(tid))
            if reached is not None:
                outcome_on = min(filter(None, (outcome_on, reached)))
        rows.append(
            FunnelRow(
                team=team,
                project=project or "",
                place=own[0][2] if own else "",
                moments=tuple(m[0] for m in own),
                converted_on=converted_on,
                trajectory_on=trajectory_on,
                outcome_on=outcome_on,
            )
        )
    return rows
