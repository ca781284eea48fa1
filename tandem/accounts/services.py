"""Writes for organisations and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from tandem.access.capabilities import case_roles
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
    # The partner API (issue 19): register clients, issue and revoke tokens, read the request log.
    "api": ["apiclient", "apitoken", "apirequest"],
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


def separation_of_duties_check(roles: Iterable[str]) -> None:
    """Refuse (``ValidationError``, code ``separation_of_duties``) a set of roles that holds the
    administrator role together with a role that reads case content (ASVS V8): an
    administrator, who manages the users and their rights, never works in case files too
    (``tandem.access.capabilities.case_roles``)."""
    held = set(roles)
    if Role.ADMIN not in held:
        return
    case = [Role(code).label for code in Role.values if code in held & case_roles()]
    if case:
        raise ValidationError(
            gettext(
                "Separation of duties: an administrator holds no role that reads case files "
                "(%(roles)s). Give these tasks to another user."
            )
            % {"roles": ", ".join(str(label) for label in case)},
            code="separation_of_duties",
        )


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
    separation_of_duties_check(roles)
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


@transaction.atomic
def user_roles_set(*, acting_user: User | None, user: User, roles: Iterable[str]) -> User:
    """Give ``user`` exactly ``roles`` (an administrator's change on the admin's user page):
    the roles no longer held are taken away, the new ones given, and the change is recorded
    (``user.roles_changed.admin``, what was granted and what revoked). Refused with
    ``ValidationError`` when the roles would mix the admin role with a case role (separation of
    duties). Granting the admin role opens the Django admin to the user (staff, the
    administrators' group); taking it away closes it."""
    wanted = set(roles)
    for role in wanted:
        if role not in Role.values:
            raise ValueError(f"Unknown role: {role!r}")
    separation_of_duties_check(wanted)
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    granted, revoked = sorted(wanted - held), sorted(held - wanted)
    if not granted and not revoked:
        return user
    RoleAssignment.objects.filter(user=user, role__in=revoked).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in granted])
    if Role.ADMIN in granted:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.groups.add(administrators_group())
    elif Role.ADMIN in revoked:
        if not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_staff=False)
        user.groups.remove(administrators_group())
    user.refresh_from_db(fields=["is_staff"])
    user.__dict__.pop("_role_codes", None)
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation,
        event_type=Event.USER_ROLES_CHANGED_ADMIN,
        data={"username": user.username, "granted": granted, "revoked": revoked},
    )
    return user


def user_organisation_change_record(
    *, acting_user: User | None, user: User, organisation_before: Organisation | None
) -> None:
    """Record that an administrator moved a user to another organisation on the admin's user
    page (``user.organisation_changed.admin``, from and to): the organisation decides whose
    persons a user sees. Nothing is recorded when it stayed the same."""
    if organisation_before == user.organisation:
        return
    audit_event_record(
        actor=acting_user,
        organisation=user.organisation or organisation_before,
        event_type=Event.USER_ORGANISATION_CHANGED_ADMIN,
        data={
            "username": user.username,
            "from": organisation_before.code if organisation_before else None,
            "to": user.organisation.code if user.organisation else None,
        },
    )
