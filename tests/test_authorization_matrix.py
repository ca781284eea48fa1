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
    objects.update(_group_work(mediator, trajectory))
    trajectory.refresh_from_db()
    return World(person=person, trajectory=trajectory, objects=objects)


def _group_work(mediator: Any, trajectory: Trajectory) -> dict[str, Any]:
    """The person in a group of another programme: enrolled, placed, with attendance, an
    observation, POP input and a network map."""
    from tandem.groupwork import services as gservices
    from tandem.groupwork.services_network import network_map_save
    from tandem.programmes.services import project_upsert

    partner = OrganisationFactory(
        name="Groep Intro Brugge",
        code="groep-intro-matrix",
        kind=OrganisationKind.GROUP_WORK_PARTNER,
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username="matrix_coach")
    project = project_upsert(
        acting_user=None,
        code="esf478-matrix",
        name="Groepswerk Brugge",
        promoter=partner,
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=400),
        budget=1000,
    )
    programme = gservices.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk Brugge",
        province="west_vlaanderen",
        coaches=[coach],
    )
    module = gservices.module_save(
        acting_user=None,
        programme=programme,
        name="Zelfinzicht",
        theme="self_insight",
        session_count=4,
    )
    intake = gservices.intake_plan(
        acting_user=None,
        module=module,
        starts_on=TODAY - dt.timedelta(days=7),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
        coach=coach,
    )
    enrolment = gservices.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module, on=TODAY - dt.timedelta(days=10)
    )
    enrolment = gservices.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=True, on=TODAY - dt.timedelta(days=9)
    )
    session = intake.sessions.order_by("number").first()
    gservices.attendance_record(
        acting_user=coach, session=session, statuses={enrolment.pk: "present"}
    )
    pop_input = gservices.pop_input_write(
        acting_user=coach, enrolment=enrolment, job_target="Magazijnier", perspective="nec"
    )
    gservices.note_write(acting_user=coach, enrolment=enrolment, text="Neemt het woord in de groep")
    network_map = network_map_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="start",
        ties=[{"label": "Zus", "kind": "person", "relation": "family", "strength": 3}],
    )
    return {
        "coach": coach,
        "programme": programme,
        "module": module,
        "intake": intake,
        "session": session,
        "enrolment": enrolment,
        "pop_input": pop_input,
        "network_map": network_map,
    }


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
    # Group work (tandem.groupwork): the catalogue holds no person; a group, its sessions'
    # attendance lists and the requests are the programme's coaches'; an enrolment is reached
    # through the coach's programmes or the trajectory.
    "groupwork:programme_list": lambda w: ("GET", "/groupwork/", {}),
    "groupwork:programme_detail": lambda w: (
        "GET",
        f"/groupwork/programmes/{w.objects['programme'].pk}/",
        {},
    ),
    "groupwork:module_create": lambda w: (
        "GET",
        f"/groupwork/programmes/{w.objects['programme'].pk}/modules/new/",
        {},
    ),
    "groupwork:module_edit": lambda w: (
        "GET",
        f"/groupwork/modules/{w.objects['module'].pk}/edit/",
        {},
    ),
    "groupwork:intake_create": lambda w: (
        "GET",
        f"/groupwork/modules/{w.objects['module'].pk}/intakes/new/",
        {},
    ),
    "groupwork:intake_detail": lambda w: (
        "GET",
        f"/groupwork/groups/{w.objects['intake'].pk}/",
        {},
    ),
    "groupwork:session_edit": lambda w: (
        "GET",
        f"/groupwork/sessions/{w.objects['session'].pk}/edit/",
        {},
    ),
    "groupwork:attendance": lambda w: (
        "GET",
        f"/groupwork/sessions/{w.objects['session'].pk}/attendance/",
        {},
    ),
    "groupwork:request_inbox": lambda w: ("GET", "/groupwork/requests/", {}),
    "groupwork:figures": lambda w: ("GET", "/groupwork/figures/", {}),
    "groupwork:enrolment_create": lambda w: (
        "GET",
        f"/groupwork/enrol/{w.trajectory.public_id}/",
        {},
    ),
    "groupwork:enrolment_detail": lambda w: (
        "GET",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/",
        {},
    ),
    "groupwork:enrolment_decide": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/decide/",
        {"decide-decision": "accept"},
    ),
    "groupwork:enrolment_leave": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/leave/",
        {"leave-reason": "work", "leave-on": TODAY.isoformat()},
    ),
    "groupwork:enrolment_complete": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/complete/",
        {},
    ),
    "groupwork:dropout_acknowledge": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/dropout-seen/",
        {},
    ),
    "groupwork:note_create": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/notes/new/",
        {"note-text": "x"},
    ),
    "groupwork:pop_input_create": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/pop-input/new/",
        {"pop-job_target": "x"},
    ),
    "groupwork:pop_input_adopt": lambda w: (
        "POST",
        f"/groupwork/pop-input/{w.objects['pop_input'].pk}/adopt/",
        {},
    ),
    # The social network map: seen by the programme's coaches and the trajectory's side,
    # drawn by the coaches only.
    "groupwork:network_maps": lambda w: (
        "GET",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/network/",
        {},
    ),
    "groupwork:network_map_edit": lambda w: (
        "GET",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/network/start/",
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
    # Calls and projects (tandem.programmes): figures only, for programme managers and admins.
    "programmes:call_list": lambda w: ("GET", "/programmes/", {}),
    "programmes:project_detail": lambda w: (
        "GET",
        f"/programmes/projects/{w.objects['programme'].project.code}/",
        {},
    ),
    "programmes:project_indicators": lambda w: (
        "GET",
        f"/programmes/projects/{w.objects['programme'].project.code}/indicators/",
        {},
    ),
    "programmes:dashboard": lambda w: ("GET", "/programmes/dashboard/", {}),
    # Data-quality checks (tandem.outcomes): record references, no person.
    "outcomes:quality": lambda w: ("GET", "/outcomes/quality/", {}),
    # The outcome dashboard (tandem.outcomes): aggregates only, small counts suppressed.
    "outcomes:dashboard": lambda w: ("GET", "/outcomes/", {}),
    # The yearly report (tandem.outcomes): PDF and XLSX of aggregates, small counts suppressed.
    "outcomes:report_pdf": lambda w: ("GET", "/outcomes/report/pdf/", {}),
    "outcomes:report_xlsx": lambda w: ("GET", "/outcomes/report/xlsx/", {}),
    # Outreach (tandem.outreach): another team's pseudonymous prospect is 404 for everyone;
    # the contact form, lists, find places and the funnel show only the user's own team.
    "outreach:contact_new": lambda w: ("GET", "/outreach/", {}),
    "outreach:prospect_list": lambda w: ("GET", "/outreach/prospects/", {}),
    "outreach:prospect_detail": lambda w: (
        "GET",
        f"/outreach/prospects/{_outreach(w)['prospect'].public_id}/",
        {},
    ),
    "outreach:prospect_convert": lambda w: (
        "POST",
        f"/outreach/prospects/{_outreach(w)['prospect'].public_id}/register/",
        {
            "first_name": "Nieuw",
            "last_name": "Persoon",
            "birth_date": "1990-01-01",
            "gender": "F",
            "municipality": "Brugge",
            "province": "west_vlaanderen",
            "registration": "non_active",
            "benefit": "none",
            "nationality_group": "belgian",
            "office": w.person.organisation_id,
            "consent": "on",
            "evidence": "signed_form",
        },
    ),
    "outreach:place_list": lambda w: ("GET", "/outreach/places/", {}),
    "outreach:place_create": lambda w: ("GET", "/outreach/places/new/", {}),
    "outreach:funnel": lambda w: ("GET", "/outreach/funnel/", {}),
}


def _outreach(w: World) -> dict[str, Any]:
    """An outreach team of another organisation with a find place and a prospect named like
    the secret person (so a list that leaked it would show it), made on first use."""
    if "outreach" not in w.objects:
        from tandem.outreach.services import contact_log, place_save

        team = OrganisationFactory(
            name="Outreach Brugge",
            code="outreach-brugge-matrix",
            kind=OrganisationKind.OUTREACH_PARTNER,
        )
        worker = make_user(Role.OUTREACH_WORKER, organisation=team, username="matrix_outreach")
        place = place_save(
            acting_user=worker, kind="school_gate", name="Schoolpoort Brugge", municipality="Brugge"
        )
        moment = contact_log(acting_user=worker, place=place, nickname=SECRET_LAST)
        w.objects["outreach"] = {"worker": worker, "place": place, "prospect": moment.prospect}
    return w.objects["outreach"]


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
        # The group-work catalogue and planning pages show no person; the coach's inbox shows
        # only the coach's own programmes.
        "groupwork:programme_list",
        "groupwork:programme_detail",
        "groupwork:module_create",
        "groupwork:module_edit",
        "groupwork:intake_create",
        "groupwork:session_edit",
        "groupwork:request_inbox",
        # Group-work figures: aggregates only, no person.
        "groupwork:figures",
        # Outreach: the user's own team only; the funnel holds aggregates.
        "outreach:contact_new",
        "outreach:prospect_list",
        "outreach:place_list",
        "outreach:place_create",
        "outreach:funnel",
        # Calls, projects, budgets and targets: figures only, no person.
        "programmes:call_list",
        "programmes:project_detail",
        # ESF+ indicators: counts only, 1–4 suppressed.
        "programmes:project_indicators",
        # The programme dashboard: aggregates only, 1–4 suppressed.
        "programmes:dashboard",
        # Data-quality findings: record references and counts, no person.
        "outcomes:quality",
        "outcomes:dashboard",
        # The yearly report: aggregates only, small counts suppressed.
        "outcomes:report_pdf",
        "outcomes:report_xlsx",
    }


@pytest.mark.django_db
def test_the_owner_reaches_every_page(client, world):
    """The matrix is only meaningful if the same requests do work for the rightful user."""
    owner = world.trajectory.lead_mediator
    # Pages that belong to another role of the same organisation.
    rightful = {
        "trajectories:expert_request_respond": world.objects["expert"],
        "groupwork:figures": world.objects["coach"],
        "groupwork:network_map_edit": world.objects["coach"],
    }
    coach = world.objects["coach"]
    for name in (
        "groupwork:module_create",
        "groupwork:module_edit",
        "groupwork:intake_create",
        "groupwork:intake_detail",
        "groupwork:session_edit",
        "groupwork:attendance",
        "groupwork:request_inbox",
    ):
        rightful[name] = coach
    for name in (
        "outreach:contact_new",
        "outreach:prospect_list",
        "outreach:prospect_detail",
        "outreach:prospect_convert",
        "outreach:place_list",
        "outreach:place_create",
        "outreach:funnel",
    ):
        rightful[name] = _outreach(world)["worker"]
    # No programme manager in the world: one of another organisation has the same figures.
    manager = make_user(Role.PROGRAMME_MANAGER, username="matrix_programme_manager")
    for name in ("programmes:call_list", "programmes:project_detail"):
        rightful[name] = manager
    rightful["programmes:project_indicators"] = manager
    rightful["programmes:dashboard"] = manager
    rightful["outcomes:quality"] = manager
    rightful["outcomes:dashboard"] = manager
    rightful["outcomes:report_pdf"] = manager
    rightful["outcomes:report_xlsx"] = manager
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
