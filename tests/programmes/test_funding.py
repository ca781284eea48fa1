"""The funding rule in the services (issue 17): starting a trajectory with a project, changing
its project or start date, asking for and getting a group place, and an outreach contact at a
find place of a project are refused with the reason, on ``project``, with nothing written,
unless a programme manager recorded an exception, which is audited; the pages that show it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.groupwork import services as groupwork_services
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import Enrolment
from tandem.outreach import services as outreach_services
from tandem.outreach.models import ContactMoment, Prospect
from tandem.privacy.export import person_export
from tandem.privacy.retention import run_steps
from tandem.programmes.funding.services import funding_exception_record
from tandem.programmes.models import FundingException
from tandem.programmes.services import call_upsert, project_upsert
from tandem.trajectories import services as trajectory_services
from tandem.trajectories.models import Trajectory
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=400)
END = TODAY + dt.timedelta(days=400)


def _call(code, funds, start=START, end=END):
    return call_upsert(
        acting_user=None,
        code=code,
        number=code.upper(),
        title=f"Call {code}",
        start_date=start,
        end_date=end,
        total_budget=1000,
        funds=funds,
    )


def _project(code, call, promoter, start=START, end=END):
    return project_upsert(
        acting_user=None,
        code=code,
        name=f"Project {code}",
        promoter=promoter,
        start_date=start,
        end_date=end,
        budget=100,
        call=call,
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def w2_project(organisation):
    """Like call 478 (sources 000, 004): W² trajectories and their group work."""
    return _project("p-w2", _call("c-w2", ["w2", "group_work"]), organisation)


@pytest.fixture
def manager():
    return make_user(Role.PROGRAMME_MANAGER)


def _start(mediator, person, type="w2", project=None, start_date=None):
    return trajectory_services.trajectory_start(
        acting_user=mediator,
        person=person,
        type=type,
        reason="Aangemeld door het OCMW",
        status="active",
        start_date=start_date or TODAY - dt.timedelta(days=30),
        project=project,
    )


# --- trajectories ----------------------------------------------------------------------------


def test_a_w2_trajectory_starts_under_a_w2_project(mediator, person, w2_project):
    trajectory = _start(mediator, person, project=w2_project)
    assert trajectory.project == w2_project


def test_starting_a_type_the_call_does_not_fund_is_refused_and_nothing_is_written(
    mediator, person, w2_project
):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _start(mediator, person, type="work_care", project=w2_project)
    message = refused.value.message_dict["project"][0]
    assert "The call C-W2 Call c-w2 does not fund" in message
    assert "Work-and-care" in message
    assert not Trajectory.objects.exists()
    assert AuditEvent.objects.count() == events


def test_starting_before_the_project_began_is_refused(mediator, person, organisation):
    project = _project(
        "p-late", _call("c-late", ["w2"]), organisation, start=TODAY - dt.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as refused:
        _start(mediator, person, project=project, start_date=TODAY - dt.timedelta(days=30))
    assert "falls outside" in refused.value.message_dict["project"][0]


def test_changing_the_project_is_refused_until_a_programme_manager_records_an_exception(
    mediator, person, w2_project, manager
):
    trajectory = _start(mediator, person, type="regular")
    with pytest.raises(ValidationError) as refused:
        trajectory_services.trajectory_set_project(
            acting_user=mediator, trajectory=trajectory, project=w2_project
        )
    assert "does not fund" in refused.value.message_dict["project"][0]
    trajectory.refresh_from_db()
    assert trajectory.project is None

    exception = funding_exception_record(
        acting_user=manager,
        project=w2_project,
        trajectory=trajectory,
        kind="regular",
        reason="Beslissing stuurgroep 12/03: overstap naar W² loopt, ESF-beheerder akkoord.",
    )
    event = AuditEvent.objects.get(event_type=Event.FUNDING_EXCEPTION_RECORDED)
    assert event.person_id == person.pk and event.actor_id == manager.pk
    assert event.data["reason_given"] is True
    assert "stuurgroep" not in str(event.data)  # no free text in the audit trail
    assert exception.recorded_by == manager

    trajectory_services.trajectory_set_project(
        acting_user=mediator, trajectory=trajectory, project=w2_project
    )
    trajectory.refresh_from_db()
    assert trajectory.project == w2_project
    changed = AuditEvent.objects.get(event_type=Event.TRAJECTORY_PROJECT_CHANGED)
    assert changed.data["to"] == "p-w2"


def test_correcting_the_start_date_outside_the_period_is_refused(mediator, person, organisation):
    project = _project(
        "p-short", _call("c-short", ["w2"]), organisation, start=TODAY - dt.timedelta(days=60)
    )
    trajectory = _start(mediator, person, project=project)
    corrector = make_user(Role.MEDIATOR, organisation=mediator.organisation)
    with pytest.raises(ValidationError) as refused:
        trajectory_services.trajectory_correct_dates(
            acting_user=corrector if corrector else mediator,
            trajectory=trajectory,
            start_date=TODAY - dt.timedelta(days=90),
            end_date=None,
            reason="Tikfout",
        )
    assert "falls outside" in refused.value.message_dict["start_date"][0]


def test_only_a_programme_manager_records_an_exception_and_only_with_a_reason(
    mediator, person, w2_project, manager
):
    trajectory = _start(mediator, person, type="regular")
    with pytest.raises(PermissionDenied):
        funding_exception_record(
            acting_user=mediator,
            project=w2_project,
            trajectory=trajectory,
            kind="regular",
            reason="x",
        )
    with pytest.raises(ValidationError) as refused:
        funding_exception_record(
            acting_user=manager,
            project=w2_project,
            trajectory=trajectory,
            kind="regular",
            reason=" ",
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        funding_exception_record(
            acting_user=manager, project=w2_project, trajectory=trajectory, kind="youth", reason="x"
        )
    assert "kind" in refused.value.message_dict
    assert not FundingException.objects.exists()


# --- group work ------------------------------------------------------------------------------


@pytest.fixture
def coach():
    partner = OrganisationFactory(kind=OrganisationKind.GROUP_WORK_PARTNER)
    return make_user(Role.GROUP_COACH, organisation=partner)


def _module(project, coach):
    programme = groupwork_services.programme_save(
        acting_user=None, project=project, name="Groep", province="oost_vlaanderen", coaches=[coach]
    )
    return groupwork_services.module_save(
        acting_user=None,
        programme=programme,
        name="Wie ben ik?",
        theme="self_insight",
        session_count=4,
        capacity=8,
    )


def _plan(module, starts_on):
    return enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=starts_on,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
    )


def test_group_work_of_a_478_like_call_takes_w2_participants_only(
    mediator, person, w2_project, coach, manager
):
    module = _module(w2_project, coach)
    w2 = _start(mediator, person)
    enrolment_services.enrolment_request(acting_user=mediator, trajectory=w2, module=module)

    other = _start(mediator, make_person(mediator, first_name="Ana"), type="work_care")
    with pytest.raises(ValidationError) as refused:
        enrolment_services.enrolment_request(acting_user=mediator, trajectory=other, module=module)
    assert "only for participants" in refused.value.message_dict["project"][0]
    assert not Enrolment.objects.filter(trajectory=other).exists()

    funding_exception_record(
        acting_user=manager,
        project=w2_project,
        trajectory=other,
        kind="group_work",
        reason="Werk-zorgdeelnemer stroomt door naar W²; ESF-beheerder akkoord.",
    )
    enrolment_services.enrolment_request(acting_user=mediator, trajectory=other, module=module)
    assert Enrolment.objects.filter(trajectory=other).exists()


def test_a_place_in_a_group_after_the_project_ended_is_refused(
    mediator, person, organisation, coach
):
    project = _project(
        "p-ending",
        _call("c-ending", ["w2", "group_work"]),
        organisation,
        end=TODAY + dt.timedelta(days=5),
    )
    module = _module(project, coach)
    _plan(module, TODAY + dt.timedelta(days=20))  # the only group starts after the end
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator, trajectory=_start(mediator, person), module=module
    )
    with pytest.raises(ValidationError) as refused:
        enrolment_services.enrolment_decide(acting_user=coach, enrolment=enrolment, accept=True)
    assert "falls outside" in refused.value.message_dict["project"][0]
    enrolment.refresh_from_db()
    assert enrolment.status == "requested" and enrolment.intake is None


# --- outreach --------------------------------------------------------------------------------


def test_an_outreach_contact_under_a_project_whose_call_does_not_fund_outreach_is_refused(
    w2_project,
):
    team = OrganisationFactory(kind=OrganisationKind.OUTREACH_PARTNER)
    worker = make_user(Role.OUTREACH_WORKER, organisation=team)
    place = outreach_services.place_save(
        acting_user=worker,
        kind="school_gate",
        name="Schoolpoort",
        municipality="Hasselt",
        project=w2_project,
    )
    with pytest.raises(ValidationError) as refused:
        outreach_services.contact_log(acting_user=worker, place=place, nickname="Mama Yasmine")
    assert "does not fund Outreach" in refused.value.message_dict["project"][0]
    assert not Prospect.objects.exists() and not ContactMoment.objects.exists()

    funded = _project("p-out", _call("c-out", ["outreach"]), team)
    place = outreach_services.place_save(
        acting_user=worker,
        kind="school_gate",
        name="Schoolpoort",
        municipality="Hasselt",
        project=funded,
        place=place,
    )
    outreach_services.contact_log(acting_user=worker, place=place, nickname="Mama Yasmine")
    assert ContactMoment.objects.count() == 1


# --- privacy ---------------------------------------------------------------------------------


def test_an_exception_is_in_the_persons_export_and_goes_with_retention(
    mediator, person, w2_project, manager
):
    trajectory = _start(mediator, person, type="regular")
    funding_exception_record(
        acting_user=manager,
        project=w2_project,
        trajectory=trajectory,
        kind="regular",
        reason="Overstap naar W² loopt.",
    )
    exported = person_export(person)["funding_exceptions"]
    assert exported[0]["reason"] == "Overstap naar W² loopt."
    assert exported[0]["trajectory"] == str(trajectory.public_id)
    counts, _persons = run_steps({"case_content": [person.pk]}, write=True)
    assert counts["funding_exceptions"] == 1
    assert not FundingException.objects.exists()


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def with_exception(mediator, person, w2_project, manager):
    trajectory = _start(mediator, person, type="regular")
    funding_exception_record(
        acting_user=manager,
        project=w2_project,
        trajectory=trajectory,
        kind="regular",
        reason="Overstap naar W² loopt.",
    )
    trajectory_services.trajectory_set_project(
        acting_user=mediator, trajectory=trajectory, project=w2_project
    )
    return trajectory


def test_the_programme_manager_sees_the_counts_and_the_exceptions_access_logged(
    client, manager, w2_project, with_exception
):
    client.force_login(manager)
    url = reverse("programmes:project_detail", kwargs={"code": w2_project.code})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="funding-counts"' in body
    assert "Overstap naar W² loopt." in body and str(with_exception.public_id) in body
    assert AccessLog.objects.filter(
        user=manager, person=with_exception.person, what="funding exceptions of a project"
    ).exists()
    # One trajectory, by exception: a count of 1 is hidden.
    assert "Record a funding exception" in body


def test_an_administrator_sees_the_counts_but_no_exception(client, w2_project, with_exception):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    url = reverse("programmes:project_detail", kwargs={"code": w2_project.code})
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="funding-counts"' in body
    assert "Overstap naar W² loopt." not in body
    assert not AccessLog.objects.filter(user=admin).exists()
    response = client.get(reverse("programmes:funding_exception_create", kwargs={"code": "p-w2"}))
    assert response.status_code in (403, 404)


def test_the_programme_manager_records_an_exception_through_the_page(
    client, manager, mediator, person, w2_project
):
    trajectory = _start(mediator, person, type="regular")
    client.force_login(manager)
    url = reverse("programmes:funding_exception_create", kwargs={"code": w2_project.code})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"trajectory": str(trajectory.public_id), "kind": "regular", "reason": "Akkoord ESF."}
    )
    assert response.status_code == 302
    assert FundingException.objects.get().trajectory == trajectory
    bad = client.post(
        url,
        {"trajectory": str(trajectory.public_id), "kind": "youth", "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200 and "own type or its group work" in bad.content.decode()


def test_the_lead_mediator_sees_the_funding_on_the_trajectory_page(mediator_client, with_exception):
    url = reverse("trajectories:trajectory_detail", kwargs={"public_id": with_exception.public_id})
    body = mediator_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="funding"' in body
    assert "Project p-w2" in body and "C-W2 Call c-w2" in body
    assert "Covered by an exception a programme manager recorded." in body


def test_the_mediator_changes_the_project_on_its_page(
    mediator_client, mediator, person, w2_project
):
    trajectory = _start(mediator, person, type="regular")
    url = reverse("trajectories:trajectory_project", kwargs={"public_id": trajectory.public_id})
    response = mediator_client.post(url, {"project": w2_project.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "does not fund" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.project is None


def test_another_organisation_and_the_programme_manager_do_not_see_the_trajectory_page(
    client, other_mediator, manager, with_exception
):
    for user in (other_mediator, manager):
        client.force_login(user)
        for name in ("trajectory_detail", "trajectory_project"):
            url = reverse(f"trajectories:{name}", kwargs={"public_id": with_exception.public_id})
            assert client.get(url).status_code in (403, 404)
