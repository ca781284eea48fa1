"""Trajectories and their plan as the API reads them: through the access layer as the client's
service user, with the plan narrowed to the life domains that user may see — the filter of the
plan on the trajectory page (``plan.selectors.plan_for``): special categories only for the duo,
and for a welfare partner of another organisation only the domains a consent in force shares."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tandem.access.scope import domains_visible_to, trajectory_queryset_for
from tandem.accounts.models import User
from tandem.trajectories.models import Action, Goal, Trajectory
from tandem.trajectories.plan.selectors import action_get


def trajectories(user: User) -> QuerySet[Trajectory]:
    return trajectory_queryset_for(user).select_related("person", "organisation")


def visible_goals(user: User, trajectory: Trajectory) -> list[Goal]:
    """The goals of the domains the user may see, each with its actions (open first, then by
    due date, as on the page)."""
    visible = domains_visible_to(user, trajectory)
    return list(
        trajectory.goals.filter(domain__in=visible)
        .order_by("domain", "pk")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("status", "due_on", "pk"))
        )
    )


def visible_action(user: User, trajectory: Trajectory, action_id: int) -> Action:
    """One action of the trajectory in a domain the user may see; 404 otherwise (an action of
    a domain the page hides is as missing as one of another trajectory)."""
    action = action_get(trajectory, action_id)
    if action.goal.domain not in domains_visible_to(user, trajectory):
        raise Http404
    return action
