"""The capability catalogue (``tandem.access.capabilities``): each capability maps to roles once;
views, services and templates ask it, and no module keeps a set of roles of its own.

``BEFORE`` is the role table as it stood before the catalogue (issue 15): the ~39 role sets then
spread over 20 modules and the role tests in the decorators. The catalogue must match it, role
for role, so moving the rules changed no one's access.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

import tandem
from tandem.access.capabilities import (
    CAPABILITIES,
    has_capability,
    organisation_roles,
    role_has,
    roles_for,
    roles_have,
)
from tandem.accounts.decorators import capability_required
from tandem.accounts.models import Role

ROOT = Path(tandem.__file__).parent
CATALOGUE = ROOT / "access" / "capabilities.py"

MED, WP, GC, OW = "mediator", "welfare_partner", "group_coach", "outreach_worker"
EE, JC, SL, PM = "experience_expert", "job_coach", "service_line", "programme_manager"
ADMIN, DPO = "admin", "data_protection_officer"
PERSON_FILE = {MED, WP, OW, EE, JC, SL}

# capability -> (its roles, where the rule lived before the catalogue)
BEFORE: dict[str, tuple[set[str], str]] = {
    "person.read": (PERSON_FILE, "accounts.roles.PERSON_READ_ROLES"),
    "person.register": ({MED, WP, OW, SL}, "accounts.roles.PERSON_WRITE_ROLES"),
    "screening.conduct": ({SL, MED, OW}, "screening.services.SCREENING_ROLES"),
    "screening.choose_route": ({MED}, "screening.services.ROUTE_CHOICE_ROLES"),
    # Added after the catalogue (issue 18): an office's intake queue and the sender's view.
    "intake.queue": ({MED}, "issue 18: the intake queue of a VDAB office"),
    "intake.sent": ({SL, OW}, "issue 18: the sender's own referrals to an office"),
    "consent.record": ({MED, SL, OW}, "network.services.CONSENT_ROLES"),
    "trajectory.start": ({MED}, "trajectories.views.MEDIATOR_ROLES (trajectory_start)"),
    "trajectory.lead": ({MED}, "trajectories.services.trajectory_hand_over: Role.MEDIATOR"),
    "trajectory.partner": ({WP}, "trajectories.services.trajectory_set_welfare_partner"),
    "trajectory.correct_dates": ({MED}, "trajectories.services.trajectory_correct_dates"),
    "trajectory.write": (
        {MED, WP},
        "trajectories.selectors.TRAJECTORY_WRITE_ROLES, trajectories.views_pop.POP_WRITE_ROLES",
    ),
    "trajectory.caseload": ({MED, WP}, "trajectories.views.caseload's inline set"),
    # Added after the catalogue (issue 18): the job coach's caseload of their own coachings.
    "caseload.view": ({MED, WP, JC}, "issue 18: the caseload page, a job coach's coachings"),
    "agenda.view": ({MED, WP, GC}, "issue 18: the agenda (planned contacts, coached sessions)"),
    "trajectory.request_expert": ({MED}, "trajectories.views.MEDIATOR_ROLES (expert_request)"),
    "trajectory.respond_as_expert": ({EE}, "trajectories.views.expert_request_respond"),
    "jobcoaching.record_job": ({MED, WP}, "trajectories.views_jobcoaching.JOB_RECORD_ROLES"),
    "jobcoaching.follow_up": (
        {MED, WP, JC},
        "trajectories.views_jobcoaching.COACHING_FOLLOW_UP_ROLES",
    ),
    "jobcoaching.coach": ({JC, MED}, "trajectories.jobcoaching_rules.COACH_ROLES"),
    "employer.create": ({MED, WP, JC}, "trajectories.services_jobcoaching.EMPLOYER_CREATE_ROLES"),
    "referral.send": (
        {MED, WP},
        "network.views_referral.SENDER_ROLES, network.selectors_referral.SENDER_ROLES",
    ),
    "referral.receive": (PERSON_FILE, "network.services_referral.RECEIVER_ROLES"),
    "referral.override": ({MED}, "network.services_referral.OVERRIDE_ROLES"),
    "referral.view_figures": ({PM, MED, WP, SL}, "network.views_referral.FIGURE_ROLES"),
    "directory.maintain": (
        {MED, WP, GC, OW},
        "network.selectors_directory.DIRECTORY_MAINTAIN_ROLES",
    ),
    "directory.maintain_all": ({ADMIN}, "network.selectors_directory: has_role(Role.ADMIN)"),
    "outreach.contact": ({OW}, "outreach.services.OUTREACH, outreach.views.OUTREACH"),
    "outreach.places": ({OW, ADMIN}, "outreach.services.PLACE_ROLES"),
    "outreach.funnel": ({OW, PM}, "outreach.selectors.FUNNEL_ROLES"),
    "groupwork.manage_programmes": ({PM, ADMIN}, "groupwork.services.programme_save"),
    "groupwork.view_catalogue": ({MED, WP, GC, PM, ADMIN}, "groupwork.selectors.CATALOGUE_ROLES"),
    "groupwork.plan": ({GC, PM}, "groupwork.views.PLANNERS"),
    "groupwork.coach": ({GC}, "groupwork.views.COACH"),
    "groupwork.enrol": ({MED}, "groupwork.views.MEDIATOR, the services' Role.MEDIATOR tests"),
    "groupwork.view_enrolment": (
        {GC, MED, WP},
        "groupwork.views.ENROLMENT_ROLES, groupwork.views_network.GROUP_WORK_ROLES",
    ),
    "groupwork.view_via_trajectory": ({MED, WP}, "groupwork.selectors.TRAJECTORY_SIDE_ROLES"),
    "groupwork.record_leave": ({GC, MED}, "groupwork.views.enrolment_leave's inline set"),
    "groupwork.view_figures": ({PM, GC}, "groupwork.selectors_figures.FIGURE_ROLES"),
    # Added after the catalogue (issue 17): experience experts are asked "op vraag van
    # bemiddelaars of instructeurs" (source 003, answer to question 1).
    "groupwork.request_expert": ({GC}, "issue 17: a group coach asks an experience expert"),
    "report.view_aggregates": (
        {PM, ADMIN},
        "programmes.views.ROLES, outcomes.views_{report,dashboard,quality}.ROLES",
    ),
    "audit.view_person_access": ({MED, DPO}, "audit.selectors.ACCESS_HISTORY_ROLES"),
    "audit.export_subject_access": ({MED, DPO}, "audit.selectors.EXPORT_ROLES"),
    "audit.view_access_log": ({DPO}, "audit.selectors.DPO_ROLES"),
    # Added after the catalogue (issue 18): the DPO's register of data-subject requests.
    "privacy.requests": ({DPO}, "issue 18: the register of data-subject requests"),
    "programme.oversee": (
        {PM},
        "context_processors.is_programme_manager, Role.PROGRAMME_MANAGER in groupwork and outreach",
    ),
    "menu.group_work_catalogue": ({MED, PM}, "context_processors: sees_group_work"),
    # The home page's panels were one per role held (common.views.home: sorted(role_codes)).
    "home.job_coach_panel": ({JC}, "common.views.home: the job_coach panel"),
    "home.service_line_panel": ({SL}, "common.views.home: the service_line panel"),
    "home.admin_panel": ({ADMIN}, "common.views.home: Role.ADMIN in codes"),
}


def _user(*roles: str) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, role_codes=frozenset(roles))


# --- the catalogue ------------------------------------------------------------------------------


def test_every_capability_maps_to_known_roles():
    for capability, roles in CAPABILITIES.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", capability), capability
        assert roles, f"{capability} is held by no role"
        assert roles <= set(Role.values), f"{capability}: unknown roles {roles - set(Role.values)}"


def test_the_catalogue_matches_the_role_sets_it_replaced():
    assert set(CAPABILITIES) == set(BEFORE)
    for capability, (roles, _origin) in BEFORE.items():
        assert roles_for(capability) == roles, capability


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("capability", sorted(BEFORE))
def test_role_by_capability(role, capability):
    expected = role in BEFORE[capability][0]
    assert has_capability(_user(role), capability) is expected
    assert role_has(role, capability) is expected
    assert roles_have([role], capability) is expected


def test_anyone_without_a_role_holds_nothing():
    for capability in CAPABILITIES:
        assert not has_capability(AnonymousUser(), capability)
        assert not has_capability(None, capability)
        assert not has_capability(_user(), capability)


def test_an_unknown_capability_is_an_error():
    with pytest.raises(KeyError):
        has_capability(_user(MED), "person.reed")
    with pytest.raises(KeyError):
        capability_required("person.reed")


def test_the_roles_that_need_an_organisation_are_derived_from_the_catalogue():
    # As accounts.roles.ORGANISATION_ROLES was: who opens person files, group coaches, DPOs.
    assert organisation_roles() == PERSON_FILE | {GC, DPO}


# --- the decorator and the template filter --------------------------------------------------


def _view(request):
    return HttpResponse("ok")


def test_capability_required_lets_in_who_holds_it_and_refuses_the_others():
    view = capability_required("trajectory.write")(_view)
    assert view.capability == "trajectory.write"
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and "/login" in response["Location"]
    request.user = _user(JC)
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = _user(JC, WP)
    assert view(request).status_code == 200


@pytest.mark.parametrize(("roles", "shown"), [((MED,), "yes"), ((SL,), "no"), ((), "no")])
def test_the_template_filter_asks_the_catalogue(roles, shown):
    template = Template(
        '{% load capability_tags %}{% if user|can:"trajectory.start" %}yes{% else %}no{% endif %}'
    )
    assert template.render(Context({"user": _user(*roles)})) == shown
    assert template.render(Context({"user": AnonymousUser()})) == "no"


# --- every page passes through a capability ---------------------------------------------------


def _views():
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p.callback

    for view in walk(get_resolver().url_patterns):
        if view.__module__.startswith("tandem."):
            yield f"{view.__module__}.{view.__qualname__}", view


def test_every_capability_on_a_page_is_in_the_catalogue():
    gated = [(name, v.capability) for name, v in _views() if hasattr(v, "capability")]
    assert len(gated) >= 80
    for name, capability in gated:
        assert capability in CAPABILITIES, name


# --- no role sets or role tests outside the catalogue ---------------------------------------

ROLE_CODE = re.compile(r"\bRole\.[A-Z_]+|[\"'](?:" + "|".join(Role.values) + r")[\"']")


def _python_sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts and path != CATALOGUE:
            yield path


def test_no_module_keeps_a_set_of_roles_of_its_own():
    found = []
    for path in _python_sources():
        source = path.read_text()
        for node in ast.parse(source).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = node.value
            is_set = isinstance(value, ast.Set | ast.Tuple | ast.BinOp) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in {"frozenset", "set", "tuple"}
            )
            segment = (ast.get_source_segment(source, value) or "") if value else ""
            if any(n.endswith("ROLES") for n in names) or (is_set and ROLE_CODE.search(segment)):
                found.append(f"{path.relative_to(ROOT)}: {', '.join(names)}")
    assert not found, "role sets outside tandem/access/capabilities.py: " + "; ".join(found)


def test_no_view_is_gated_by_roles():
    offenders = [
        str(p.relative_to(ROOT)) for p in _python_sources() if "role_required" in p.read_text()
    ]
    assert not offenders


def test_no_template_tests_role_codes():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        if re.search(r"role_codes|has_role", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, "use {% if user|can:'…' %}: " + ", ".join(offenders)
