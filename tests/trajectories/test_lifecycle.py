import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.common.states import TransitionNotAllowed
from tandem.trajectories import services
from tandem.trajectories.models import (
    ALLOWED_TRANSITIONS,
    ContractType,
    JobStart,
    Side,
    Status,
    StatusChange,
    Trajectory,
)
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _to(trajectory, status):
    """Bring a fresh trajectory to a status along allowed paths, recording a job if needed."""
    paths = {
        Status.REFERRED: [],
        Status.INTAKE: [Status.INTAKE],
        Status.ACTIVE: [Status.INTAKE, Status.ACTIVE],
        Status.PAUSED: [Status.INTAKE, Status.ACTIVE, Status.PAUSED],
        Status.EMPLOYED: [Status.INTAKE, Status.ACTIVE, Status.EMPLOYED],
        Status.CLOSED: [Status.CLOSED],
    }
    user = trajectory.lead_mediator
    for step in paths[status]:
        if step == Status.EMPLOYED:
            JobStart.objects.create(
                trajectory=trajectory,
                employer=OrganisationFactory(kind="employer"),
                started_on=TODAY,
                contract_type=ContractType.PERMANENT,
                recorded_by=user,
            )
        trajectory = services.trajectory_transition(
            acting_user=user,
            trajectory=trajectory,
            to_status=step,
            reason="pauze" if step == Status.PAUSED else "",
            closure_reason="other" if step == Status.CLOSED else "",
        )
    return trajectory


@pytest.mark.parametrize(("start", "target"), list(itertools.product(Status, Status)))
def test_every_transition_is_allowed_or_refused_by_the_table(mediator, start, target):
    person = make_person(mediator)
    trajectory = services.trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="test"
    )
    trajectory = _to(trajectory, start)
    assert trajectory.status == start
    if target == Status.EMPLOYED and not trajectory.job_starts.exists():
        JobStart.objects.create(
            trajectory=trajectory,
            employer=OrganisationFactory(kind="employer"),
            started_on=TODAY,
            contract_type=ContractType.PERMANENT,
            recorded_by=mediator,
        )
    kwargs = {
        "reason": "pauze",
        "closure_reason": "work_regular" if target == Status.CLOSED else "",
    }
    if target in ALLOWED_TRANSITIONS[start]:
        result = services.trajectory_transition(
            acting_user=mediator, trajectory=trajectory, to_status=target, **kwargs
        )
        assert result.status == target
        change = StatusChange.objects.filter(trajectory=trajectory).last()
        assert (change.from_status, change.to_status, change.by) == (start, target, mediator)
    else:
        with pytest.raises((TransitionNotAllowed, PermissionDenied)):
            services.trajectory_transition(
                acting_user=mediator, trajectory=trajectory, to_status=target, **kwargs
            )
        trajectory.refresh_from_db()
        assert trajectory.status == start


def test_closing_needs_a_reason_and_sets_the_end_date(trajectory, mediator):
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            acting_user=mediator, trajectory=trajectory, to_status=Status.CLOSED
        )
    closed = services.trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status=Status.CLOSED,
        closure_reason="work_regular",
        on=TODAY,
    )
    assert (closed.end_date, closed.closure_reason) == (TODAY, "work_regular")
    assert AuditEvent.objects.filter(event_type="trajectory.status_changed").exists()


def test_a_qualification_is_recorded_on_closing_only(trajectory, mediator):
    with pytest.raises(ValidationError) as caught:
        services.trajectory_transition(
            acting_user=mediator,
            trajectory=trajectory,
            to_status=Status.PAUSED,
            reason="Ziek",
            qualification_gained=True,
        )
    assert "qualification_gained" in caught.value.error_dict
    trajectory.refresh_from_db()
    assert trajectory.status != Status.PAUSED and not trajectory.qualification_gained
    closed = services.trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status=Status.CLOSED,
        closure_reason="training",
        qualification_gained=True,
    )
    assert closed.qualification_gained


def test_pausing_needs_a_reason(trajectory, mediator):
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            acting_user=mediator, trajectory=trajectory, to_status=Status.PAUSED
        )


def test_employed_needs_a_job_start(trajectory, mediator):
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            acting_user=mediator, trajectory=trajectory, to_status=Status.EMPLOYED
        )


def test_transition_dates_cannot_go_back_or_into_the_future(trajectory, mediator):
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            acting_user=mediator,
            trajectory=trajectory,
            to_status=Status.PAUSED,
            reason="x",
            on=TODAY + dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            acting_user=mediator,
            trajectory=trajectory,
            to_status=Status.PAUSED,
            reason="x",
            on=trajectory.start_date - dt.timedelta(days=1),
        )


def test_one_open_trajectory_per_type(mediator, person, trajectory):
    with pytest.raises(ValidationError) as caught:
        services.trajectory_start(acting_user=mediator, person=person, type="w2", reason="x")
    assert caught.value.error_dict["type"][0].code == "one_open_per_type"
    # Another type is fine; and after closing, a new W² may start.
    services.trajectory_start(acting_user=mediator, person=person, type="youth", reason="x")
    services.trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status=Status.CLOSED,
        closure_reason="dropped_out",
    )
    again = services.trajectory_start(acting_user=mediator, person=person, type="w2", reason="y")
    assert Trajectory.objects.filter(person=person, type="w2").count() == 2
    assert again.status == Status.REFERRED


def test_start_needs_a_screening_or_a_reason(mediator, person):
    with pytest.raises(ValidationError):
        services.trajectory_start(acting_user=mediator, person=person, type="w2", reason=" ")


def test_start_from_a_screening(mediator, person):
    from tandem.screening.selectors import current_checklist
    from tandem.screening.services import screening_conduct

    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "slechte-woning"],
        motivation="sufficient",
        outflow_within_two_years="yes",
    )
    trajectory = services.trajectory_start(
        acting_user=mediator, person=person, type=screening.route, screening=screening
    )
    assert trajectory.type == "w2"
    assert trajectory.screening == screening


def test_only_mediators_start_trajectories(person, organisation):
    coach = make_user(Role.JOB_COACH, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.trajectory_start(acting_user=coach, person=person, type="w2", reason="x")


def test_dates_are_corrected_only_with_a_reason_and_audited(trajectory, mediator):
    with pytest.raises(ValidationError):
        services.trajectory_correct_dates(
            acting_user=mediator,
            trajectory=trajectory,
            start_date=dt.date(2024, 1, 1),
            end_date=None,
            reason="",
        )
    services.trajectory_correct_dates(
        acting_user=mediator,
        trajectory=trajectory,
        start_date=dt.date(2024, 1, 1),
        end_date=None,
        reason="Typfout bij de start",
    )
    event = AuditEvent.objects.get(event_type="trajectory.dates_corrected")
    assert event.data["before"]["start_date"] == TODAY.isoformat()
    assert event.data["after"]["start_date"] == "2024-01-01"
    # The reason stays with the trajectory (case content); the trail keeps that one was given.
    assert event.data["reason_given"] is True and "Typfout" not in str(event.data)
    trajectory.refresh_from_db()
    assert trajectory.dates_correction_reason == "Typfout bij de start"


def test_welfare_partner_joins_the_duo_and_leads_welfare_domains(trajectory, mediator, partner):
    services.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    sides = dict(trajectory.responsibilities.values_list("domain", "side"))
    assert sides["housing"] == Side.WELFARE_PARTNER
    assert sides["work_education"] == Side.MEDIATOR
    from tandem.network.consent.services import consent_give
    from tandem.registry.selectors import person_queryset_for

    # The partner opens the file once the person consents to share with their organisation.
    assert not person_queryset_for(partner).filter(pk=trajectory.person_id).exists()
    consent_give(
        acting_user=mediator,
        person=trajectory.person,
        domains=["housing"],
        purpose="Duo",
        evidence="signed_form",
        recipient_organisation=partner.organisation,
    )
    assert person_queryset_for(partner).filter(pk=trajectory.person_id).exists()


def test_welfare_partner_must_be_of_another_organisation(trajectory, mediator, organisation):
    colleague = make_user(Role.WELFARE_PARTNER, organisation=organisation)
    with pytest.raises(ValidationError):
        services.trajectory_set_welfare_partner(
            acting_user=mediator, trajectory=trajectory, partner=colleague
        )


def test_hand_over_keeps_the_history(trajectory, mediator, organisation):
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    services.trajectory_hand_over(
        acting_user=mediator, trajectory=trajectory, to_user=colleague, reason="Verlof"
    )
    trajectory.refresh_from_db()
    assert trajectory.lead_mediator == colleague
    handover = trajectory.handovers.get()
    assert (handover.from_user, handover.to_user) == (mediator, colleague)


def test_another_organisation_cannot_change_the_trajectory(trajectory, other_mediator):
    with pytest.raises(PermissionDenied):
        services.trajectory_transition(
            acting_user=other_mediator, trajectory=trajectory, to_status=Status.PAUSED, reason="x"
        )
