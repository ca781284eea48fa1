"""Reads of trajectories. Trajectories are reached through visible persons; a welfare partner
also sees the trajectories where they are the duo partner. Special-category notes are
filtered here, for everyone but the duo."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS
from tandem.registry.selectors import person_queryset_for

from .models import Contact, Trajectory

# Roles that change a trajectory (plan, contacts, status). Others may only read it.
TRAJECTORY_WRITE_ROLES = frozenset({Role.MEDIATOR, Role.WELFARE_PARTNER})


def trajectory_queryset_for(user: User) -> QuerySet[Trajectory]:
    if not user.is_authenticated:
        return Trajectory.objects.none()
    visible = Q(person__in=person_queryset_for(user))
    if Role.WELFARE_PARTNER in user.role_codes:
        visible |= Q(welfare_partner=user)
    return Trajectory.objects.filter(visible)


def trajectory_get_for(user: User, public_id: uuid.UUID | str) -> Trajectory:
    """Return one visible trajectory (with person, duo and project) or 404."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = trajectory_queryset_for(user).select_related(
        "person", "organisation", "lead_mediator", "welfare_partner", "project", "screening"
    )
    try:
        return qs.get(public_id=key)
    except Trajectory.DoesNotExist as exc:
        raise Http404 from exc


def is_duo(user: User, trajectory: Trajectory) -> bool:
    return user.pk in trajectory.duo_user_ids()


def can_write(user: User, trajectory: Trajectory) -> bool:
    """The duo, and mediators of the trajectory's office (to cover for a colleague), may
    change an open trajectory."""
    if not trajectory.is_open:
        return False
    if is_duo(user, trajectory):
        return True
    return Role.MEDIATOR in user.role_codes and user.organisation_id == trajectory.organisation_id


def contacts_visible_to(user: User, trajectory: Trajectory) -> QuerySet[Contact]:
    """Contacts and notes of a trajectory; special-category notes only for the duo."""
    qs = trajectory.contacts.select_related("author")
    if not is_duo(user, trajectory):
        qs = qs.exclude(domain__in=SPECIAL_CATEGORY_DOMAINS)
    return qs
