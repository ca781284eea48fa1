"""The demo's organisations (those of the sources, ``tandem.demo.data``) and its logins: one
per role, a mediator per VDAB office and a welfare partner per main city's OCMW."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from tandem.accounts.models import Organisation, Role, User
from tandem.accounts.services import organisation_create, user_create
from tandem.demo import data as demo_data

DEMO_PASSWORD = "tandem-demo-2026"  # noqa: S105 - printed on purpose: demo logins only

# (role, organisation code, first name, last name)
DEMO_USERS = [
    (Role.MEDIATOR, "vdab-gent", "Lotte", "Vermeulen"),
    (Role.WELFARE_PARTNER, "ocmw-gent", "Jonas", "De Smet"),
    (Role.GROUP_COACH, "groep-intro", "Sofie", "Claes"),
    (Role.OUTREACH_WORKER, "vzw-jes", "Youssef", "El Amrani"),
    (Role.EXPERIENCE_EXPERT, "vdab-gent", "Marleen", "Wouters"),
    (Role.JOB_COACH, "vdab-gent", "Pieter", "Janssens"),
    (Role.SERVICE_LINE, "vdab", "Ines", "Maes"),
    (Role.PROGRAMME_MANAGER, "esf-vlaanderen", "Koen", "Peeters"),
    (Role.ADMIN, "vdab", "An", "Verstraete"),
    # VDAB's DPO: VDAB and its offices are one controller (tandem.privacy.selectors).
    (Role.DATA_PROTECTION_OFFICER, "vdab", "Eva", "Jacobs"),
]


def seed_organisations() -> dict[str, Organisation]:
    """Every organisation by code; those of the sources that are missing are created."""
    orgs: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}
    for spec in demo_data.organisations():
        if spec.code in orgs:
            continue
        orgs[spec.code] = organisation_create(
            acting_user=None,
            name=spec.name,
            code=spec.code,
            kind=spec.kind,
            province=spec.province,
            municipality=spec.municipality,
            parent=orgs[spec.parent] if spec.parent else None,
        )
    return orgs


def seed_users(orgs: dict[str, Organisation]) -> dict[str, User]:
    """The demo logins (made once), by role, office code or ``welfare:<province>``."""
    users: dict[str, User] = {}
    made: list[int] = []

    def new_user(**fields: Any) -> User:
        user = user_create(**fields)
        made.append(user.pk)
        return user

    for role, code, first, last in DEMO_USERS:
        username = f"demo_{role}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = new_user(
                acting_user=None,
                username=username,
                organisation=orgs[code],
                roles=[role],
                first_name=first,
                last_name=last,
                email=f"{username}@demo.tandem.invalid",
            )
        users[role] = user
    # Every office needs someone to register its people: a mediator per VDAB office.
    for province in demo_data.MAIN_CITIES:
        code = demo_data.vdab_code(province)
        username = f"demo_mediator_{code.removeprefix('vdab-')}"
        if code == "vdab-gent":
            users[code] = users[Role.MEDIATOR]
            continue
        user = User.objects.filter(username=username).first() or new_user(
            acting_user=None,
            username=username,
            organisation=orgs[code],
            roles=[Role.MEDIATOR],
            first_name="Demo",
            last_name=orgs[code].name,
        )
        users[code] = user
    # A welfare partner at the OCMW of every main city, for the duos.
    for province in demo_data.MAIN_CITIES:
        code = demo_data.ocmw_code(province)
        if code == "ocmw-gent":
            users[f"welfare:{province}"] = users[Role.WELFARE_PARTNER]
            continue
        username = f"demo_welfare_{code.removeprefix('ocmw-')}"
        users[f"welfare:{province}"] = User.objects.filter(username=username).first() or new_user(
            acting_user=None,
            username=username,
            organisation=orgs[code],
            roles=[Role.WELFARE_PARTNER],
            first_name="Demo",
            last_name=orgs[code].name,
        )
    # The demo outreach worker brought in the Mobiel Arbeidsteam's people themselves: an
    # outreach worker sees the persons they brought in.
    users["vzw-jes"] = users[Role.OUTREACH_WORKER]
    for code in ("in-z", "ocmw-gent"):
        username = f"demo_registrar_{code}"
        users[code] = User.objects.filter(username=username).first() or new_user(
            acting_user=None,
            username=username,
            organisation=orgs[code],
            roles=[Role.OUTREACH_WORKER if code != "ocmw-gent" else Role.WELFARE_PARTNER],
            first_name="Demo",
            last_name=orgs[code].name,
        )
    # One password hash for all the new demo logins: Argon2 takes a good part of a second
    # per hash on purpose, and these passwords are printed below anyway.
    User.objects.filter(pk__in=made).update(password=make_password(DEMO_PASSWORD))
    return users
