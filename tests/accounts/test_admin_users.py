"""The admin's user forms ask for the organisation of every role that works with people."""

import pytest
from django.urls import reverse

from tandem.access.capabilities import organisation_roles, roles_for
from tandem.accounts.models import Role, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-genoeg-wachtwoord-2026"


@pytest.fixture
def admin_client(client, organisation):
    client.force_login(make_user(Role.ADMIN, organisation=organisation))
    return client


def _roles(*roles, prefix="role_assignments", initial=0, ids=()):
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
    return data


def _add(client, username, *roles, organisation=None):
    data = {
        "username": username,
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": str(organisation.pk) if organisation else "",
        **_roles(*roles),
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def _inline_errors(response):
    return [
        str(e)
        for fs in response.context["inline_admin_formsets"]
        for e in fs.formset.non_form_errors()
    ]


def test_every_role_that_opens_or_registers_persons_needs_an_organisation():
    needing = organisation_roles()
    assert roles_for("person.read") | roles_for("person.register") <= needing
    assert {Role.GROUP_COACH, Role.DATA_PROTECTION_OFFICER} <= needing
    assert not {Role.ADMIN, Role.PROGRAMME_MANAGER} & needing


def test_the_add_form_asks_for_the_organisation(admin_client):
    form = admin_client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert "organisation" in form.fields


@pytest.mark.parametrize("role", sorted(organisation_roles()))
def test_a_user_with_a_role_that_works_with_people_is_not_added_without_one(admin_client, role):
    response = _add(admin_client, "zonder-org", role)
    assert response.status_code == 200  # the form again, with the error
    errors = _inline_errors(response)
    assert len(errors) == 1 and str(Role(role).label) in errors[0]
    assert not User.objects.filter(username="zonder-org").exists()


def test_with_the_organisation_the_user_is_added(admin_client, organisation):
    response = _add(admin_client, "met-org", Role.MEDIATOR, organisation=organisation)
    assert response.status_code == 302
    user = User.objects.get(username="met-org")
    assert user.organisation == organisation
    assert user.role_codes == {Role.MEDIATOR}


@pytest.mark.parametrize("roles", [(), (Role.PROGRAMME_MANAGER,), (Role.ADMIN,)])
def test_roles_without_person_work_may_go_without_an_organisation(admin_client, roles):
    assert _add(admin_client, "programma", *roles).status_code == 302
    assert User.objects.get(username="programma").organisation is None


def test_the_change_form_refuses_to_take_the_organisation_of_a_mediator(admin_client, mediator):
    assignment = mediator.role_assignments.get()
    url = reverse("admin:accounts_user_change", args=[mediator.pk])
    page = admin_client.get(url)
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if isinstance(value, str | int | bool) and value is not None
    }
    data.update(
        {
            "username": mediator.username,
            "date_joined_0": "07/12/2026",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            "organisation": "",
            **_roles(Role.MEDIATOR, initial=1, ids=[assignment.pk]),
        }
    )
    data["role_assignments-0-user"] = str(mediator.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not response.context["adminform"].form.errors
    assert _inline_errors(response) == [
        "Kies de organisatie van de gebruiker: deze rollen werken via haar met mensen: "
        f"{Role.MEDIATOR.label}."
    ]
    mediator.refresh_from_db()
    assert mediator.organisation is not None
