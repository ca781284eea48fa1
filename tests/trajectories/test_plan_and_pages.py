import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.trajectories import services
from tandem.trajectories.models import ActionStatus, ExpertSupportStatus, Status
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.plan.selectors import contacts_visible_to
from tandem.trajectories.selectors import person_timeline
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _detail(trajectory):
    return reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})


def test_goals_and_actions_across_domains(trajectory, mediator, partner):
    services.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    work = plan_services.goal_create(
        acting_user=mediator,
        trajectory=trajectory,
        domain="work_education",
        description="Een job in de logistiek",
    )
    housing = plan_services.goal_create(
        acting_user=partner,
        trajectory=trajectory,
        domain="housing",
        description="Een betaalbare woning",
    )
    a1 = plan_services.action_create(
        acting_user=mediator, goal=work, description="Cv maken", owner="client", due_on=TODAY
    )
    a2 = plan_services.action_create(
        acting_user=partner,
        goal=housing,
        description="Aanvraag sociale woning",
        owner="welfare_partner",
    )
    assert a1.funded_by_employment_service
    assert not a2.funded_by_employment_service
    with pytest.raises(ValidationError):
        plan_services.action_set_status(
            acting_user=mediator, action=a2, status=ActionStatus.DROPPED
        )
    plan_services.action_set_status(acting_user=mediator, action=a1, status=ActionStatus.DONE)
    a1.refresh_from_db()
    assert a1.done_on == TODAY


def test_welfare_partner_owner_needs_a_partner(trajectory, mediator):
    goal = plan_services.goal_create(
        acting_user=mediator,
        trajectory=trajectory,
        domain="income",
        description="Schulden in kaart",
    )
    with pytest.raises(ValidationError):
        plan_services.action_create(
            acting_user=mediator, goal=goal, description="x", owner="welfare_partner"
        )


def test_special_category_notes_are_for_the_duo_only(trajectory, mediator, partner, organisation):
    services.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    from tandem.network.consent.services import consent_give

    consent_give(
        acting_user=mediator,
        person=trajectory.person,
        domains=["mental_health", "housing"],
        purpose="Duo",
        evidence="signed_form",
        recipient_organisation=partner.organisation,
    )
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="mental_health",
        text="Slaapt slecht, ziet een psycholoog.",
    )
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="phone",
        on=TODAY,
        domain="housing",
        text="Huurachterstand besproken.",
    )
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    assert contacts_visible_to(mediator, trajectory).count() == 2
    assert contacts_visible_to(partner, trajectory).count() == 2
    # The other mediator of the same office sees the file, but not the health note.
    visible = list(contacts_visible_to(colleague, trajectory))
    assert [c.domain for c in visible] == ["housing"]
    timeline = person_timeline(colleague, trajectory.person_id)
    assert not any("psycholoog" in e.text for e in timeline)
    assert any("psycholoog" in e.text for e in person_timeline(mediator, trajectory.person_id))


def test_the_trajectory_page_hides_special_notes_from_the_colleague(
    client, trajectory, mediator, organisation
):
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="addiction",
        text="Gebruikt opnieuw cannabis.",
    )
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    client.force_login(colleague)
    body = client.get(_detail(trajectory)).content.decode()
    assert "cannabis" not in body
    client.force_login(mediator)
    assert "cannabis" in client.get(_detail(trajectory)).content.decode()


def test_next_contact_and_future_contacts(trajectory, mediator):
    with pytest.raises(ValidationError):
        plan_services.contact_record(
            acting_user=mediator,
            trajectory=trajectory,
            kind="office",
            on=TODAY + dt.timedelta(days=2),
        )
    # The next contact needs a date, a time and a kind: it becomes a planned contact.
    for missing in ({"next_at": None}, {"next_kind": ""}):
        kwargs = {"next_on": TODAY + dt.timedelta(days=14), "next_at": dt.time(10, 30)}
        kwargs["next_kind"] = "home_visit"
        kwargs.update(missing)
        with pytest.raises(ValidationError):
            plan_services.contact_record(
                acting_user=mediator, trajectory=trajectory, kind="office", on=TODAY, **kwargs
            )
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        next_on=TODAY + dt.timedelta(days=14),
        next_at=dt.time(10, 30),
        next_kind="home_visit",
    )
    planned = trajectory.contacts.get(status="planned")
    assert (planned.on, planned.at, planned.kind) == (
        TODAY + dt.timedelta(days=14),
        dt.time(10, 30),
        "home_visit",
    )


def test_experience_expert_accepts_and_logs(trajectory, mediator, organisation):
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)
    request = services.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Mee naar het OCMW-gesprek?"
    )
    with pytest.raises(PermissionDenied):
        services.expert_support_respond(acting_user=mediator, request=request, accept=True)
    services.expert_support_respond(acting_user=expert, request=request, accept=True)
    services.expert_support_log(
        acting_user=expert,
        request=request,
        on=TODAY,
        text="Samen naar het OCMW geweest.",
        done=True,
    )
    request.refresh_from_db()
    assert request.status == ExpertSupportStatus.DONE
    assert request.logs.count() == 1


def test_experience_expert_page(client, trajectory, mediator, organisation):
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)
    support = services.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Steun bij de intake"
    )
    client.force_login(expert)
    url = reverse("trajectories:expert_request_respond", kwargs={"request_id": support.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"accept": "1"}).status_code == 302
    support.refresh_from_db()
    assert support.expert == expert


def test_answering_a_request_again_says_it_is_answered(client, trajectory, mediator, organisation):
    """Bug fixed (issue 15): answering a request that is already answered (a second click, or
    the browser's back button) crashed the page with a 500 (the refusal went onto an unbound
    log form); the page now says so in a message."""
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)
    support = services.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Steun bij de intake"
    )
    url = reverse("trajectories:expert_request_respond", kwargs={"request_id": support.pk})
    client.force_login(expert)
    assert client.post(url, {"accept": "1"}).status_code == 302
    response = client.post(url, {"decline": "1"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Op deze vraag is al geantwoord." in response.content.decode()
    support.refresh_from_db()
    assert support.status == ExpertSupportStatus.ACCEPTED and support.expert == expert


def test_pages_of_another_organisation_are_not_found(client, trajectory, other_mediator):
    client.force_login(other_mediator)
    pid = trajectory.public_id
    for name in ("trajectory_detail", "trajectory_duo"):
        assert (
            client.get(reverse(f"trajectories:{name}", kwargs={"public_id": pid})).status_code
            == 404
        )
    for name in ("trajectory_transition", "goal_create", "contact_create", "expert_request"):
        assert (
            client.post(reverse(f"trajectories:{name}", kwargs={"public_id": pid}), {}).status_code
            == 404
        )
    url = reverse(
        "trajectories:trajectory_start", kwargs={"person_id": trajectory.person.public_id}
    )
    assert client.get(url).status_code == 404


def test_start_through_the_form(client, mediator, person):
    client.force_login(mediator)
    url = reverse("trajectories:trajectory_start", kwargs={"person_id": person.public_id})
    response = client.post(
        url, {"type": "w2", "start_date": TODAY.isoformat(), "status": "referred", "reason": ""}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(
        url,
        {
            "type": "w2",
            "start_date": TODAY.isoformat(),
            "status": "referred",
            "reason": "Rechtstreeks aangemeld",
        },
    )
    assert response.status_code == 302


def test_status_change_through_the_form(client, trajectory, mediator):
    client.force_login(mediator)
    url = reverse("trajectories:trajectory_transition", kwargs={"public_id": trajectory.public_id})
    response = client.post(
        url, {"to_status": "closed", "on": TODAY.isoformat(), "closure_reason": ""}
    )
    assert response.status_code == 400
    closing = {"to_status": "closed", "on": TODAY.isoformat(), "closure_reason": "training"}
    assert client.post(url, closing).status_code == 200  # the question first (test_confirm_steps)
    response = client.post(url, {**closing, "confirmed": "yes"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == Status.CLOSED


def _many(mediator, n):
    for i in range(n):
        person = make_person(mediator, first_name=f"P{i}")
        t = services.trajectory_start(
            acting_user=mediator, person=person, type="w2", reason="x", status="active"
        )
        goal = plan_services.goal_create(
            acting_user=mediator, trajectory=t, domain="income", description="g"
        )
        plan_services.action_create(
            acting_user=mediator,
            goal=goal,
            description="a",
            owner="client",
            due_on=TODAY - dt.timedelta(days=1),
        )
        plan_services.contact_record(acting_user=mediator, trajectory=t, kind="phone", on=TODAY)


@pytest.mark.parametrize("n", [5, 50])
def test_caseload_costs_a_constant_number_of_queries(
    client, mediator, n, django_assert_max_num_queries
):
    _many(mediator, n)
    client.force_login(mediator)
    url = reverse("trajectories:caseload")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == n
    assert all(r["t"].overdue_actions == 1 and r["days_since_contact"] == 0 for r in rows)
    assert AccessLog.objects.filter(what="caseload").count() == 2 * n


@pytest.mark.parametrize("n", [5, 50])
def test_person_file_with_many_trajectories_costs_a_constant_number_of_queries(
    client, mediator, n, django_assert_max_num_queries
):
    person = make_person(mediator)
    for i in range(n):
        t = services.trajectory_start(
            acting_user=mediator,
            person=person,
            type="w2",
            reason=f"{i}",
            start_date=TODAY - dt.timedelta(days=400),
        )
        plan_services.contact_record(acting_user=mediator, trajectory=t, kind="office", on=TODAY)
        services.trajectory_transition(
            acting_user=mediator, trajectory=t, to_status=Status.CLOSED, closure_reason="other"
        )
    client.force_login(mediator)
    url = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["trajectories"]) == n
    assert response.context["timeline"]


def test_caseload_filters_and_sorts(client, mediator):
    _many(mediator, 3)
    client.force_login(mediator)
    response = client.get(reverse("trajectories:caseload"), {"status": "paused", "mine": "on"})
    assert response.context["rows"] == []
    response = client.get(reverse("trajectories:caseload"), {"sort": "start", "mine": "on"})
    assert len(response.context["rows"]) == 3


def test_the_trajectory_page_gathers_its_panels_in_order():
    """The trajectory page asks the panel registry (tandem.common.panels), never the apps:
    its funding (programmes'), the plan, measurement, POP and job coaching (this app's), then
    group work."""
    from tandem.common.panels import panels_of

    assert [p.name for p in panels_of("trajectory")] == [
        "tandem.programmes.panels.panel_context",
        "tandem.trajectories.plan.panels.panel_context",
        "tandem.trajectories.measurement.panels.panel_context",
        "tandem.trajectories.pop.panels.panel_context",
        "tandem.trajectories.jobcoaching.panels.panel_context",
        "tandem.groupwork.panels.panel_context",
    ]
    person = {p.name for p in panels_of("person")}
    assert {
        "tandem.screening.panels.person_screenings",
        "tandem.trajectories.panels.person_trajectories",
        "tandem.network.panels.person_consents",
    } <= person
