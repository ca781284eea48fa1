"""Reads of the plan: the goals and actions per life domain as the user may see them (with who
leads the domain and its light in the latest screening), one goal or action of a trajectory,
and the contacts and notes the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from tandem.access.scope import domains_visible_to
from tandem.accounts.models import User
from tandem.common.models import LifeDomain
from tandem.screening.models import Screening

from ..models import Action, Contact, ContactKind, ContactStatus, Goal, Trajectory

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def planned_contacts() -> QuerySet[Contact]:
    """Planned contacts, the earliest first (an overdue one is still planned until it is
    marked held, cancelled or missed)."""
    return Contact.objects.filter(status=ContactStatus.PLANNED).order_by("on", "at", "pk")


def next_contact(field: str = "on", trajectory: str = "pk") -> Subquery:
    """The trajectory's next contact (its ``field``: ``on``, ``at``, ``kind``) as a subquery
    for ``annotate``: its earliest planned contact. Derived, never stored (issue 18).
    ``trajectory`` names the outer query's trajectory."""
    return Subquery(planned_contacts().filter(trajectory=OuterRef(trajectory)).values(field)[:1])


def last_contact_on(trajectory: str = "pk") -> Subquery:
    """The day of the trajectory's last contact that took place (notes, planned, cancelled and
    missed contacts aside), as a subquery for ``annotate``."""
    return Subquery(
        Contact.objects.filter(trajectory=OuterRef(trajectory), status=ContactStatus.HELD)
        .exclude(kind=ContactKind.NOTE)
        .order_by("-on")
        .values("on")[:1]
    )


def planned_contacts_of(trajectory: Trajectory) -> list[Contact]:
    """The trajectory's planned contacts, the earliest first (the trajectory page; a planned
    contact carries no note, so no domain filter is needed)."""
    return list(planned_contacts().filter(trajectory=trajectory).select_related("author"))


def planned_contact_get(trajectory: Trajectory, contact_id: int) -> Contact:
    """One planned contact of the trajectory, else 404."""
    try:
        return planned_contacts().get(trajectory=trajectory, pk=contact_id)
    except Contact.DoesNotExist as exc:
        raise Http404 from exc


def contacts_visible_to(user: User, trajectory: Trajectory) -> QuerySet[Contact]:
    """Contacts and notes of a trajectory in the domains the user may see (notes without a
    domain belong to the whole trajectory)."""
    qs = trajectory.contacts.exclude(status=ContactStatus.PLANNED).select_related("author")
    return qs.filter(Q(domain="") | Q(domain__in=domains_visible_to(user, trajectory)))


@dataclass(frozen=True)
class Plan:
    """The plan across life domains as one user sees it."""

    domains: list[dict[str, Any]]  # every life domain: code, label, goals, side, light
    has_goals: bool
    hidden_domains: list[str | _StrPromise]  # labels of the domains the user may not see


def plan_for(user: User, trajectory: Trajectory) -> Plan:
    """The goals (with their actions: open first, then by due date) of the domains the user
    may see, per life domain with who leads it and its light in the person's latest
    screening."""
    goals = list(
        trajectory.goals.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("status", "due_on", "pk"))
        )
    )
    labels = dict(LifeDomain.choices)
    responsibilities = {r.domain: r for r in trajectory.responsibilities.all()}
    latest_screening = (
        Screening.objects.filter(person=trajectory.person)
        .order_by("-conducted_on", "-created_at")
        .first()
    )
    lights = latest_screening.lights if latest_screening else {}
    visible = domains_visible_to(user, trajectory)
    goals = [g for g in goals if g.domain in visible]
    domains = []
    for domain in LifeDomain:
        r = responsibilities.get(domain.value)
        domains.append(
            {
                "code": domain.value,
                "label": labels[domain.value],
                "goals": [g for g in goals if g.domain == domain.value],
                "side": r.get_side_display() if r else "",
                "light": lights.get(domain.value, {}).get("light", ""),
            }
        )
    return Plan(
        domains=domains,
        has_goals=bool(goals),
        hidden_domains=[labels[d.value] for d in LifeDomain if d.value not in visible],
    )


def goal_get(trajectory: Trajectory, goal_id: int) -> Goal:
    """One goal of the trajectory, or 404 (missing, or a goal of another trajectory)."""
    try:
        return trajectory.goals.get(pk=goal_id)
    except Goal.DoesNotExist as exc:
        raise Http404 from exc


def action_get(trajectory: Trajectory, action_id: int) -> Action:
    """One action of the trajectory's goals, or 404 (missing, or another trajectory's)."""
    try:
        return Action.objects.select_related("goal__trajectory").get(
            pk=action_id, goal__trajectory=trajectory
        )
    except Action.DoesNotExist as exc:
        raise Http404 from exc
