"""The home page (tandem/home): a panel for each kind of work the user's capabilities call for,
every read through a selector of the app that owns the data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import tandem.home
from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.groupwork.models import Enrolment
from tandem.home.panels import PANELS, panels_for
from tandem.network.models import Consent, Evidence
from tandem.trajectories.services import (
    expert_support_request,
    expert_support_respond,
    trajectory_set_welfare_partner,
    trajectory_start,
)
from tests.factories import make_user
from tests.groupwork.conftest import (  # noqa: F401 (fixtures)
    coach,
    enrol,
    groep_intro,
    module,
    programme,
)

pytestmark = pytest.mark.django_db

CASES = "home/panels/cases.html"
# The panel each role gets (and whether it sees the persons panel), as when the page drew one
# panel per role held.
ROLE_PANELS = {
    Role.ADMIN: "admin",
    Role.DATA_PROTECTION_OFFICER: "data_protection_officer",
    Role.EXPERIENCE_EXPERT: "experience_expert",
    Role.GROUP_COACH: "group_coach",
    Role.JOB_COACH: "job_coach",
    Role.MEDIATOR: "mediator",
    Role.OUTREACH_WORKER: "outreach_worker",
    Role.PROGRAMME_MANAGER: "programme_manager",
    Role.SERVICE_LINE: "service_line",
    Role.WELFARE_PARTNER: "welfare_partner",
}
# The intake queue (issue 18, tandem.home.work.intake): right after the persons.
INTAKE_PANELS = {
    Role.MEDIATOR: ["home/panels/intake_queue.html"],
    Role.SERVICE_LINE: ["home/panels/my_referrals.html"],
    Role.OUTREACH_WORKER: ["home/panels/my_referrals.html"],
}
# The duo's work panels (issue 18, tandem.home.work.cases), in the order of the page.
WORK_PANELS = {
    Role.MEDIATOR: [
        f"home/panels/work_{name}.html"
        for name in ("contacts", "actions", "referrals", "group", "retention", "expert", "silent")
    ],
    Role.WELFARE_PARTNER: [
        f"home/panels/work_{name}.html"
        for name in ("contacts", "actions", "inbox", "referrals", "silent", "domains")
    ],
}
SEES_PERSONS = {
    Role.MEDIATOR,
    Role.WELFARE_PARTNER,
    Role.OUTREACH_WORKER,
    Role.EXPERIENCE_EXPERT,
    Role.JOB_COACH,
    Role.SERVICE_LINE,
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MEDIATOR, "Werk-welzijnsbemiddelaar"),
        (Role.WELFARE_PARTNER, "Welzijnspartner"),
        (Role.GROUP_COACH, "Groepsbegeleider"),
        (Role.OUTREACH_WORKER, "Outreachwerker"),
        (Role.EXPERIENCE_EXPERT, "Ervaringsdeskundige"),
        (Role.JOB_COACH, "Jobcoach"),
        (Role.SERVICE_LINE, "Servicelijn"),
        (Role.PROGRAMME_MANAGER, "Programmabeheerder"),
        (Role.ADMIN, "Beheerder"),
    ],
)
def test_each_role_has_a_home_page(client, organisation, role, expected):
    client.force_login(make_user(role, organisation=organisation))
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_home_hides_person_navigation_from_aggregate_roles(client, organisation):
    client.force_login(make_user(Role.PROGRAMME_MANAGER, organisation=organisation))
    body = client.get(reverse("home:home")).content.decode()
    assert reverse("registry:person_search") not in body


def test_the_home_page_is_the_site_root():
    assert reverse("home:home") == "/"


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_its_panel_chosen_by_capability(organisation, role):
    user = make_user(role, organisation=organisation)
    expected = (
        ([CASES] if role in SEES_PERSONS else [])
        + INTAKE_PANELS.get(role, [])
        + WORK_PANELS.get(role, [])
        + [f"home/panels/{ROLE_PANELS[role]}.html"]
    )
    assert [p.template for p in panels_for(user)] == expected


def test_several_roles_get_their_panels_in_the_order_of_the_page(client, organisation):
    user = make_user(Role.MEDIATOR, Role.JOB_COACH, organisation=organisation)
    assert [p.template for p in panels_for(user)] == [
        CASES,
        *INTAKE_PANELS[Role.MEDIATOR],
        *WORK_PANELS[Role.MEDIATOR],
        "home/panels/job_coach.html",
        "home/panels/mediator.html",
    ]
    client.force_login(user)
    body = client.get("/").content.decode()
    ids = ['id="cases-title"', 'id="p-jobcoach"', 'id="p-mediator"']
    assert [body.index(i) for i in ids] == sorted(body.index(i) for i in ids)


def test_a_user_without_a_role_sees_no_panel(client, organisation):
    user = make_user(organisation=organisation)
    assert panels_for(user) == []
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_every_panel_template_exists_and_is_used():
    templates = Path(tandem.home.__file__).parent.parent / "templates"
    names = [p.template for p in PANELS]
    assert len(names) == len(set(names))
    on_disk = {f"home/panels/{p.name}" for p in (templates / "home" / "panels").glob("*.html")}
    assert set(names) == on_disk


def test_the_home_page_reads_through_selectors_only():
    """No ORM in the view or the panels: every query lives in the app that owns the data."""
    for name in ("views.py", "panels.py"):
        source = (Path(tandem.home.__file__).parent / name).read_text()
        tree = ast.parse(source)
        attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not attrs & {"objects", "filter", "exclude", "annotate", "select_related"}, name
        # Models only for their choices (role and province names), never to query them.
        allowed = {"tandem.accounts.models", "tandem.common.models"}
        modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in modules if m.endswith("models") and m not in allowed], name


# --- the drop-out signals: shown, and logged, on the mediator's panel ------------------------


def test_the_home_page_logs_exactly_the_persons_it_shows(client, mediator, partner, coach, module):  # noqa: F811
    today = timezone.localdate()
    signalled = enrol(mediator, coach, module)
    Enrolment.objects.filter(pk=signalled.pk).update(dropout_flagged_on=today)
    trajectory = signalled.trajectory
    person = trajectory.person
    # The welfare partner of the duo, with the person's consent: they see the trajectory.
    trajectory_set_welfare_partner(acting_user=mediator, trajectory=trajectory, partner=partner)
    Consent.objects.create(
        organisation=mediator.organisation,
        person=person,
        recipient_organisation=partner.organisation,
        domains=["income"],
        purpose="Duo",
        given_on=today,
        recorded_by=mediator,
        evidence=Evidence.SIGNED_FORM,
    )
    what = "home: group work"

    client.force_login(mediator)
    body = client.get("/").content.decode()
    assert 'id="work-group"' in body and person.first_name in body
    assert list(AccessLog.objects.filter(what=what).values_list("user", "person")) == [
        (mediator.pk, person.pk)
    ]

    # The welfare partner's panel has no drop-out signals: the page shows them none and logs
    # none (it once logged the persons of signals it never showed).
    client.force_login(partner)
    body = client.get("/").content.decode()
    assert 'id="work-group"' not in body
    assert not AccessLog.objects.filter(what=what, user=partner).exists()


# --- the experience expert's panel ----------------------------------------------------------


def test_the_experience_expert_sees_the_open_requests_and_those_they_accepted(
    client, organisation, mediator, person
):
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="test", status="active"
    )
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)
    colleague = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)

    def ask():
        return expert_support_request(acting_user=mediator, trajectory=trajectory, question="?")

    waiting, accepted, declined, taken_by_colleague = ask(), ask(), ask(), ask()
    expert_support_respond(acting_user=expert, request=accepted, accept=True)
    expert_support_respond(acting_user=expert, request=declined, accept=False)
    expert_support_respond(acting_user=colleague, request=taken_by_colleague, accept=True)

    client.force_login(expert)
    body = client.get("/").content.decode()

    def link(r):
        url = reverse("trajectories:expert_request_respond", kwargs={"request_id": r.pk})
        return f'href="{url}"'

    assert link(waiting) in body and link(accepted) in body
    assert link(declined) not in body and link(taken_by_colleague) not in body
    assert body.index(link(waiting)) < body.index(link(accepted))  # the oldest first
