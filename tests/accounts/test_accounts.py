import time

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.common.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("a-long-enough-password").startswith("argon2$")


def test_user_create_assigns_roles_and_staff_only_for_admins(organisation):
    mediator = make_user(Role.MEDIATOR, Role.JOB_COACH, organisation=organisation)
    admin = make_user(Role.ADMIN, organisation=organisation)
    assert mediator.role_codes == {"mediator", "job_coach"}
    assert not mediator.is_staff
    assert admin.is_staff
    assert AuditEvent.objects.filter(event_type="user.created").count() == 2


def test_unknown_role_is_refused(organisation):
    with pytest.raises(ValueError, match="Unknown role"):
        make_user("superhero", organisation=organisation)


def test_login_and_logout(client, organisation):
    user = make_user(
        Role.MEDIATOR, organisation=organisation, username="lotte", password="correct-horse-battery"
    )
    response = client.post(
        reverse("accounts:login"), {"username": "lotte", "password": "wrong-password-here"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login"), {"username": "lotte", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_gives_a_new_session_id(client, organisation):
    make_user(
        Role.MEDIATOR, organisation=organisation, username="lotte", password="correct-horse-battery"
    )
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.post(
        reverse("accounts:login"), {"username": "lotte", "password": "correct-horse-battery"}
    )
    assert client.session.session_key != before


def test_pages_for_logged_in_users_are_never_cached(client, organisation):
    client.force_login(make_user(Role.MEDIATOR, organisation=organisation))
    assert client.get(reverse("home:home"))["Cache-Control"] == "no-store"


def test_session_ends_after_the_absolute_limit(client, organisation, settings):
    client.force_login(make_user(Role.MEDIATOR, organisation=organisation))
    assert client.get(reverse("home:home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_idle_timeout_is_thirty_minutes_and_renewed(client, organisation):
    assert base.SESSION_COOKIE_AGE == 30 * 60
    assert base.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    client.force_login(make_user(Role.MEDIATOR, organisation=organisation))
    client.get(reverse("home:home"))
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - 120
    session.save()
    expiry_before = session.get_expiry_date()
    time.sleep(0.01)
    client.get(reverse("home:home"))
    renewed = client.session
    assert renewed[SESSION_SEEN_KEY] >= int(time.time()) - 5
    assert renewed.get_expiry_date() >= expiry_before


def test_english_can_be_chosen(client, organisation):
    client.force_login(make_user(Role.MEDIATOR, organisation=organisation))
    assert "Persoon zoeken" in client.get(reverse("home:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Find a person" in client.get(reverse("home:home")).content.decode()


def test_organisation_with_parent(db):
    vdab = OrganisationFactory(name="VDAB", code="vdab")
    gent = OrganisationFactory(name="VDAB Gent", code="vdab-gent", parent=vdab)
    assert list(vdab.children.all()) == [gent]


def test_admins_manage_reference_data_but_never_case_content(client, organisation):
    from tandem.accounts.services import ADMIN_MODELS

    admin_user = make_user(Role.ADMIN, organisation=organisation)
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert admin_user.has_perm("screening.change_signal")
    assert not admin_user.has_perm("registry.view_person")
    assert "registry" not in ADMIN_MODELS
    body = client.get(reverse("admin:index")).content.decode()
    assert "/admin/registry/" not in body
