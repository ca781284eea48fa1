"""The authorization matrix (QUALITY.md, ASVS V8.2.2 / V8.4.1).

Every URL pattern of the project × every role × an object of another organisation: the
answer is 403 or 404 (or, for pages that list or search, a page without that organisation's
person), and the body never contains the other person's name or national number. A route that
is not in ROUTES (nor explicitly exempted) fails ``test_every_route_is_in_the_matrix``: adding a
route means deciding here how it is protected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.registry.models import Person
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Trajectory
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()
SECRET_FIRST, SECRET_LAST = "Verborgen", "Zwartkopvandenberghe"


@dataclass
class World:
    """Another organisation's person with one of everything."""

    person: Person
    trajectory: Trajectory
    objects: dict[str, Any]


def _other_world() -> World:
    org = OrganisationFactory(
        name="VDAB Brugge",
        code="vdab-brugge-matrix",
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )
    ocmw = OrganisationFactory(
        name="OCMW Brugge", code="ocmw-brugge-matrix", kind=OrganisationKind.OCMW
    )
    mediator = make_user(Role.MEDIATOR, organisation=org, username="matrix_owner")
    partner = make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="matrix_partner")
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=org, username="matrix_expert")
    person = make_person(mediator, first_name=SECRET_FIRST, last_name=SECRET_LAST)
    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "psychische-klachten"],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=TODAY - dt.timedelta(days=30),
    )
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        screening=screening,
        start_date=TODAY - dt.timedelta(days=20),
        status="active",
    )
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    goal = tservices.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="income", description="Schulden"
    )
    action = tservices.action_create(
        acting_user=mediator, goal=goal, description="Budget", owner="client"
    )
    tservices.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="mental_health",
        text="Vertrouwelijk",
    )
    request = tservices.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Steun"
    )
    tservices.expert_support_respond(acting_user=expert, request=request, accept=True)
    objects: dict[str, Any] = {
        "screening": screening,
        "goal": goal,
        "action": action,
        "expert_request": request,
        "expert": expert,
    }
    try:
        from tandem.trajectories.services_pop import pop_draft

        objects["pop"] = pop_draft(
            acting_user=mediator, trajectory=trajectory, job_target="Magazijnier", perspective="nec"
        )
    except ImportError:  # pragma: no cover - the POP module is part of the project
        pass
    from tandem.trajectories.services_jobcoaching import (
        employer_create,
        job_coaching_start,
        job_start_record,
    )

    employer = employer_create(acting_user=mediator, name="Haven Brugge", municipality="Brugge")
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=TODAY - dt.timedelta(days=40),
        contract_type="permanent",
    )
    coaching = job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=mediator,
        employer_consent_on=TODAY - dt.timedelta(days=40),
        started_on=TODAY - dt.timedelta(days=30),
    )
    objects.update(job=job, coaching=coaching, check=job.retention.first())
    from tandem.network.services import consent_give

    objects["consent"] = consent_give(
        acting_user=mediator,
        person=person,
        recipient_organisation=ocmw,
        domains=["income", "housing"],
        purpose="Begeleiding",
        evidence="signed_form",
    )
    # A referral of a housing action to the OCMW's service, with the consent above.
    from tandem.network.models import Service
    from tandem.network.services_referral import referral_send

    housing = tservices.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Woning"
    )
    objects["referral"] = referral_send(
        acting_user=mediator,
        action=tservices.action_create(
            acting_user=mediator, goal=housing, description="SVK", owner="client"
        ),
        service=Service.objects.create(organisation=ocmw, name="Woonbegeleiding Brugge"),
        question="Woonbegeleiding?",
    )
    trajectory.refresh_from_db()
    return World(person=person, trajectory=trajectory, objects=objects)


# name → function(world) → (method, url, data). Collection pages get a request that would
# reveal the other person if scoping failed (a search for their name, for example).
Call = Callable[[World], tuple[str, str, dict[str, Any]]]


def _t(path: str, method: str = "GET", data: dict[str, Any] | None = None) -> Call:
    return lambda w: (method, f"/trajectories/{w.trajectory.public_id}/{path}", data or {})


def _directory(w: World) -> Any:
    """A directory service of the person's organisation at one location, made on first use."""
    if "directory_link" not in w.objects:
        from tandem.network.services_directory import service_create, service_location_add

        service = service_create(
            acting_user=None,
            organisation=w.person.organisation,
            name="Jobclub Brugge",
            life_domains=["work_education"],
        )
        w.objects["directory_link"] = service_location_add(
            acting_user=None,
            service=service,
            address_1="Markt 1",
            postal_code="8000",
            city="Brugge",
        )
    return w.objects["directory_link"]


def _d(path: str, method: str = "GET") -> Call:
    return lambda w: (method, f"/directory/services/{_directory(w).service_id}/{path}", {})


ROUTES: dict[str, Call] = {
    # Lists and searches: must not show the other organisation's person.
    "common:home": lambda w: ("GET", "/", {}),
    # A part of the name that would find the person; the form echoes it, not the full name.
    "registry:person_search": lambda w: ("POST", "/persons/", {"text": SECRET_LAST[:12]}),
    "registry:person_create": lambda w: ("GET", "/persons/new/", {}),
    "trajectories:caseload": lambda w: ("GET", "/trajectories/caseload/?mine=", {}),
    # One person's pages.
    "registry:person_detail": lambda w: ("GET", f"/persons/{w.person.public_id}/", {}),
    "registry:person_edit": lambda w: ("GET", f"/persons/{w.person.public_id}/edit/", {}),
    "registry:household_edit": lambda w: ("GET", f"/persons/{w.person.public_id}/household/", {}),
    "screening:screening_create": lambda w: (
        "GET",
        f"/screenings/persons/{w.person.public_id}/new/",
        {},
    ),
    "screening:screening_detail": lambda w: (
        "GET",
        f"/screenings/{w.objects['screening'].public_id}/",
        {},
    ),
    "screening:screening_route": lambda w: (
        "POST",
        f"/screenings/{w.objects['screening'].public_id}/route/",
        {"route": "regular", "reason": "x"},
    ),
    "screening:screening_refer": lambda w: (
        "POST",
        f"/screenings/{w.objects['screening'].public_id}/refer/",
        {},
    ),
    "trajectories:trajectory_start": lambda w: (
        "GET",
        f"/trajectories/start/{w.person.public_id}/",
        {},
    ),
    "trajectories:trajectory_detail": _t(""),
    "trajectories:trajectory_transition": _t(
        "status/", "POST", {"to_status": "paused", "reason": "x"}
    ),
    "trajectories:trajectory_duo": _t("duo/"),
    "trajectories:goal_create": _t(
        "goals/new/", "POST", {"goal-domain": "income", "goal-description": "x"}
    ),
    "trajectories:action_create": lambda w: (
        "POST",
        f"/trajectories/{w.trajectory.public_id}/goals/{w.objects['goal'].pk}/actions/new/",
        {},
    ),
    "trajectories:action_update": lambda w: (
        "POST",
        f"/trajectories/{w.trajectory.public_id}/actions/{w.objects['action'].pk}/",
        {},
    ),
    "trajectories:contact_create": _t("contacts/new/", "POST", {}),
    "trajectories:expert_request": _t("expert/", "POST", {"expert-question": "x"}),
    "trajectories:expert_request_respond": lambda w: (
        "GET",
        f"/trajectories/expert-requests/{w.objects['expert_request'].pk}/",
        {},
    ),
    "trajectories:measurement_readings": _t("readings/"),
    "trajectories:measurement_record": _t("readings/new/"),
    "trajectories:pop_detail": _t("pop/"),
    "trajectories:pop_edit": _t("pop/edit/"),
    "trajectories:pop_version": _t("pop/1/"),
    "trajectories:pop_sign_off": _t("pop/1/sign-off/", "POST", {}),
    "trajectories:pop_pdf": _t("pop/1/pdf/"),
    "trajectories:job_overview": _t("job/"),
    "trajectories:job_start_create": _t("job/new/"),
    "trajectories:job_coaching_start": lambda w: (
        "GET",
        f"/trajectories/{w.trajectory.public_id}/job/{w.objects['job'].pk}/coaching/",
        {},
    ),
    "trajectories:job_end_record": lambda w: (
        "GET",
        f"/trajectories/{w.trajectory.public_id}/job/{w.objects['job'].pk}/end/",
        {},
    ),
    "trajectories:coaching_contact_create": lambda w: (
        "GET",
        f"/trajectories/{w.trajectory.public_id}/job/coaching/"
        f"{w.objects['coaching'].pk}/contacts/new/",
        {},
    ),
    "trajectories:retention_check_record": lambda w: (
        "GET",
        f"/trajectories/{w.trajectory.public_id}/job/retention/{w.objects['check'].pk}/",
        {},
    ),
    # Consent (tandem.network): reading for the roles that work with persons, recording and
    # withdrawing for CONSENT_ROLES; always through the person.
    "network:consent_list": lambda w: ("GET", f"/persons/{w.person.public_id}/consents/", {}),
    "network:consent_withdraw": lambda w: (
        "POST",
        f"/persons/{w.person.public_id}/consents/{w.objects['consent'].public_id}/withdraw/",
        {},
    ),
    "network:consent_pdf": lambda w: (
        "GET",
        f"/persons/{w.person.public_id}/consents/{w.objects['consent'].public_id}/pdf/",
        {},
    ),
    # Referrals (tandem.network): the receiving organisation's inbox and the sender's list
    # show only their own; a referral and the send form are reached through scoping.
    "network:referral_inbox": lambda w: ("GET", "/referrals/inbox/?status=", {}),
    "network:referral_sent": lambda w: ("GET", "/referrals/sent/?status=", {}),
    "network:referral_figures": lambda w: ("GET", "/referrals/figures/", {}),
    "network:referral_send": lambda w: (
        "GET",
        f"/referrals/new/{w.trajectory.public_id}/actions/{w.objects['action'].pk}/",
        {},
    ),
    "network:referral_detail": lambda w: (
        "GET",
        f"/referrals/{w.objects['referral'].public_id}/",
        {},
    ),
    "network:referral_transition": lambda w: (
        "POST",
        f"/referrals/{w.objects['referral'].public_id}/status/",
        {"move-to_status": "accepted"},
    ),
    "network:referral_note": lambda w: (
        "POST",
        f"/referrals/{w.objects['referral'].public_id}/updates/",
        {"update-note": "x"},
    ),
    # Services directory (tandem.network): no personal data; every logged-in user reads it,
    # the organisation's own staff and administrators maintain its entries.
    "network:directory_search": lambda w: ("GET", "/directory/?life_domain=work_education", {}),
    "network:directory_service_create": lambda w: ("GET", "/directory/services/new/", {}),
    "network:directory_service_detail": _d(""),
    "network:directory_service_edit": _d("edit/"),
    "network:directory_location_add": _d("locations/new/"),
    "network:directory_location_remove": lambda w: (
        "POST",
        f"/directory/services/{_directory(w).service_id}/locations/{_directory(w).id}/remove/",
        {},
    ),
    "network:directory_organisation": lambda w: (
        "GET",
        f"/directory/organisations/{w.person.organisation.hsds_id}/",
        {},
    ),
    "network:directory_organisation_edit": lambda w: (
        "GET",
        f"/directory/organisations/{w.person.organisation.hsds_id}/edit/",
        {},
    ),
    # Audit (tandem.audit): a mediator who can see the person and the DPO of the person's
    # organisation; erasure and the access-log search are the DPO's only.
    "audit:person_access": lambda w: ("GET", f"/audit/persons/{w.person.public_id}/access/", {}),
    "audit:person_export_json": lambda w: (
        "GET",
        f"/audit/persons/{w.person.public_id}/export/json/",
        {},
    ),
    "audit:person_export_pdf": lambda w: (
        "GET",
        f"/audit/persons/{w.person.public_id}/export/pdf/",
        {},
    ),
    "audit:person_erase": lambda w: (
        "POST",
        f"/audit/persons/{w.person.public_id}/erase/",
        {"reason": "Verzoek", "confirm": "on"},
    ),
    # The national number with spaces: it would find the person; the form echoes it as typed.
    "audit:access_search": lambda w: (
        "POST",
        "/audit/access/",
        {"person": " ".join((w.person.insz or "")[i : i + 3] for i in range(0, 11, 3))},
    ),
}

# Routes outside the matrix, and why.
EXEMPT = {
    "set_language": "changes the interface language; no data",
    "accounts:login": "public login form",
    "accounts:logout": "ends the session; no data",
    "accounts:otp_verify": "second login step for the user's own login; no data",
    "accounts:otp_setup": "links the user's own authenticator app; no data",
}
EXEMPT_NAMESPACES = {
    # The Django admin only holds users, organisations and reference data for the admin role;
    # test_admin_has_no_case_content checks that no case model is registered there.
    "admin",
}


def _route_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            if namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{prefix}{namespace}:" if namespace else prefix
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.add(f"{prefix}{pattern.name}")
            else:
                names.add(f"{prefix}<unnamed {pattern.pattern}>")
    return names


def test_every_route_is_in_the_matrix():
    names = _route_names()
    missing = sorted(names - set(ROUTES) - set(EXEMPT))
    assert not missing, (
        f"Routes without an entry in the authorization matrix: {missing}. Add each to ROUTES "
        "in tests/test_authorization_matrix.py (or to EXEMPT with the reason)."
    )
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


def test_admin_has_no_case_content():
    from django.contrib import admin

    case_apps = {"registry", "screening.screening", "trajectories"}
    registered = {f"{m._meta.app_label}" for m in admin.site._registry}
    registered_models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert "registry" not in registered
    assert "trajectories" not in registered
    assert "screening.screening" not in registered_models
    assert case_apps


@pytest.fixture
def world(db):
    return _other_world()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(Role.values))
def test_no_role_reaches_another_organisations_person(client, world, role):
    org = OrganisationFactory(name="VDAB Gent", code="vdab-gent-matrix")
    user = make_user(role, organisation=org, username=f"matrix_{role}")
    client.force_login(user)
    leaks = []
    for name, call in sorted(ROUTES.items()):
        method, url, data = call(world)
        response = client.post(url, data) if method == "POST" else client.get(url)
        body = response.content.decode(errors="replace")
        revealed = [
            s
            for s in (SECRET_LAST, world.person.insz or "", world.person.insz_formatted)
            if s and s in body
        ]
        if revealed:
            leaks.append(f"{name} ({response.status_code}) shows {revealed}")
        if not _collection(name) and response.status_code not in (403, 404, 405):
            leaks.append(f"{name} answered {response.status_code}, expected 403 or 404")
    assert not leaks, f"role {role}: " + "; ".join(leaks)


def _collection(name: str) -> bool:
    return name in {
        "common:home",
        "registry:person_search",
        "registry:person_create",
        "trajectories:caseload",
        "audit:access_search",
        # The services directory shows no person at all.
        "network:directory_search",
        "network:directory_service_create",
        "network:directory_service_detail",
        "network:directory_service_edit",
        "network:directory_location_add",
        "network:directory_location_remove",
        "network:directory_organisation",
        "network:directory_organisation_edit",
        "network:referral_inbox",
        "network:referral_sent",
        "network:referral_figures",
    }


@pytest.mark.django_db
def test_the_owner_reaches_every_page(client, world):
    """The matrix is only meaningful if the same requests do work for the rightful user."""
    owner = world.trajectory.lead_mediator
    # Pages that belong to another role of the same organisation.
    rightful = {"trajectories:expert_request_respond": world.objects["expert"]}
    failures = []
    for name, call in sorted(ROUTES.items()):
        method, url, _data = call(world)
        if method != "GET":
            continue
        client.force_login(rightful.get(name, owner))
        status = client.get(url).status_code
        if status not in (200, 302):
            failures.append(f"{name}: {status}")
    assert not failures
