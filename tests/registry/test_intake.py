"""The intake queue of a VDAB office (issue 18): a person referred to the office waits in its
queue with the sender's note, urgency and waiting days; a mediator of the office takes them
(for themself or a colleague), sends them back or forwards them, with a reason; the sender
sees what the office did. The story that failed: the service line referred a person to the
Ghent office with "Dringend: dreigende uithuiszetting" and no mediator saw him anywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.events import Event
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common.transitions import TransitionNotAllowed
from tandem.notifications.models import Notification
from tandem.registry.intake import selectors, services
from tandem.registry.intake.models import Intake, IntakeSource, IntakeStatus, Urgency
from tandem.registry.intake.services import INTAKE
from tandem.screening import services as screening_services
from tandem.screening.selectors import current_checklist
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

NOTE = "Dringend: dreigende uithuiszetting"


@pytest.fixture
def vdab(db):
    return OrganisationFactory(name="VDAB", code="vdab-root")


@pytest.fixture
def ghent(vdab):
    return OrganisationFactory(
        name="VDAB Gent",
        code="vdab-gent",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )


@pytest.fixture
def aalst(vdab):
    return OrganisationFactory(
        name="VDAB Aalst",
        code="vdab-aalst",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )


@pytest.fixture
def service_line(db):
    return make_user(
        Role.SERVICE_LINE, organisation=OrganisationFactory(name="Lijn"), username="lijn"
    )


@pytest.fixture
def ghent_mediator(ghent):
    return make_user(Role.MEDIATOR, organisation=ghent, username="gent1")


@pytest.fixture
def ghent_colleague(ghent):
    return make_user(Role.MEDIATOR, organisation=ghent, username="gent2")


@pytest.fixture
def aalst_mediator(aalst):
    return make_user(Role.MEDIATOR, organisation=aalst, username="aalst1")


def _refer(service_line, office, *, note=NOTE, urgency=Urgency.URGENT):
    person = make_person(service_line, first_name="Karim", last_name="Uithuis")
    screening = screening_services.screening_conduct(
        acting_user=service_line,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "slechte-woning"],
        motivation="sufficient",
        outflow_within_two_years="yes",
    )
    screening_services.screening_refer(
        acting_user=service_line,
        screening=screening,
        organisation=office,
        note=note,
        urgency=urgency,
    )
    return Intake.objects.get(person=person)


# --- the state machine ---------------------------------------------------------------------

MOVES = [
    # (from, to, allowed)
    (IntakeStatus.WAITING, IntakeStatus.TAKEN, True),
    (IntakeStatus.WAITING, IntakeStatus.SENT_BACK, True),
    (IntakeStatus.WAITING, IntakeStatus.FORWARDED, True),
    (IntakeStatus.TAKEN, IntakeStatus.SENT_BACK, False),
    (IntakeStatus.TAKEN, IntakeStatus.FORWARDED, False),
    (IntakeStatus.SENT_BACK, IntakeStatus.TAKEN, False),
    (IntakeStatus.FORWARDED, IntakeStatus.TAKEN, False),
    (IntakeStatus.TAKEN, IntakeStatus.WAITING, False),
]


@pytest.mark.parametrize(("from_status", "to_status", "allowed"), MOVES)
def test_the_state_machine_table(from_status, to_status, allowed):
    assert INTAKE.allows(from_status, to_status) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            INTAKE.check(from_status, to_status)


def test_every_status_is_in_the_table():
    assert set(INTAKE.table) == set(IntakeStatus.values)


# --- the story -------------------------------------------------------------------------------


def test_the_story_service_line_refers_ghent_takes_the_service_line_sees_taken(
    client, service_line, ghent, ghent_mediator
):
    intake = _refer(service_line, ghent)
    assert intake.office == ghent
    assert intake.source == IntakeSource.SCREENING
    assert (intake.note, intake.urgency, intake.status) == (
        NOTE,
        Urgency.URGENT,
        IntakeStatus.WAITING,
    )

    # The Ghent mediator's home page and queue show him, with the note and urgency.
    client.force_login(ghent_mediator)
    home = client.get(reverse("home:home")).content.decode()
    assert "Uithuis" in home and 'id="p-intake-queue"' in home
    queue = client.get(reverse("registry:intake_queue"))
    body = queue.content.decode()
    assert queue.status_code == 200
    assert "Uithuis" in body and NOTE in body
    assert AccessLog.objects.filter(
        user=ghent_mediator, person=intake.person, what="intake queue"
    ).exists()

    # The mediator takes him: he is in their caseload until a trajectory starts.
    prefix = f"i{intake.public_id.hex[:12]}"
    response = client.post(
        reverse("registry:intake_decide", args=[intake.public_id]), {f"{prefix}-decision": "take"}
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.status, intake.assignee, intake.decided_by) == (
        IntakeStatus.TAKEN,
        ghent_mediator,
        ghent_mediator,
    )
    caseload = client.get(reverse("trajectories:caseload")).content.decode()
    assert "Uithuis" in caseload
    assert list(selectors.taken_without_trajectory(ghent_mediator)) == [intake]
    assert not client.get(reverse("registry:intake_queue")).content.decode().count("Uithuis")

    # The service line sees "taken", and is notified.
    client.force_login(service_line)
    home = client.get(reverse("home:home")).content.decode()
    assert "Uithuis" in home and 'id="p-my-referrals"' in home
    assert "Opgenomen" in home  # "Taken", in the demo's language
    assert Notification.objects.filter(recipient=service_line, kind="intake.taken").exists()


# --- services ----------------------------------------------------------------------------------


def test_create_is_audited_without_the_note(service_line, ghent):
    intake = _refer(service_line, ghent)
    event = AuditEvent.objects.get(event_type=Event.INTAKE_CREATED)
    assert event.data["intake"] == str(intake.public_id)
    assert event.data["note_given"] is True
    assert NOTE not in str(event.data)


def test_take_for_a_colleague_of_the_same_office(
    service_line, ghent, ghent_mediator, ghent_colleague
):
    intake = _refer(service_line, ghent)
    services.intake_take(acting_user=ghent_mediator, intake=intake, assignee=ghent_colleague)
    intake.refresh_from_db()
    assert intake.assignee == ghent_colleague
    assert intake.changes.get().to_status == IntakeStatus.TAKEN
    assert AuditEvent.objects.filter(event_type=Event.INTAKE_STATUS_CHANGED).count() == 1


def test_take_for_a_mediator_of_another_office_is_refused(
    service_line, ghent, ghent_mediator, aalst_mediator
):
    intake = _refer(service_line, ghent)
    with pytest.raises(ValidationError):
        services.intake_take(acting_user=ghent_mediator, intake=intake, assignee=aalst_mediator)


def test_taken_twice_is_refused(service_line, ghent, ghent_mediator, ghent_colleague):
    intake = _refer(service_line, ghent)
    services.intake_take(acting_user=ghent_mediator, intake=intake)
    with pytest.raises(TransitionNotAllowed):
        services.intake_take(acting_user=ghent_colleague, intake=intake)


def test_send_back_needs_a_reason_and_tells_the_sender(service_line, ghent, ghent_mediator):
    intake = _refer(service_line, ghent)
    with pytest.raises(ValidationError):
        services.intake_send_back(acting_user=ghent_mediator, intake=intake, reason="  ")
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.WAITING
    services.intake_send_back(acting_user=ghent_mediator, intake=intake, reason="Woont in Aalst")
    intake.refresh_from_db()
    assert (intake.status, intake.reason) == (IntakeStatus.SENT_BACK, "Woont in Aalst")
    assert Notification.objects.filter(recipient=service_line, kind="intake.sent_back").exists()


def test_forward_to_another_office(service_line, ghent, aalst, ghent_mediator, aalst_mediator):
    intake = _refer(service_line, ghent)
    with pytest.raises(ValidationError):
        services.intake_forward(acting_user=ghent_mediator, intake=intake, office=aalst, reason="")
    with pytest.raises(ValidationError):
        services.intake_forward(acting_user=ghent_mediator, intake=intake, office=ghent, reason="x")
    new = services.intake_forward(
        acting_user=ghent_mediator, intake=intake, office=aalst, reason="Woont in Aalst"
    )
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FORWARDED and intake.forwarded_to == new
    assert (new.office, new.status, new.note, new.urgency, new.sender) == (
        aalst,
        IntakeStatus.WAITING,
        NOTE,
        Urgency.URGENT,
        service_line,
    )
    # Aalst's mediators see the person now, and find him in their queue.
    assert list(selectors.queue_for(aalst_mediator)) == [new]
    assert list(selectors.queue_for(ghent_mediator)) == []


def test_another_offices_mediator_cannot_see_or_take(client, service_line, ghent, aalst_mediator):
    intake = _refer(service_line, ghent)
    assert list(selectors.queue_for(aalst_mediator)) == []
    with pytest.raises(Http404):
        services.intake_take(acting_user=aalst_mediator, intake=intake)
    client.force_login(aalst_mediator)
    prefix = f"i{intake.public_id.hex[:12]}"
    response = client.post(
        reverse("registry:intake_decide", args=[intake.public_id]), {f"{prefix}-decision": "take"}
    )
    assert response.status_code == 404
    assert "Uithuis" not in client.get(reverse("registry:intake_queue")).content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.WAITING


def test_only_mediators_act_on_the_queue(client, service_line, ghent):
    intake = _refer(service_line, ghent)
    with pytest.raises(PermissionDenied):
        services.intake_take(acting_user=service_line, intake=intake)
    client.force_login(service_line)
    assert client.get(reverse("registry:intake_queue")).status_code == 403


def test_the_queue_is_urgent_first_then_longest_waiting(service_line, ghent, ghent_mediator):
    normal_old = _refer(service_line, ghent, urgency=Urgency.NORMAL)
    urgent_new = _refer(service_line, ghent, urgency=Urgency.URGENT)
    normal_new = _refer(service_line, ghent, urgency=Urgency.NORMAL)
    Intake.objects.filter(pk=normal_old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    assert list(selectors.queue_for(ghent_mediator)) == [urgent_new, normal_old, normal_new]


def test_an_invalid_decision_shows_the_queue_again_with_the_error(
    client, service_line, ghent, ghent_mediator
):
    intake = _refer(service_line, ghent)
    client.force_login(ghent_mediator)
    prefix = f"i{intake.public_id.hex[:12]}"
    response = client.post(
        reverse("registry:intake_decide", args=[intake.public_id]),
        {f"{prefix}-decision": "send_back", f"{prefix}-reason": ""},
    )
    assert response.status_code == 400
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.WAITING


# --- the flag ------------------------------------------------------------------------------------


def test_flagged_after_n_working_days(settings, service_line, ghent, ghent_mediator):
    settings.TANDEM_INTAKE_FLAG_AFTER_WORKING_DAYS = 3
    intake = _refer(service_line, ghent)
    # Arrived on Thursday 3 December 2026: Fri, Mon, Tue are 3 working days (not flagged),
    # Wednesday 9 December is the 4th (flagged).
    arrived = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))
    Intake.objects.filter(pk=intake.pk).update(created_at=arrived)
    item = selectors.queue_for(ghent_mediator).get()
    [shown] = selectors.annotate_waiting([item], today=dt.date(2026, 12, 8))
    assert (shown.waiting_days, shown.flagged) == (3, False)
    [shown] = selectors.annotate_waiting([item], today=dt.date(2026, 12, 9))
    assert (shown.waiting_days, shown.flagged) == (4, True)
    settings.TANDEM_INTAKE_FLAG_AFTER_WORKING_DAYS = 5
    [shown] = selectors.annotate_waiting([item], today=dt.date(2026, 12, 9))
    assert shown.flagged is False


def test_a_taken_item_is_never_flagged(service_line, ghent, ghent_mediator):
    intake = _refer(service_line, ghent)
    Intake.objects.filter(pk=intake.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    intake.refresh_from_db()
    services.intake_take(acting_user=ghent_mediator, intake=intake)
    [shown] = selectors.annotate_waiting([intake])
    assert shown.flagged is False


# --- home panels: one query each ---------------------------------------------------------------


def test_the_home_panels_are_one_query_each(rf, service_line, ghent, ghent_mediator):
    from tandem.home.work import intake as panel

    for _ in range(3):
        _refer(service_line, ghent)
    request = rf.get("/")
    request.user = ghent_mediator
    # The roles are read once per request (the page has them before its panels).
    assert ghent_mediator.role_codes and service_line.role_codes
    with CaptureQueriesContext(connection) as ctx:
        context = panel.intake_queue(request)
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(context["intake_items"]) == 3
    assert len(reads) == 1  # the queue; the access-log rows are one INSERT
    request.user = service_line
    with CaptureQueriesContext(connection) as ctx:
        context = panel.my_referrals(request)
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(context["my_referrals"]) == 3
    assert len(reads) == 1


# --- privacy ------------------------------------------------------------------------------------


def test_the_export_and_erasure_cover_intakes(service_line, ghent, ghent_mediator):
    from tandem.registry import privacy

    intake = _refer(service_line, ghent)
    services.intake_send_back(acting_user=ghent_mediator, intake=intake, reason="Woont in Aalst")
    [row] = privacy._intakes(intake.person)
    assert (row["note"], row["status"], row["reason"]) == (NOTE, "sent_back", "Woont in Aalst")
    result = privacy._intake_erase([intake.person_id], write=False)
    assert result.counts == {"intake_changes": 1, "intakes": 1}
    assert Intake.objects.filter(pk=intake.pk).exists()
    privacy._intake_erase([intake.person_id], write=True)
    assert not Intake.objects.filter(person=intake.person).exists()


def test_the_queue_page_costs_the_same_queries_for_one_item_or_many(
    client, service_line, ghent, ghent_mediator
):
    _refer(service_line, ghent)
    client.force_login(ghent_mediator)
    client.get(reverse("registry:intake_queue"))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("registry:intake_queue")).status_code == 200
        counts.append(len(ctx.captured_queries))
        _refer(service_line, ghent)
        _refer(service_line, ghent)
    assert counts[0] == counts[1], counts
