"""Every write through the Django admin is audited (issue 16): each registered model's admin
writes an ``AuditEvent`` for an add, a change (with its inline rows) and a delete — which
model, which object (its id), which fields — and never an object's text."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tandem.accounts.admin_site import AuditedAdminMixin, admin_changes
from tandem.accounts.models import Organisation, Role, User
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.screening.models import PovertyThreshold
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-genoeg-wachtwoord-2026"


@pytest.fixture
def administrator(organisation):
    return make_user(Role.ADMIN, organisation=organisation, username="beheerder")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _form_data(response) -> dict[str, object]:
    """The admin form's fields as they stand on the page, ready to post back."""
    form = response.context["adminform"].form
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def _events(event: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event).order_by("pk"))


def test_every_registered_admin_is_audited():
    not_audited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert not_audited == []
    assert Organisation in admin.site._registry and PovertyThreshold in admin.site._registry


def test_changing_an_organisation_in_the_admin_records_who_changed_which_fields(
    admin_client, administrator
):
    ocmw = OrganisationFactory(name="OCMW Aalst", code="ocmw-aalst-t")
    url = reverse("admin:accounts_organisation_change", args=[ocmw.pk])
    data = _form_data(admin_client.get(url))
    data["name"] = "OCMW Aalst (Sociaal Huis)"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ocmw.refresh_from_db()
    assert ocmw.name == "OCMW Aalst (Sociaal Huis)"
    [event] = _events(Event.OBJECT_UPDATED_ADMIN)
    assert event.actor == administrator
    assert event.data == {
        "model": "accounts.organisation",
        "object": str(ocmw.pk),
        "changes": [{"action": "changed", "fields": ["Name"]}],
    }
    assert "Aalst" not in str(event.data)


def test_adding_and_deleting_in_the_admin_are_recorded(admin_client, administrator):
    url = reverse("admin:accounts_organisation_add")
    data = _form_data(admin_client.get(url))
    data.update(name="CAW Oost-Vlaanderen", code="caw-ovl-t", kind="caw", province="")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    caw = Organisation.objects.get(code="caw-ovl-t")
    [added] = _events(Event.OBJECT_CREATED_ADMIN)
    assert added.data["object"] == str(caw.pk) and added.actor == administrator

    response = admin_client.post(
        reverse("admin:accounts_organisation_delete", args=[caw.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=caw.pk).exists()
    [deleted] = _events(Event.OBJECT_DELETED_ADMIN)
    assert deleted.data == {"model": "accounts.organisation", "object": str(caw.pk)}
    assert deleted.actor == administrator


def test_the_delete_selected_action_records_each_row(admin_client):
    rows = [
        OrganisationFactory(name=f"Leeg {n}", code=f"leeg-{n}-t", municipality="") for n in (1, 2)
    ]
    response = admin_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [str(r.pk) for r in rows],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk__in=[r.pk for r in rows]).exists()
    deleted = {e.data["object"] for e in _events(Event.OBJECT_DELETED_ADMIN)}
    assert deleted == {str(r.pk) for r in rows}


def test_a_user_added_with_a_role_is_recorded_without_their_name(
    admin_client, administrator, organisation
):
    data = {
        "username": "nieuwe-bemiddelaar",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": str(organisation.pk),
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-role": Role.MEDIATOR,
    }
    response = admin_client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    user = User.objects.get(username="nieuwe-bemiddelaar")
    [event] = _events(Event.OBJECT_CREATED_ADMIN)
    assert event.actor == administrator
    assert event.data["model"] == "accounts.user" and event.data["object"] == str(user.pk)
    assert {"action": "added", "model": "role assignment"} in event.data["changes"]
    assert "nieuwe-bemiddelaar" not in str(event.data)


def test_the_change_message_keeps_no_object_text():
    message = [
        {"changed": {"fields": ["First name", "Organisation"]}},
        {"added": {"name": "role assignment", "object": "Sara Peeters: mediator"}},
        {"deleted": {"name": "role assignment", "object": "Sara Peeters: admin"}},
    ]
    assert admin_changes(message) == [
        {"action": "changed", "fields": ["First name", "Organisation"]},
        {"action": "added", "model": "role assignment"},
        {"action": "deleted", "model": "role assignment"},
    ]
    assert admin_changes("Changed the password of Sara Peeters.") == []
