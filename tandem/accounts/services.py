"""Writes for organisations and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

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
        event_type="organisation.created",
        data={"code": code, "kind": kind},
    )
    return organisation


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
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        event_type="user.created",
        data={"username": username, "roles": roles},
    )
    return user
