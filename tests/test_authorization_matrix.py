"""The authorization matrix (QUALITY.md, ASVS V8.2.2 / V8.4.1).

Every URL pattern of the project that takes an id × both methods (GET and a POST with a valid
CSRF token) × every role × every attacker relation — another organisation, the same
organisation without a relation to the person, a duo partner whose consent was withdrawn, and
mixed ids (my trajectory with another trajectory's action) — gets the answer the README's
"Who sees what" promises: 404 for an object out of the user's scope, 403 for a role that may
not use the page at all (405 for a method the page does not take), and the request writes
nothing (every INSERT, UPDATE and DELETE it sends to the database is caught). Bodies never show
the other person's name or national number, nor a special-category note to anyone outside the
duo. The same pages do open for each rightful user (lead mediator, welfare partner of the duo,
experience expert, job coach, group coach, the outreach worker who registered the person, the
data-protection officer), and the admin's object pages answer every role as the admin should.

The route list is complete by construction: every pattern of ``config.urls`` with a converter
(the admin's included) must have an entry here, or ``test_every_route_is_in_the_matrix`` fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.accounts.models import Role
from tests.authz_world import TODAY, World, build_world
from tests.factories import OrganisationFactory, make_user

SECRET_LAST = "Zwartkopvandenberghe"  # the home world's person
OTHER_LAST = "Zilverbergdammeke"  # the other world's person
ROLES = sorted(Role.values)

# name → function(world) → (method, url, data): the method the page is mostly used with and the
# data that would change something if the request were let through. Both GET and POST are sent.
Call = Callable[[World], tuple[str, str, dict[str, Any]]]


def _t(path: str, method: str = "GET", data: dict[str, Any] | None = None) -> Call:
    return lambda w: (method, f"/trajectories/{w.trajectory.public_id}/{path}", data or {})


def _directory(w: World) -> Any:
    return w.objects["directory_link"]


def _d(path: str, method: str = "GET") -> Call:
    return lambda w: (method, f"/directory/services/{_directory(w).service_id}/{path}", {})


def _outreach(w: World) -> dict[str, Any]:
    return {"prospect": w.objects["prospect"], "worker": w.objects["outreach_worker"]}


ROUTES: dict[str, Call] = {
    # Lists and searches: must not show the other organisation's person.
    "home:home": lambda w: ("GET", "/", {}),
    # The week of one's own planned contacts and coached sessions (issue 18).
    "home:agenda": lambda w: ("GET", "/agenda/", {}),
    # The user's own notifications (issue 18): a person only if the user may see them.
    "notifications:list": lambda w: ("GET", "/notifications/", {}),
    # A part of the name that would find the person; the form echoes it, not the full name.
    "registry:person_search": lambda w: ("POST", "/persons/", {"text": SECRET_LAST[:12]}),
    "registry:person_create": lambda w: ("GET", "/persons/new/", {}),
    "trajectories:caseload": lambda w: ("GET", "/trajectories/caseload/?mine=", {}),
    # One person's pages.
    "registry:person_detail": lambda w: ("GET", f"/persons/{w.person.public_id}/", {}),
    "registry:person_edit": lambda w: ("GET", f"/persons/{w.person.public_id}/edit/", {}),
    "registry:household_edit": lambda w: ("GET", f"/persons/{w.person.public_id}/household/", {}),
    # The office's intake queue (issue 18): take the world's waiting item.
    "registry:intake_queue": lambda w: ("GET", "/persons/intake/", {}),
    "registry:intake_decide": lambda w: (
        "POST",
        f"/persons/intake/{w.objects['office_intake'].public_id}/",
        {f"i{w.objects['office_intake'].public_id.hex[:12]}-decision": "take"},
    ),
    # One's own notification (issue 18): marked read and opened by its recipient only.
    "notifications:read": lambda w: (
        "POST",
        f"/notifications/{w.objects['notification'].pk}/read/",
        {"open": "1"},
    ),
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
    # An unknown project: a form error, nothing written (issue 17).
    "trajectories:trajectory_project": _t("project/", "POST", {"project": "999999"}),
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
    # Issue 18, agenda: plan a contact; a planned contact cancelled or missed.
    "trajectories:contact_plan": _t("contacts/plan/", "POST", {}),
    "trajectories:contact_status": lambda w: (
        "POST",
        f"/trajectories/{w.trajectory.public_id}/contacts/"
        f"{w.objects['planned_contact'].pk}/status/",
        {},
    ),
    # The printed day list of one's own planned contacts: another organisation's never in it.
    "home:agenda_day_pdf": lambda w: ("GET", f"/agenda/{TODAY.isoformat()}/print/", {}),
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
    "trajectories:pop_reroute_justify": _t("pop/1/reroute/", "POST", {"reason": "x"}),
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
    "groupwork:self_assessment_edit": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/self-assessment/start/",
        {
            "assessed_on": TODAY.isoformat(),
            "with_participant": "on",
            **dict.fromkeys(
                ("self_worth", "own_strengths", "belonging", "setbacks", "grip", "energy"), "3"
            ),
        },
    ),
    "groupwork:enrolment_expert": lambda w: (
        "POST",
        f"/groupwork/enrolments/{w.objects['enrolment'].public_id}/expert/",
        {"question": "Mee naar het gesprek bij de werkgever?"},
    ),
    # Audit (tandem.audit): a mediator who can see the person and the DPO of the person's
    # organisation; erasure and the access-log search are the DPO's only.
    "privacy:person_access": lambda w: ("GET", f"/audit/persons/{w.person.public_id}/access/", {}),
    "privacy:person_export_json": lambda w: (
        "GET",
        f"/audit/persons/{w.person.public_id}/export/json/",
        {},
    ),
    "privacy:person_export_pdf": lambda w: (
        "GET",
        f"/audit/persons/{w.person.public_id}/export/pdf/",
        {},
    ),
    "privacy:person_erase": lambda w: (
        "POST",
        f"/audit/persons/{w.person.public_id}/erase/",
        {"reason": "Verzoek", "confirm": "on"},
    ),
    # The national number with spaces: it would find the person; the form echoes it as typed.
    "privacy:access_search": lambda w: (
        "POST",
        "/audit/access/",
        {"person": " ".join((w.person.insz or "")[i : i + 3] for i in range(0, 11, 3))},
    ),
    # The DPO's register of data-subject requests (issue 18): their organisation's requests
    # only. The register form finds the person by national number (posted, with spaces: the
    # form echoes it as typed); without the kind of request it records nothing. Refusing
    # without a reason changes nothing.
    "privacy:request_list": lambda w: ("GET", "/audit/requests/?show=all", {}),
    "privacy:request_create": lambda w: (
        "POST",
        "/audit/requests/new/",
        {
            "person": " ".join((w.person.insz or "")[i : i + 3] for i in range(0, 11, 3)),
            "channel": "letter",
        },
    ),
    "privacy:request_detail": lambda w: (
        "POST",
        f"/audit/requests/{w.objects['subject_request'].public_id}/",
        {"action": "refuse", "text": ""},
    ),
    # Calls and projects (tandem.programmes): figures only, for programme managers and admins.
    "programmes:call_list": lambda w: ("GET", "/programmes/", {}),
    "programmes:project_detail": lambda w: (
        "GET",
        f"/programmes/projects/{w.objects['programme'].project.code}/",
        {},
    ),
    # A programme manager records a funding exception (issue 17); without a reason: refused.
    "programmes:funding_exception_create": lambda w: (
        "POST",
        f"/programmes/projects/{w.objects['programme'].project.code}/funding-exceptions/new/",
        {"trajectory": str(w.trajectory.public_id), "kind": "group_work", "reason": ""},
    ),
    "reporting:project_indicators": lambda w: (
        "GET",
        f"/programmes/projects/{w.objects['programme'].project.code}/indicators/",
        {},
    ),
    "reporting:programme_dashboard": lambda w: ("GET", "/programmes/dashboard/", {}),
    # Data-quality checks (tandem.outcomes): record references, no person.
    "outcomes:quality": lambda w: ("GET", "/outcomes/quality/", {}),
    # The outcome dashboard (tandem.reporting): aggregates only, small counts suppressed.
    "reporting:outcomes_dashboard": lambda w: ("GET", "/outcomes/", {}),
    # The yearly report (tandem.reporting): PDF and XLSX of aggregates, small counts suppressed.
    "reporting:report_pdf": lambda w: ("GET", "/outcomes/report/pdf/", {}),
    "reporting:report_xlsx": lambda w: ("GET", "/outcomes/report/xlsx/", {}),
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
    # The user's own password: no one else's data; a POST without the old password is refused.
    "passwords:password_change": lambda w: (
        "POST",
        "/accounts/password_change/",
        {"new_password1": "Nieuw-zomerfietspad-77", "new_password2": "Nieuw-zomerfietspad-77"},
    ),
    # A reset link that was never issued (a forged token for the person's lead mediator).
    "passwords:password_reset": lambda w: (
        "POST",
        f"/accounts/reset/MQ/{w.users['lead'].pk}-notavalidtoken/",
        {"new_password1": "Nieuw-zomerfietspad-77", "new_password2": "Nieuw-zomerfietspad-77"},
    ),
}


# Routes outside the matrix, and why.
EXEMPT = {
    "set_language": "changes the interface language; no data",
    "accounts:login": "public login form",
    "accounts:logout": "ends the session; no data",
    "accounts:otp_verify": "second login step for the user's own login; no data",
    "accounts:otp_setup": "links the user's own authenticator app; no data",
    "accounts:recovery_codes": "the user's own recovery codes, after a confirmed login; no data",
    "otp_webauthn:credential-registration-begin": "the user's own passkey; no data",
    "otp_webauthn:credential-registration-complete": "the user's own passkey; no data",
    "otp_webauthn:credential-authentication-begin": "confirms the user's own login; no data",
    "otp_webauthn:credential-authentication-complete": "confirms the user's own login; no data",
    "otp_webauthn:js-i18n-catalog": "the passkey script's translations; no data",
    # Issue 18: a user's own notifications, without an id (tests/notifications).
    "notifications:read_all": "marks the user's own notifications read; shows nothing",
    "notifications:digest": "the user's own choice of a daily e-mail digest; no data",
}


# Mixed ids: the home world's parent object with the other world's child (and the reverse where
# the route has two ids). name → function(home, other) → url. Sent as the home lead mediator
# (or the home user who may use the page): every one is 404, nothing is written.
Mixed = Callable[[World, World], str]
MIXED: dict[str, Mixed] = {
    "trajectories:action_create": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/goals/{o.objects['goal'].pk}/actions/new/"
    ),
    "trajectories:action_update": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/actions/{o.objects['action'].pk}/"
    ),
    "trajectories:contact_status": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/contacts/{o.objects['planned_contact'].pk}/status/"
    ),
    "trajectories:job_coaching_start": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/job/{o.objects['job'].pk}/coaching/"
    ),
    "trajectories:job_end_record": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/job/{o.objects['job'].pk}/end/"
    ),
    "trajectories:coaching_contact_create": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/job/coaching/{o.objects['coaching'].pk}"
        "/contacts/new/"
    ),
    "trajectories:retention_check_record": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/job/retention/{o.objects['check'].pk}/"
    ),
    "network:consent_withdraw": lambda h, o: (
        f"/persons/{h.person.public_id}/consents/{o.objects['consent'].public_id}/withdraw/"
    ),
    "network:consent_pdf": lambda h, o: (
        f"/persons/{h.person.public_id}/consents/{o.objects['consent'].public_id}/pdf/"
    ),
    "network:referral_send": lambda h, o: (
        f"/referrals/new/{h.trajectory.public_id}/actions/{o.objects['referral_action'].pk}/"
    ),
    "network:referral_send (their trajectory, my action)": lambda h, o: (
        f"/referrals/new/{o.trajectory.public_id}/actions/{h.objects['referral_action'].pk}/"
    ),
    "network:directory_location_remove": lambda h, o: (
        f"/directory/services/{_directory(h).service_id}/locations/{_directory(o).id}/remove/"
    ),
    "trajectories:pop_version (a version that does not exist)": lambda h, o: (
        f"/trajectories/{h.trajectory.public_id}/pop/99/"
    ),
    "groupwork:network_map_edit (a moment that does not exist)": lambda h, o: (
        f"/groupwork/enrolments/{h.objects['enrolment'].public_id}/network/nooit/"
    ),
}


# ---------------------------------------------------------------------------------------------
# Sending a request and catching what it writes


CSRF_TOKEN = "MatrixCsrfToken0123456789abcdef0"  # a 32-character secret: cookie and form agree
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
NOT_DATA = {"django_session"}  # the login session itself


@dataclass
class Answer:
    status: int
    location: str
    body: str
    writes: list[str]


def _client(user: Any) -> Client:
    """A client that checks CSRF like a browser would meet it, with a valid token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return client


def _send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Answer:
    """Send one request inside a savepoint that is rolled back, so no request changes the
    world for the next one, and return the tables it wrote to."""
    connection.queries_log.clear()  # a full log (9,000 queries) would capture nothing
    with CaptureQueriesContext(connection) as queries:
        savepoint = transaction.savepoint()
        try:
            if method == "POST":
                response = client.post(url, {**(data or {}), "csrfmiddlewaretoken": CSRF_TOKEN})
            else:
                response = client.get(url)
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            else:
                content = response.content
        finally:
            transaction.savepoint_rollback(savepoint)
    writes = sorted(
        {
            match.group(1)
            for query in queries.captured_queries
            if (match := WRITE.match(query["sql"])) and match.group(1) not in NOT_DATA
        }
    )
    return Answer(
        response.status_code,
        response.get("Location", ""),
        content.decode(errors="replace"),
        writes,
    )


# ---------------------------------------------------------------------------------------------
# Completeness


def _patterns(resolver: URLResolver | None = None, prefix: str = "", route: str = ""):
    """Yield (name, route) for every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            inner = f"{prefix}{namespace}:" if namespace else prefix
            yield from _patterns(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            full = route + str(pattern.pattern)
            yield (f"{prefix}{pattern.name}" if pattern.name else f"{prefix}<{full}>"), full


def _takes_id(route: str) -> bool:
    return "<" in route


def _id_routes() -> dict[str, str]:
    return {name: route for name, route in _patterns() if _takes_id(route)}


def test_every_route_is_in_the_matrix():
    names = {name for name, _route in _patterns()}
    # The API's routes have a matrix of their own (tests/api/test_matrix.py: scopes, tokens).
    ours = {name for name in names if not name.startswith(("admin:", "api:"))}
    missing = sorted(ours - set(ROUTES) - set(EXEMPT))
    assert not missing, (
        f"Routes without an entry in the authorization matrix: {missing}. Add each to ROUTES "
        "in tests/test_authorization_matrix.py (or to EXEMPT with the reason)."
    )
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"
    id_routes = {name for name in _id_routes() if not name.startswith(("admin:", "api:"))}
    without = sorted(id_routes - set(EXPECTED))
    assert not without, f"Id routes without an expected answer per role in EXPECTED: {without}"
    assert not sorted(set(EXPECTED) - id_routes), "EXPECTED names a route that takes no id"
    admin_routes = {route for name, route in _id_routes().items() if name.startswith("admin:")}
    unknown = sorted(r for r in admin_routes if not _admin_kind(r))
    assert not unknown, f"Admin routes with an id that the admin matrix does not send: {unknown}"


def test_admin_has_no_case_content():
    from django.contrib import admin

    registered = {m._meta.app_label for m in admin.site._registry}
    registered_models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert "registry" not in registered
    assert "trajectories" not in registered
    assert "screening.screening" not in registered_models


# ---------------------------------------------------------------------------------------------
# The worlds


@pytest.fixture
def worlds(db) -> tuple[World, World]:
    return build_world("brugge", SECRET_LAST), build_world("kortrijk", OTHER_LAST)


def _revealed(world: World, body: str) -> list[str]:
    insz = world.person.insz or ""
    formatted = world.person.insz_formatted or ""
    return [s for s in (world.secrets["name"], insz, formatted) if s and s in body]


def _call(name: str, world: World) -> tuple[str, str, dict[str, Any]]:
    return ROUTES[name](world)


# ---------------------------------------------------------------------------------------------
# What each role gets for another organisation's object (and for the same organisation's
# object without a relation): per id route and method, the answer every role gets, with the
# roles that get another answer. 404: the role may use the page, but the object is not in its
# scope (or does not exist); 403: the role may not use the page at all; 405: the page does not
# take the method. 200/302/400 only for pages without personal data that the role maintains or
# reads for every organisation (the services directory: administrators; the group-work
# catalogue: read by the roles that enrol or coach, planned by programme managers —
# README "Group work"; projects and indicators: programme managers and administrators).
M, SL, WP = Role.MEDIATOR.value, Role.SERVICE_LINE.value, Role.WELFARE_PARTNER.value
OW, EE, JC = Role.OUTREACH_WORKER.value, Role.EXPERIENCE_EXPERT.value, Role.JOB_COACH.value
GC, PM, AD = Role.GROUP_COACH.value, Role.PROGRAMME_MANAGER.value, Role.ADMIN.value
DPO = Role.DATA_PROTECTION_OFFICER.value
Answers = int | tuple[int, dict[int, set[str]]]

EXPECTED: dict[str, dict[str, Answers]] = {
    "privacy:person_access": {"GET": (403, {404: {M, DPO}}), "POST": 405},
    "privacy:person_erase": {"GET": (403, {404: {DPO}}), "POST": (403, {404: {DPO}})},
    "privacy:person_export_json": {"GET": (403, {404: {M, DPO}}), "POST": 405},
    "privacy:person_export_pdf": {"GET": (403, {404: {M, DPO}}), "POST": 405},
    "privacy:request_detail": {"GET": (403, {404: {DPO}}), "POST": (403, {404: {DPO}})},
    "groupwork:attendance": {"GET": (403, {404: {GC}}), "POST": (403, {404: {GC}})},
    "groupwork:dropout_acknowledge": {"GET": 405, "POST": (403, {404: {M}})},
    "groupwork:enrolment_complete": {"GET": 405, "POST": (403, {404: {GC}})},
    "groupwork:enrolment_create": {"GET": (403, {404: {M}}), "POST": (403, {404: {M}})},
    "groupwork:enrolment_decide": {"GET": 405, "POST": (403, {404: {GC}})},
    "groupwork:enrolment_detail": {"GET": (403, {404: {M, WP, GC}}), "POST": 405},
    "groupwork:enrolment_leave": {"GET": 405, "POST": (403, {404: {M, GC}})},
    "groupwork:intake_create": {"GET": (403, {200: {PM}}), "POST": (403, {400: {PM}})},
    "groupwork:intake_detail": {"GET": (403, {404: {GC}}), "POST": 405},
    "groupwork:module_create": {"GET": (403, {200: {PM}}), "POST": (403, {400: {PM}})},
    "groupwork:module_edit": {"GET": (403, {200: {PM}}), "POST": (403, {400: {PM}})},
    "groupwork:network_map_edit": {
        "GET": (403, {404: {M, WP, GC}}),
        "POST": (403, {404: {M, WP, GC}}),
    },
    "groupwork:network_maps": {"GET": (403, {404: {M, WP, GC}}), "POST": 405},
    # The self-assessment: who may fill it in is who may draw the network map (issue 17).
    "groupwork:self_assessment_edit": {
        "GET": (403, {404: {M, WP, GC}}),
        "POST": (403, {404: {M, WP, GC}}),
    },
    # A coach asks an experience expert for a participant of their group (source 003, answer 1).
    "groupwork:enrolment_expert": {"GET": (403, {404: {GC}}), "POST": (403, {404: {GC}})},
    "groupwork:note_create": {"GET": 405, "POST": (403, {404: {GC}})},
    "groupwork:pop_input_adopt": {"GET": 405, "POST": (403, {404: {M}})},
    "groupwork:pop_input_create": {"GET": 405, "POST": (403, {404: {GC}})},
    "groupwork:programme_detail": {"GET": (200, {403: {SL, OW, EE, JC, DPO}}), "POST": 405},
    "groupwork:session_edit": {
        "GET": (403, {200: {PM}, 404: {GC}}),
        "POST": (403, {400: {PM}, 404: {GC}}),
    },
    "network:consent_list": {
        "GET": (404, {403: {GC, PM, AD, DPO}}),
        "POST": (403, {404: {M, SL, OW}}),
    },
    "network:consent_pdf": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "network:consent_withdraw": {
        "GET": (403, {404: {M, SL, OW}}),
        "POST": (403, {404: {M, SL, OW}}),
    },
    "network:directory_location_add": {"GET": (404, {200: {AD}}), "POST": (404, {200: {AD}})},
    "network:directory_location_remove": {"GET": 405, "POST": (404, {302: {AD}})},
    "network:directory_organisation": {"GET": 200, "POST": 405},
    "network:directory_organisation_edit": {"GET": (404, {200: {AD}}), "POST": (404, {302: {AD}})},
    "network:directory_service_detail": {"GET": 200, "POST": 405},
    "network:directory_service_edit": {"GET": (404, {200: {AD}}), "POST": (404, {200: {AD}})},
    "network:referral_detail": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "network:referral_note": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "network:referral_send": {"GET": (403, {404: {M, WP}}), "POST": (403, {404: {M, WP}})},
    "network:referral_transition": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "outreach:prospect_convert": {"GET": (403, {404: {OW}}), "POST": (403, {404: {OW}})},
    "outreach:prospect_detail": {"GET": (403, {404: {OW}}), "POST": 405},
    # Only an administrator's valid, unused, unexpired link opens the page: 404 for any other.
    "passwords:password_reset": {"GET": 404, "POST": 404},
    # Only its recipient (the world's lead mediator) marks a notification read: 404 for anyone.
    "notifications:read": {"GET": 405, "POST": 404},
    "programmes:project_detail": {"GET": (403, {200: {PM, AD}}), "POST": (403, {200: {PM, AD}})},
    "programmes:funding_exception_create": {
        "GET": (403, {200: {PM}}),
        "POST": (403, {200: {PM}}),
    },
    "reporting:project_indicators": {"GET": (403, {200: {PM, AD}}), "POST": 405},
    "registry:household_edit": {
        "GET": (403, {404: {M, SL, WP, OW}}),
        "POST": (403, {404: {M, SL, WP, OW}}),
    },
    "registry:intake_decide": {"GET": 405, "POST": (403, {404: {M}})},
    "registry:person_detail": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "registry:person_edit": {
        "GET": (403, {404: {M, SL, WP, OW}}),
        "POST": (403, {404: {M, SL, WP, OW}}),
    },
    "screening:screening_create": {
        "GET": (403, {404: {M, SL, OW}}),
        "POST": (403, {404: {M, SL, OW}}),
    },
    "screening:screening_detail": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "screening:screening_refer": {"GET": 405, "POST": (403, {404: {M, SL, OW}})},
    "screening:screening_route": {"GET": 405, "POST": (403, {404: {M}})},
    "trajectories:action_create": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "trajectories:action_update": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "trajectories:coaching_contact_create": {
        "GET": (403, {404: {M, WP, JC}}),
        "POST": (403, {404: {M, WP, JC}}),
    },
    "trajectories:contact_create": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "trajectories:contact_plan": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "trajectories:contact_status": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    # One's own day: no person of another organisation in it; the roles without an agenda 403.
    "home:agenda_day_pdf": {"GET": (403, {200: {M, WP, GC}}), "POST": 405},
    "trajectories:expert_request": {"GET": 405, "POST": (403, {404: {M}})},
    "trajectories:expert_request_respond": {"GET": (403, {404: {EE}}), "POST": (403, {404: {EE}})},
    "trajectories:goal_create": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
    "trajectories:job_coaching_start": {
        "GET": (403, {404: {M, WP}}),
        "POST": (403, {404: {M, WP}}),
    },
    "trajectories:job_end_record": {"GET": (403, {404: {M, WP}}), "POST": (403, {404: {M, WP}})},
    "trajectories:job_overview": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:job_start_create": {"GET": (403, {404: {M, WP}}), "POST": (403, {404: {M, WP}})},
    "trajectories:measurement_readings": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:measurement_record": {
        "GET": (404, {403: {GC, PM, AD, DPO}}),
        "POST": (404, {403: {GC, PM, AD, DPO}}),
    },
    "trajectories:pop_detail": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:pop_edit": {"GET": (403, {404: {M, WP}}), "POST": (403, {404: {M, WP}})},
    "trajectories:pop_pdf": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:pop_reroute_justify": {"GET": 405, "POST": (403, {404: {M, WP}})},
    "trajectories:pop_sign_off": {"GET": 405, "POST": (403, {404: {M, WP}})},
    "trajectories:pop_version": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:retention_check_record": {
        "GET": (403, {404: {M, WP, JC}}),
        "POST": (403, {404: {M, WP, JC}}),
    },
    "trajectories:trajectory_detail": {"GET": (404, {403: {GC, PM, AD, DPO}}), "POST": 405},
    "trajectories:trajectory_duo": {
        "GET": (404, {403: {GC, PM, AD, DPO}}),
        "POST": (404, {403: {GC, PM, AD, DPO}}),
    },
    "trajectories:trajectory_start": {"GET": (403, {404: {M}}), "POST": (403, {404: {M}})},
    "trajectories:trajectory_project": {"GET": (403, {404: {M}}), "POST": (403, {404: {M}})},
    "trajectories:trajectory_transition": {"GET": 405, "POST": (404, {403: {GC, PM, AD, DPO}})},
}


def _expected(name: str, method: str, role: str) -> int:
    answers = EXPECTED[name][method]
    if isinstance(answers, int):
        return answers
    default, others = answers
    return next((status for status, roles in others.items() if role in roles), default)


def _lets_through(status: int) -> bool:
    return 200 <= status < 400


# Pages of the person's own organisation that its staff maintain (README "Services
# directory": "the organisation's own staff and administrators maintain its entries") and the
# audit pages of the organisation's data-protection officer: for a user of the same
# organisation these are rightful, not an attack.
SAME_ORGANISATION_OWN: dict[str, set[str]] = {
    "network:directory_location_add": {M, SL, WP, OW, GC},
    "network:directory_location_remove": {M, SL, WP, OW, GC},
    "network:directory_organisation_edit": {M, SL, WP, OW, GC},
    "network:directory_service_edit": {M, SL, WP, OW, GC},
    "privacy:person_access": {DPO},
    "privacy:person_erase": {DPO},
    "privacy:person_export_json": {DPO},
    "privacy:person_export_pdf": {DPO},
    "privacy:request_detail": {DPO},
}
# Roles that see the persons of their own organisation (README "Who sees what"): for them a
# person of their organisation is in scope; only the special categories stay with the duo.
SAME_ORGANISATION_READERS = {M, SL, WP}

# The id pages each rightful user of the home world opens (GET answers 200 or 302); every other
# page answers them 403, 404 or 405. The outreach worker's person pages are those of the
# person they registered.
REACHES: dict[str, set[str]] = {
    "lead": {
        "home:agenda_day_pdf",
        "privacy:person_access",
        "privacy:person_export_json",
        "privacy:person_export_pdf",
        "groupwork:enrolment_create",
        "groupwork:enrolment_detail",
        "groupwork:network_maps",
        "groupwork:programme_detail",
        "network:consent_list",
        "network:consent_pdf",
        "network:consent_withdraw",
        "network:directory_location_add",
        "network:directory_organisation",
        "network:directory_organisation_edit",
        "network:directory_service_detail",
        "network:directory_service_edit",
        "network:referral_detail",
        "network:referral_send",
        "registry:household_edit",
        "registry:person_detail",
        "registry:person_edit",
        "screening:screening_create",
        "screening:screening_detail",
        "trajectories:coaching_contact_create",
        "trajectories:job_coaching_start",
        "trajectories:job_end_record",
        "trajectories:job_overview",
        "trajectories:job_start_create",
        "trajectories:measurement_readings",
        "trajectories:measurement_record",
        "trajectories:pop_detail",
        "trajectories:pop_edit",
        "trajectories:pop_pdf",
        "trajectories:pop_version",
        "trajectories:retention_check_record",
        "trajectories:trajectory_detail",
        "trajectories:trajectory_duo",
        "trajectories:trajectory_project",
        "trajectories:trajectory_start",
    },
    "partner": {
        "home:agenda_day_pdf",
        "groupwork:enrolment_detail",
        "groupwork:network_maps",
        "groupwork:programme_detail",
        "network:consent_list",
        "network:consent_pdf",
        "network:directory_organisation",
        "network:directory_service_detail",
        "network:referral_detail",
        "network:referral_send",
        "registry:person_detail",
        "screening:screening_detail",
        "trajectories:coaching_contact_create",
        "trajectories:job_coaching_start",
        "trajectories:job_end_record",
        "trajectories:job_overview",
        "trajectories:job_start_create",
        "trajectories:measurement_readings",
        "trajectories:measurement_record",
        "trajectories:pop_detail",
        "trajectories:pop_edit",
        "trajectories:pop_pdf",
        "trajectories:pop_version",
        "trajectories:retention_check_record",
        "trajectories:trajectory_detail",
        "trajectories:trajectory_duo",
    },
    "expert": {
        "network:consent_list",
        "network:consent_pdf",
        "network:directory_organisation",
        "network:directory_service_detail",
        "registry:person_detail",
        "screening:screening_detail",
        "trajectories:expert_request_respond",
        "trajectories:job_overview",
        "trajectories:measurement_readings",
        "trajectories:pop_detail",
        "trajectories:pop_pdf",
        "trajectories:pop_version",
        "trajectories:trajectory_detail",
    },
    "job_coach": {
        "network:consent_list",
        "network:consent_pdf",
        "network:directory_organisation",
        "network:directory_service_detail",
        "registry:person_detail",
        "screening:screening_detail",
        "trajectories:coaching_contact_create",
        "trajectories:job_overview",
        "trajectories:measurement_readings",
        "trajectories:pop_detail",
        "trajectories:pop_pdf",
        "trajectories:pop_version",
        "trajectories:retention_check_record",
        "trajectories:trajectory_detail",
    },
    "group_coach": {
        "home:agenda_day_pdf",
        "groupwork:attendance",
        "groupwork:enrolment_detail",
        "groupwork:intake_create",
        "groupwork:intake_detail",
        "groupwork:module_create",
        "groupwork:module_edit",
        "groupwork:enrolment_expert",
        "groupwork:network_map_edit",
        "groupwork:network_maps",
        "groupwork:programme_detail",
        "groupwork:self_assessment_edit",
        "groupwork:session_edit",
        "network:directory_organisation",
        "network:directory_service_detail",
    },
    "outreach": {
        "network:consent_list",
        "network:directory_organisation",
        "network:directory_organisation_edit",
        "network:directory_service_detail",
        "outreach:prospect_convert",
        "outreach:prospect_detail",
        "registry:household_edit",
        "registry:person_detail",
        "registry:person_edit",
        "screening:screening_create",
    },
    # A programme manager (of any organisation): projects, indicators and the group-work
    # catalogue they plan (README "Group work"); no person.
    "manager": {
        "groupwork:intake_create",
        "groupwork:module_create",
        "groupwork:module_edit",
        "groupwork:programme_detail",
        "groupwork:session_edit",
        "network:directory_organisation",
        "network:directory_service_detail",
        "programmes:funding_exception_create",
        "programmes:project_detail",
        "reporting:project_indicators",
    },
    "dpo": {
        "privacy:person_access",
        "privacy:person_erase",
        "privacy:person_export_json",
        "privacy:person_export_pdf",
        "privacy:request_detail",
        "network:directory_organisation",
        "network:directory_service_detail",
    },
}
# The list, search and figure pages (no id) each of them opens.
REACHES_WITHOUT_ID: dict[str, set[str]] = {
    "lead": {
        "home:agenda",
        "home:home",
        "groupwork:programme_list",
        "network:directory_search",
        "network:directory_service_create",
        "network:referral_figures",
        "network:referral_inbox",
        "network:referral_sent",
        "registry:intake_queue",
        "registry:person_create",
        "registry:person_search",
        "trajectories:caseload",
    },
    "partner": {
        "home:agenda",
        "home:home",
        "groupwork:programme_list",
        "network:directory_search",
        "network:directory_service_create",
        "network:referral_figures",
        "network:referral_inbox",
        "network:referral_sent",
        "registry:person_create",
        "registry:person_search",
        "trajectories:caseload",
    },
    "expert": {
        "home:home",
        "network:directory_search",
        "network:referral_inbox",
        "registry:person_search",
    },
    "job_coach": {
        "home:home",
        "network:directory_search",
        "network:referral_inbox",
        "registry:person_search",
        # Issue 18: the people they coach (it was a 403).
        "trajectories:caseload",
    },
    "group_coach": {
        "home:agenda",
        "home:home",
        "groupwork:figures",
        "groupwork:programme_list",
        "groupwork:request_inbox",
        "network:directory_search",
        "network:directory_service_create",
    },
    "outreach": {
        "home:home",
        "network:directory_search",
        "network:directory_service_create",
        "network:referral_inbox",
        "outreach:contact_new",
        "outreach:funnel",
        "outreach:place_create",
        "outreach:place_list",
        "outreach:prospect_list",
        "registry:person_create",
        "registry:person_search",
    },
    "dpo": {
        "privacy:access_search",
        "privacy:request_create",
        "privacy:request_list",
        "home:home",
        "network:directory_search",
    },
    "manager": {
        "home:home",
        "groupwork:figures",
        "groupwork:programme_list",
        "network:directory_search",
        "network:referral_figures",
        "reporting:outcomes_dashboard",
        "outcomes:quality",
        "reporting:report_pdf",
        "reporting:report_xlsx",
        "outreach:funnel",
        "programmes:call_list",
        "reporting:programme_dashboard",
    },
}
# Every logged-in user opens the page where they change their own password …
for _reaches in REACHES_WITHOUT_ID.values():
    _reaches.add("passwords:password_change")
    # … and their own notifications (issue 18).
    _reaches.add("notifications:list")
# What the matrix's minimal POSTs of each rightful user change (besides the access log): the
# duo's writes to the plan and referrals, the receiving partner's referral moves, the coach's
# group notes and moves, the lead's consent and directory entries; an experience expert, a job
# coach, an outreach worker, the DPO and a programme manager change nothing with them.
WRITES_WITH_MINIMAL_DATA: dict[str, set[str]] = {
    "lead": {
        "groupwork:enrolment_leave",
        "groupwork:pop_input_adopt",
        "network:consent_withdraw",
        "network:directory_location_remove",
        "network:referral_note",
        "notifications:read",
        "registry:intake_decide",
        "screening:screening_route",
        "trajectories:expert_request",
        "trajectories:goal_create",
    },
    "partner": {
        "network:referral_note",
        "network:referral_transition",
        "trajectories:goal_create",
    },
    "group_coach": {
        "groupwork:enrolment_complete",
        "groupwork:enrolment_expert",
        "groupwork:enrolment_leave",
        "groupwork:note_create",
        "groupwork:pop_input_create",
        "groupwork:self_assessment_edit",
    },
}
# Who may read a special-category note (README "Who sees what"): the duo — and a welfare
# partner only for the domains a consent names (the home world's consents name income and
# housing, not mental health) — so only the lead mediator; the subject-access export holds the
# whole file by law.
SPECIAL_READERS = {"lead"}
WHOLE_FILE_ROUTES = {"privacy:person_export_json", "privacy:person_export_pdf"}

# A duo partner whose consent was withdrawn sees nothing more of the person (README "Consent":
# "from the next request the recipient sees nothing more"; "Who sees what": the duo partner's
# persons "only with consent"); the referral to their organisation stays, without the person's
# data, so they can close the loop (tests/network/test_referrals.py).
PARTNER_KEEPS_WITHOUT_CONSENT = {
    "network:referral_detail",
    "network:referral_note",
    "network:referral_transition",
}


# ---------------------------------------------------------------------------------------------
# The attacks


def _attack(
    client: Client,
    role: str,
    relation: str,
    target: World,
    names: list[str],
    skip: Callable[[str], bool] = lambda name: False,
) -> tuple[int, list[str]]:
    """Send GET and POST of every route in ``names`` about ``target``; return the number of
    requests and what went wrong: an answer other than EXPECTED (id routes), a write by a
    request that was not let through, or a body that shows the target person."""
    id_routes = _id_routes()
    sent, problems = 0, []
    for name in names:
        if skip(name):
            continue
        _primary, url, data = _call(name, target)
        for method in ("GET", "POST"):
            answer = _send(client, method, url, data if method == "POST" else None)
            sent += 1
            where = f"{relation} {role} {method} {name}"
            if name in id_routes:
                expected = _expected(name, method, role)
                if answer.status != expected:
                    problems.append(f"{where}: {answer.status}, expected {expected}")
                allowed = _lets_through(expected)
            else:
                allowed = True  # lists and searches: what they show is checked below
            if answer.writes and not (allowed and _lets_through(answer.status)):
                problems.append(f"{where}: {answer.status} but wrote {answer.writes}")
            if _lets_through(answer.status) and not allowed:
                problems.append(f"{where}: let through ({answer.status} {answer.location})")
            if revealed := _revealed(target, answer.body):
                problems.append(f"{where}: {answer.status} shows {revealed}")
            if target.secrets["special"] in answer.body:
                problems.append(f"{where}: shows the special-category note")
    return sent, problems


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_organisations_person(worlds, role):
    """A user of each role in a third organisation, every route, both methods."""
    home, _other = worlds
    outsider = make_user(role, organisation=OrganisationFactory(code="vdab-gent-matrix"))
    sent, problems = _attack(_client(outsider), role, "another organisation", home, sorted(ROUTES))
    print(f"another organisation, {role}: {sent} requests")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(ROLES) - SAME_ORGANISATION_READERS))
def test_no_role_reaches_a_person_of_its_organisation_without_a_relation(worlds, role):
    """A colleague of the person's own office who is not their mediator, partner, expert,
    coach or registrar: the same answers as for another organisation, except for the pages the
    organisation's own staff maintain."""
    home, _other = worlds
    colleague = make_user(role, organisation=home.organisation)
    own = {name for name, roles in SAME_ORGANISATION_OWN.items() if role in roles}
    sent, problems = _attack(
        _client(colleague),
        role,
        "same organisation",
        home,
        sorted(_id_routes_of_ours()),
        skip=own.__contains__,
    )
    print(f"same organisation without a relation, {role}: {sent} requests")
    assert not problems, "\n".join(problems)


def _id_routes_of_ours() -> set[str]:
    return {name for name in _id_routes() if not name.startswith(("admin:", "api:"))}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SAME_ORGANISATION_READERS))
def test_a_colleague_of_the_office_sees_no_special_category(worlds, role):
    """Another mediator of the same office (and the service line, and a welfare partner of the
    office) sees the person's file, but never a note in a special category, and no page
    crashes for them."""
    home, _other = worlds
    client = _client(make_user(role, organisation=home.organisation))
    problems = []
    sent = 0
    for name in sorted(_id_routes_of_ours()):
        _primary, url, data = _call(name, home)
        for method in ("GET", "POST"):
            answer = _send(client, method, url, data if method == "POST" else None)
            sent += 1
            if answer.status >= 500:
                problems.append(f"{method} {name}: {answer.status}")
            if home.secrets["special"] in answer.body:
                problems.append(f"{method} {name}: shows the special-category note")
    if role != WP:
        person = _send(client, "GET", f"/persons/{home.person.public_id}/")
        assert person.status == 200, "a colleague of the office sees the person's file"
    print(f"same organisation reader, {role}: {sent} requests")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_users_of_another_case_reach_nothing_of_this_one(worlds):
    """The lead mediator, partner, expert, coaches, outreach worker and DPO of another
    organisation's case: their relations there open nothing here."""
    home, other = worlds
    sent, problems = 0, []
    for relation, user in other.users.items():
        (role,) = user.role_codes
        n, found = _attack(_client(user), role, f"other case's {relation}", home, sorted(ROUTES))
        sent += n
        problems += found
    print(f"users of another case: {sent} requests")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_duo_partner_without_consent(worlds):
    """The other world's partner after the person withdrew their consent: the person file, the
    trajectory and every page of it answer 404 as for any welfare partner of another
    organisation, and no list shows the person; the referral stays, without the person."""
    from tandem.network.consent.services import consent_withdraw

    _home, other = worlds
    consent_withdraw(acting_user=other.users["lead"], consent=other.objects["consent"])
    partner = other.users["partner"]
    client = _client(partner)
    sent, problems = _attack(
        client,
        WP,
        "duo partner without consent",
        other,
        sorted(ROUTES),
        skip=PARTNER_KEEPS_WITHOUT_CONSENT.__contains__,
    )
    for name in sorted(PARTNER_KEEPS_WITHOUT_CONSENT):
        _primary, url, data = _call(name, other)
        for method in ("GET", "POST"):
            answer = _send(client, method, url, data if method == "POST" else None)
            sent += 1
            if answer.status >= 500:
                problems.append(f"{method} {name}: {answer.status}")
            if revealed := _revealed(other, answer.body):
                problems.append(f"{method} {name}: shows {revealed}")
            if other.secrets["special"] in answer.body or "Schulden" in answer.body:
                problems.append(f"{method} {name}: shows a life domain without consent")
    print(f"duo partner without consent: {sent} requests")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_mixed_ids_answer_404(worlds):
    """My trajectory with another trajectory's goal, action, job, coaching or check; my person
    with another person's consent; my referral send form with another's action: 404."""
    home, other = worlds
    sent, problems = 0, []
    for relation in ("lead", "partner"):
        user = home.users[relation]
        (role,) = user.role_codes
        client = _client(user)
        for name, url_of in sorted(MIXED.items()):
            route = name.split(" (")[0]
            for method in ("GET", "POST"):
                expected = _expected(route, method, role)
                expected = expected if expected in (403, 405) else 404
                answer = _send(client, method, url_of(home, other), {})
                sent += 1
                if answer.status != expected:
                    problems.append(
                        f"{relation} {method} {name}: {answer.status}, expected {expected}"
                    )
                if answer.writes:
                    problems.append(f"{relation} {method} {name}: wrote {answer.writes}")
                if revealed := _revealed(other, answer.body):
                    problems.append(f"{relation} {method} {name}: shows {revealed}")
    print(f"mixed ids: {sent} requests")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("relation", sorted(REACHES))
def test_each_rightful_user_reaches_their_pages(worlds, relation):
    """The matrix is only meaningful if the same requests do work for the rightful user — each
    of them, not only the lead mediator (a welfare partner's crash once hid behind that): GET
    opens exactly their pages, POST never crashes, a special-category note shows only to the
    duo's lead mediator (and in the subject-access export)."""
    import dataclasses

    home, _other = worlds
    world = home
    if relation == "outreach":
        world = dataclasses.replace(home, person=home.objects["outreach_person"])
    if relation == "manager":
        user = make_user(PM, organisation=OrganisationFactory(code="departement-matrix"))
    else:
        user = home.users[relation]
    client = _client(user)
    reached, wrote, problems = set(), set(), []
    for name in sorted(ROUTES):
        _primary, url, data = _call(name, world)
        answer = _send(client, "GET", url)
        if _lets_through(answer.status):
            reached.add(name)
        elif answer.status not in (403, 404, 405):
            problems.append(f"{name}: {answer.status}")
        # The same page's form sent with the matrix's minimal data: refused or answered, never
        # a crash (rolled back like every request here).
        posted = _send(client, "POST", url, data)
        if posted.status >= 500:
            problems.append(f"POST {name}: {posted.status}")
        if set(posted.writes) - {"audit_accesslog"}:
            wrote.add(name)
        shows_special = home.secrets["special"] in answer.body
        if shows_special and relation not in SPECIAL_READERS and name not in WHOLE_FILE_ROUTES:
            problems.append(f"{name}: shows the special-category note")
    expected = REACHES[relation] | REACHES_WITHOUT_ID[relation]
    if missing := sorted(expected - reached):
        problems.append(f"does not reach {missing}")
    if extra := sorted(reached - expected):
        problems.append(f"also reaches {extra}")
    if wrote != (writes := WRITES_WITH_MINIMAL_DATA.get(relation, set())):
        problems.append(f"POST wrote through {sorted(wrote)}, expected {sorted(writes)}")
    assert not problems, f"{relation}: " + "; ".join(problems)


@pytest.mark.django_db
def test_the_lead_mediator_sees_the_special_category_note(worlds):
    """The counterpart of the body checks above: the note is on the trajectory page for the
    duo's lead mediator, so its absence elsewhere means something."""
    home, _other = worlds
    answer = _send(
        _client(home.users["lead"]), "GET", f"/trajectories/{home.trajectory.public_id}/"
    )
    assert answer.status == 200 and home.secrets["special"] in answer.body


@pytest.mark.django_db
def test_the_matrix_posts_with_a_valid_csrf_token(worlds):
    """The POSTs above carry a valid CSRF token: a 403 they get is the application's answer,
    not the CSRF check's."""
    home, _other = worlds
    _method, url, data = _call("trajectories:goal_create", home)
    client = _client(home.users["lead"])
    answer = _send(client, "POST", url, data)
    assert answer.status == 302 and "trajectories_goal" in answer.writes
    without = Client(enforce_csrf_checks=True)
    without.force_login(home.users["lead"])
    assert without.post(url, data).status_code == 403


# ---------------------------------------------------------------------------------------------
# The admin: every object page of every registered model, as every role


ADMIN_KINDS = {
    "change": re.compile(r"^admin/\w+/\w+/<path:object_id>/change/$"),
    "history": re.compile(r"^admin/\w+/\w+/<path:object_id>/history/$"),
    "delete": re.compile(r"^admin/\w+/\w+/<path:object_id>/delete/$"),
    "bare": re.compile(r"^admin/\w+/\w+/<path:object_id>/$"),
    "password": re.compile(r"^admin/\w+/\w+/<id>/password/$"),
    "reset_link": re.compile(r"^admin/\w+/\w+/<id>/reset-link/$"),
    "device": re.compile(r"^admin/\w+/\w+/<int:pk>/(config|qrcode)/$"),
    "view_on_site": re.compile(r"^admin/r/<path:content_type_id>/<path:object_id>/$"),
    "app_index": re.compile(r"^admin/\^\(\?P<app_label>([\w|]+)\)/\$$"),
    "catch_all": re.compile(r"^admin/\(\?P<url>\.\*\)\$$"),
}


def _admin_kind(route: str) -> str:
    return next((kind for kind, pattern in ADMIN_KINDS.items() if pattern.match(route)), "")


def _admin_urls(route: str) -> list[str]:
    """The route with the id of an existing object of its model (or 1 when it has none); an
    app index for each app label; a path no admin page has for the catch-all."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    kind = _admin_kind(route)
    if kind == "view_on_site":
        user = apps.get_model("accounts", "User").objects.order_by("pk").first()
        content_type = ContentType.objects.get_for_model(user)
        return [f"/admin/r/{content_type.pk}/{user.pk}/"]
    if kind == "app_index":
        labels = ADMIN_KINDS[kind].match(route).group(1).split("|")  # type: ignore[union-attr]
        return [f"/admin/{label}/" for label in labels]
    if kind == "catch_all":
        return ["/admin/registry/person/1/change/"]
    _admin, app_label, model_name = route.split("/")[:3]
    obj = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
    key = str(obj.pk) if obj is not None else "1"
    return ["/" + re.sub(r"<[^>]+>", key, route)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_object_pages(worlds, role):
    """Only the administrator gets the admin's object pages (as far as the admin's permissions
    go); everyone else is sent to the admin's login and nothing is written, for GET and POST
    (with a valid CSRF token: Django's delete page deletes on any POST) alike."""
    user = make_user(role, organisation=worlds[0].organisation)
    client = _client(user)
    urls = sorted(
        url
        for name, route in _id_routes().items()
        if name.startswith("admin:")
        for url in _admin_urls(route)
    )
    assert len(urls) > 40
    problems, sent = [], 0
    for url in urls:
        for method in ("GET", "POST"):
            answer = _send(client, method, url)
            sent += 1
            if role == AD:
                # The admin's own permissions decide (reference data read-only, the audit
                # trail append-only: 403); a missing object is 404 or a redirect. Deleting on
                # any POST to the confirmation page is Django's own way, and the admin's right.
                ok = answer.status in (200, 302, 403, 404)
                if not ok or answer.location.startswith("/admin/login"):
                    problems.append(f"{method} {url}: {answer.status} {answer.location}")
            else:
                if answer.status != 302 or not answer.location.startswith("/admin/login/"):
                    problems.append(f"{method} {url}: {answer.status} {answer.location}")
                if answer.writes:
                    problems.append(f"{method} {url}: wrote {answer.writes}")
    print(f"admin, {role}: {sent} requests")
    assert not problems, f"{role}: " + "\n".join(problems)
