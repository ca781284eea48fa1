"""An administrator's changes to a user's roles and organisation are audited, and nobody holds a
case role and the admin role at once (separation of duties, issue 16)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.access.capabilities import case_roles
from tandem.accounts.models import Role, User
from tandem.accounts.services import user_create, user_roles_set
from tandem.audit.models import AuditEvent
from tandem.demo.organisations import DEMO_USERS
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-genoeg-wachtwoord-2026"


@pytest.fixture
def admin(organisation):
    return make_user(Role.ADMIN, organisation=organisation, username="beheer")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _roles(*roles, initial=0, ids=(), user=None, prefix="role_assignments"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(roles)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, role in enumerate(roles):
        data[f"{prefix}-{i}-role"] = role
        if i < len(ids):
            data[f"{prefix}-{i}-id"] = str(ids[i])
            data[f"{prefix}-{i}-user"] = str(user.pk)
    return data


def _change(client, user, *roles, organisation="keep"):
    """Post the admin's change form of ``user`` with ``roles`` (the existing ones first)."""
    existing = list(user.role_assignments.order_by("pk").values_list("pk", "role"))
    kept = [(pk, role) for pk, role in existing if role in roles]
    new = [role for role in roles if role not in {r for _pk, r in kept}]
    deleted = [(pk, role) for pk, role in existing if role not in roles]
    org = user.organisation if organisation == "keep" else organisation
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": "07/12/2026",
        "date_joined_1": "10:00:00",
        "is_active": "on",
        "organisation": str(org.pk) if org else "",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    rows = kept + deleted
    data.update(
        _roles(
            *[r for _pk, r in rows],
            *new,
            initial=len(rows),
            ids=[pk for pk, _r in rows],
            user=user,
        )
    )
    for i, (_pk, role) in enumerate(rows):
        if role not in roles:
            data[f"role_assignments-{i}-DELETE"] = "on"
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def _inline_errors(response):
    return [
        str(e)
        for fs in response.context["inline_admin_formsets"]
        for e in fs.formset.non_form_errors()
    ]


# --- audit ---------------------------------------------------------------------------------------


def test_granting_a_role_in_the_admin_writes_an_audit_event(admin_client, admin, mediator):
    response = _change(admin_client, mediator, Role.MEDIATOR, Role.JOB_COACH)
    assert response.status_code == 302, getattr(response, "context", None) and _inline_errors(
        response
    )
    assert User.objects.get(pk=mediator.pk).role_codes == {Role.MEDIATOR, Role.JOB_COACH}
    event = AuditEvent.objects.get(event_type="user.roles_changed.admin")
    assert event.actor == admin
    assert event.data == {
        "username": mediator.username,
        "granted": [Role.JOB_COACH.value],
        "revoked": [],
    }


def test_revoking_a_role_in_the_admin_writes_an_audit_event(admin_client, organisation):
    user = make_user(Role.MEDIATOR, Role.JOB_COACH, organisation=organisation)
    assert _change(admin_client, user, Role.MEDIATOR).status_code == 302
    assert User.objects.get(pk=user.pk).role_codes == {Role.MEDIATOR}
    event = AuditEvent.objects.get(event_type="user.roles_changed.admin")
    assert event.data["granted"] == [] and event.data["revoked"] == [Role.JOB_COACH.value]


def test_saving_without_a_change_writes_no_role_event(admin_client, mediator):
    assert _change(admin_client, mediator, Role.MEDIATOR).status_code == 302
    assert not AuditEvent.objects.filter(event_type="user.roles_changed.admin").exists()
    assert not AuditEvent.objects.filter(event_type="user.organisation_changed.admin").exists()


def test_moving_a_user_to_another_organisation_writes_an_audit_event(
    admin_client, admin, mediator, organisation
):
    other = OrganisationFactory(code="ocmw-elders")
    assert _change(admin_client, mediator, Role.MEDIATOR, organisation=other).status_code == 302
    mediator.refresh_from_db()
    assert mediator.organisation == other
    event = AuditEvent.objects.get(event_type="user.organisation_changed.admin")
    assert event.actor == admin
    assert event.data == {
        "username": mediator.username,
        "from": organisation.code,
        "to": other.code,
    }


def test_an_administrator_changing_their_own_organisation_is_audited(admin_client, admin):
    other = OrganisationFactory(code="elders")
    assert _change(admin_client, admin, Role.ADMIN, organisation=other).status_code == 302
    event = AuditEvent.objects.get(event_type="user.organisation_changed.admin")
    assert event.actor == admin and event.data["username"] == admin.username


def test_adding_a_user_with_a_role_in_the_admin_writes_an_audit_event(
    admin_client, admin, organisation
):
    data = {
        "username": "nieuw",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": str(organisation.pk),
        **_roles(Role.MEDIATOR),
    }
    assert admin_client.post(reverse("admin:accounts_user_add"), data).status_code == 302
    roles = AuditEvent.objects.get(event_type="user.roles_changed.admin")
    assert roles.actor == admin
    assert roles.data == {"username": "nieuw", "granted": [Role.MEDIATOR.value], "revoked": []}


def test_granting_admin_in_the_admin_opens_the_admin_for_them(admin_client, organisation):
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=organisation)
    assert _change(admin_client, manager, Role.PROGRAMME_MANAGER, Role.ADMIN).status_code == 302
    manager.refresh_from_db()
    assert manager.is_staff
    assert manager.groups.filter(name="Tandem administrators").exists()


# --- separation of duties -----------------------------------------------------------------------


def test_case_roles_are_the_roles_that_read_case_files():
    assert {
        Role.MEDIATOR,
        Role.WELFARE_PARTNER,
        Role.SERVICE_LINE,
        Role.OUTREACH_WORKER,
        Role.EXPERIENCE_EXPERT,
        Role.JOB_COACH,
        Role.GROUP_COACH,
    } == case_roles()
    assert Role.ADMIN not in case_roles()


@pytest.mark.parametrize("role", sorted(case_roles()))
def test_the_admin_form_refuses_a_case_role_for_an_administrator(admin_client, admin, role):
    response = _change(admin_client, admin, Role.ADMIN, role)
    assert response.status_code == 200
    errors = _inline_errors(response)
    assert len(errors) == 1
    assert errors[0].startswith("Scheiding van taken: een beheerder")
    assert str(Role(role).label) in errors[0]
    assert User.objects.get(pk=admin.pk).role_codes == {Role.ADMIN}
    assert not AuditEvent.objects.filter(event_type="user.roles_changed.admin").exists()


def test_the_admin_form_refuses_admin_for_a_case_worker(admin_client, mediator):
    response = _change(admin_client, mediator, Role.MEDIATOR, Role.ADMIN)
    assert response.status_code == 200
    assert "Scheiding van taken" in _inline_errors(response)[0]
    assert User.objects.get(pk=mediator.pk).role_codes == {Role.MEDIATOR}


def test_the_admin_form_refuses_a_new_user_with_both(admin_client, organisation):
    data = {
        "username": "beide",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": str(organisation.pk),
        **_roles(Role.ADMIN, Role.MEDIATOR),
    }
    response = admin_client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "Scheiding van taken" in _inline_errors(response)[0]
    assert not User.objects.filter(username="beide").exists()


def test_swapping_a_case_role_for_admin_in_one_save_is_allowed(admin_client, mediator):
    assert _change(admin_client, mediator, Role.ADMIN).status_code == 302
    assert User.objects.get(pk=mediator.pk).role_codes == {Role.ADMIN}


def test_the_services_refuse_both_roles_at_once(organisation, admin, mediator):
    with pytest.raises(ValidationError, match=r"(?i)scheiding van taken|separation of duties"):
        user_create(
            acting_user=admin,
            username="beide",
            organisation=organisation,
            roles=[Role.ADMIN, Role.MEDIATOR],
        )
    assert not User.objects.filter(username="beide").exists()
    with pytest.raises(ValidationError):
        user_roles_set(acting_user=admin, user=mediator, roles=[Role.MEDIATOR, Role.ADMIN])
    with pytest.raises(ValidationError):
        user_roles_set(acting_user=admin, user=admin, roles=[Role.ADMIN, Role.JOB_COACH])
    assert User.objects.get(pk=mediator.pk).role_codes == {Role.MEDIATOR}
    assert User.objects.get(pk=admin.pk).role_codes == {Role.ADMIN}


def test_the_demo_gives_nobody_both():
    by_user: dict[tuple[str, str, str], set[str]] = {}
    for role, code, first, last in DEMO_USERS:
        by_user.setdefault((code, first, last), set()).add(role)
    for roles in by_user.values():
        assert not (Role.ADMIN in roles and roles & case_roles())
