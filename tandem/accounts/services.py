"""Writes for organisations and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .models import Organisation, Role, RoleAssignment, User


@transaction.atomic
def organisation_create(
    *,
    acting_user: User | None,
    name: str,
    code: str,
    kind: str,
    province: str = "",
    municipality: str = "",
    parent: Organisation | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        code=code,
        kind=kind,
        province=province,
        municipality=municipality,
        parent=parent,
    )
    organisation.full_clean()
    organisation.save()
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type=Event.ORGANISATION_CREATED,
        data={"code": code, "kind": kind},
    )
    return organisation


# What the administrator role may manage in the Django admin: users, organisations and reference
# data — never case content (persons, households, screenings, trajectories).
ADMIN_MODELS = {
    "accounts": ["organisation", "user", "roleassignment"],
    "screening": ["checklistversion", "signal", "povertythreshold"],
    "programmes": ["call", "calltarget", "project", "projecttarget"],
    "groupwork": ["programme", "module"],
    "audit": ["auditevent"],
    # See and lift login lockouts. A lost phone or passkey is removed with the user list's
    # "reset second-factor devices" action (audited, the user is told), not in django-otp's
    # device pages.
    "axes": ["accessattempt", "accessfailurelog", "accesslog"],
}
ADMIN_GROUP = "Tandem administrators"


def administrators_group() -> Group:
    """Return the group that gives the admin role its permissions, brought up to date."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    perms = Permission.objects.none()
    for app_label, models in ADMIN_MODELS.items():
        perms = perms | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    group.permissions.set(perms)
    return group


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    organisation: Organisation,
    roles: Iterable[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    roles = sorted(set(roles))
    for role in roles:
        if role not in Role.values:
            raise ValueError(f"Unknown role: {role!r}")
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # Administrators get the Django admin; nobody else does.
        is_staff=Role.ADMIN in roles,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
    if Role.ADMIN in roles:
        user.groups.add(administrators_group())
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type=Event.USER_CREATED,
        data={"username": username, "roles": roles},
    )
    return user
