"""The agenda (issue 18): contacts with a date and a time, a planned contact's state machine
(planned → held / cancelled / did not come), the next contact derived from the earliest
planned one (never stored), the week view of one's own planned contacts and coached group
sessions (scoped, logged, a constant number of queries) and the printed day list (a real PDF,
read back)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common.states import TransitionNotAllowed
from tandem.groupwork import services as groupwork_services
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.network.consent.services import consent_give
from tandem.programmes.services import project_upsert
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Contact, ContactStatusChange
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.selectors import caseload_for
from tandem.trajectories.worklist.selectors import contacts_due_for
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
AGENDA = reverse("home:agenda")


def start(mediator, person):
    return tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=100),
    )


def plan(user, trajectory, on, at, kind="office", **extra):
    return plan_services.contact_plan(
        acting_user=user, trajectory=trajectory, kind=kind, on=on, at=at, **extra
    )


@pytest.fixture
def trajectory(mediator, person):
    return start(mediator, person)


# --- the state machine ---------------------------------------------------------------------------


def test_a_planned_contact_is_held_by_recording_it(mediator, trajectory):
    planned = plan(mediator, trajectory, TODAY, dt.time(10, 0), kind="home_visit", purpose="POP")
    held = plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="home_visit",
        on=TODAY,
        text="Samen het POP overlopen",
        planned=planned,
    )
    assert held.pk == planned.pk  # the same contact, not a second one
    held.refresh_from_db()
    assert (held.status, held.at, held.text) == ("held", dt.time(10, 0), "Samen het POP overlopen")
    change = ContactStatusChange.objects.get(contact=held)
    assert (change.from_status, change.to_status, change.by) == ("planned", "held", mediator)
    assert AuditEvent.objects.filter(event_type="contact.status_changed").count() == 1
    assert Contact.objects.filter(trajectory=trajectory).count() == 1
    # Held is final: it cannot be held again, cancelled or missed.
    with pytest.raises(TransitionNotAllowed):
        plan_services.contact_record(
            acting_user=mediator, trajectory=trajectory, kind="office", on=TODAY, planned=held
        )
    for status in ("cancelled", "no_show"):
        with pytest.raises(TransitionNotAllowed):
            plan_services.contact_set_status(acting_user=mediator, contact=held, status=status)


@pytest.mark.parametrize(
    ("first", "then", "allowed"),
    [
        ("cancelled", "no_show", False),
        ("no_show", "cancelled", False),
        ("cancelled", "cancelled", False),
    ],
)
def test_cancelled_and_missed_are_final(mediator, trajectory, first, then, allowed):
    contact = plan(mediator, trajectory, TODAY, dt.time(9, 0))
    plan_services.contact_set_status(
        acting_user=mediator, contact=contact, status=first, reason="Ziek"
    )
    contact.refresh_from_db()
    assert contact.status == first
    assert contact.status_changes.get().reason == "Ziek"
    with pytest.raises(TransitionNotAllowed):
        plan_services.contact_set_status(acting_user=mediator, contact=contact, status=then)


def test_planning_needs_a_time_a_real_kind_and_the_right_to_write(
    mediator, other_mediator, trajectory
):
    with pytest.raises(ValidationError):
        plan(mediator, trajectory, TODAY, dt.time(9, 0), kind="note")
    with pytest.raises(ValidationError):
        plan(mediator, trajectory, TODAY, None)
    with pytest.raises(PermissionDenied):
        plan(other_mediator, trajectory, TODAY, dt.time(9, 0))
    with pytest.raises(ValidationError):  # held is recorded with its note, not set
        plan_services.contact_set_status(
            acting_user=mediator,
            contact=plan(mediator, trajectory, TODAY, dt.time(9, 0)),
            status="held",
        )


def test_closing_the_trajectory_cancels_its_planned_contacts(mediator, trajectory):
    contact = plan(mediator, trajectory, TODAY + dt.timedelta(days=3), dt.time(9, 0))
    tservices.trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status="closed",
        closure_reason="moved_away",
        reason="Verhuisd",
    )
    contact.refresh_from_db()
    assert contact.status == "cancelled"


# --- the next contact is derived -----------------------------------------------------------------


def test_the_next_contact_is_the_earliest_planned_one(mediator, trajectory):
    def next_of():
        row = caseload_for(mediator).get(pk=trajectory.pk)
        return row.next_contact_on, row.next_contact_at

    assert next_of() == (None, None)
    later = plan(mediator, trajectory, TODAY + dt.timedelta(days=7), dt.time(14, 0))
    soon = plan(mediator, trajectory, TODAY - dt.timedelta(days=1), dt.time(11, 0))
    assert next_of() == (soon.on, dt.time(11, 0))
    # Overdue and planned: due on the home page.
    assert [t.pk for t in contacts_due_for(mediator, TODAY)] == [trajectory.pk]
    plan_services.contact_set_status(acting_user=mediator, contact=soon, status="no_show")
    assert next_of() == (later.on, dt.time(14, 0))
    assert contacts_due_for(mediator, TODAY) == []
    # A held contact does not count as the last contact until it took place; a planned one
    # never does.
    assert caseload_for(mediator).get(pk=trajectory.pk).last_contact_on is None


def test_recording_a_contact_plans_the_next_one(mediator, trajectory):
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="phone",
        on=TODAY,
        text="Gebeld",
        next_on=TODAY + dt.timedelta(days=5),
        next_at=dt.time(13, 30),
        next_kind="home_visit",
    )
    row = caseload_for(mediator, sort="next_contact").get(pk=trajectory.pk)
    assert (row.next_contact_on, row.next_contact_at) == (
        TODAY + dt.timedelta(days=5),
        dt.time(13, 30),
    )
    assert row.last_contact_on == TODAY


# --- the week view -------------------------------------------------------------------------------


@pytest.fixture
def world(mediator, partner, other_mediator, organisation):
    """The mediator's duo trajectory (with the partner), a colleague's trajectory in the same
    office, and another organisation's: each with a contact planned today."""
    mine = start(mediator, make_person(mediator, first_name="Eigen", last_name="Persoon"))
    tservices.trajectory_set_welfare_partner(acting_user=mediator, trajectory=mine, partner=partner)
    # The partner sees the person under a consent (README "Who sees what").
    consent_give(
        acting_user=mediator,
        person=mine.person,
        domains=["income"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=partner.organisation,
        given_on=TODAY - dt.timedelta(days=50),
    )
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    theirs = start(colleague, make_person(colleague, first_name="Collega", last_name="Klant"))
    elsewhere = start(
        other_mediator, make_person(other_mediator, first_name="Ander", last_name="Kantoor")
    )
    return {
        "mine": plan(mediator, mine, TODAY, dt.time(10, 0), kind="home_visit"),
        "theirs": plan(colleague, theirs, TODAY, dt.time(11, 0)),
        "elsewhere": plan(other_mediator, elsewhere, TODAY, dt.time(12, 0)),
        "colleague": colleague,
    }


def test_the_week_shows_only_the_users_own_duo_contacts(client, mediator, partner, world):
    for user in (mediator, partner):
        client.force_login(user)
        response = client.get(AGENDA)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Eigen Persoon" in body and "10:00" in body
        assert "Collega" not in body and "Ander" not in body
        # The other half of the duo's appointment says who planned it.
        planned_by = f"gepland door {mediator.get_full_name()}"
        assert (planned_by in body) == (user == partner)
        assert f'id="day-{TODAY.isoformat()}"' in body and "agenda-today" in body
    client.force_login(world["colleague"])
    body = client.get(AGENDA).content.decode()
    assert "Collega Klant" in body and "Eigen Persoon" not in body


def test_the_week_logs_each_person_shown_once(client, mediator, world):
    trajectory = world["mine"].trajectory
    plan(mediator, trajectory, MONDAY + dt.timedelta(days=6), dt.time(8, 0))
    client.force_login(mediator)
    mark = _mark()
    client.get(AGENDA)
    rows = _logged_after(mark).filter(what="agenda")
    assert [r.person_id for r in rows] == [trajectory.person_id]
    assert rows.get().purpose == "planning contacts"


def test_week_navigation(client, mediator, world):
    client.force_login(mediator)
    next_week = MONDAY + dt.timedelta(days=7)
    label = f"{next_week.isocalendar()[0]}-W{next_week.isocalendar()[1]:02d}"
    plan(mediator, world["mine"].trajectory, next_week + dt.timedelta(days=2), dt.time(15, 45))
    body = client.get(AGENDA).content.decode()
    assert f"?week={label}" in body and "15:45" not in body
    body = client.get(AGENDA, {"week": label}).content.decode()
    assert "15:45" in body and "agenda-today" not in body
    # Nonsense is this week.
    assert "agenda-today" in client.get(AGENDA, {"week": "2026-W99"}).content.decode()


@pytest.fixture
def coach_with_sessions():
    org = OrganisationFactory(code="groep-intro-agenda", kind=OrganisationKind.GROUP_WORK_PARTNER)
    coach = make_user(Role.GROUP_COACH, organisation=org)
    project = project_upsert(
        acting_user=None,
        code="esf-agenda-t",
        name="Groepswerk",
        promoter=org,
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=400),
        budget=1000,
    )
    programme = groupwork_services.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk Gent",
        province="oost_vlaanderen",
        coaches=[coach],
    )
    module = groupwork_services.module_save(
        acting_user=None,
        programme=programme,
        name="Wie ben ik?",
        theme="self_insight",
        session_count=3,
        capacity=8,
    )
    enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=TODAY,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis De Centrale",
        coach=coach,
    )
    return coach


def test_a_group_coach_sees_the_sessions_they_coach(client, coach_with_sessions, mediator, world):
    client.force_login(coach_with_sessions)
    body = client.get(AGENDA).content.decode()
    assert "Wie ben ik?" in body and "09:30–12:00" in body and "Buurthuis De Centrale" in body
    assert "Eigen Persoon" not in body
    with CaptureQueriesContext(connection) as queries:
        client.get(AGENDA)
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]
    # A mediator coaches no group.
    client.force_login(mediator)
    assert "Wie ben ik?" not in client.get(AGENDA).content.decode()


def test_the_week_costs_a_constant_number_of_queries(client, mediator, world):
    client.force_login(mediator)
    trajectory = world["mine"].trajectory
    client.get(AGENDA)
    with CaptureQueriesContext(connection) as small:
        assert client.get(AGENDA).status_code == 200
    for i in range(6):
        other = start(mediator, make_person(mediator, first_name=f"Extra{i}"))
        plan(mediator, other, MONDAY + dt.timedelta(days=i), dt.time(9 + i, 0))
        plan(mediator, trajectory, MONDAY + dt.timedelta(days=i), dt.time(8, 0))
    with CaptureQueriesContext(connection) as big:
        assert client.get(AGENDA).status_code == 200
    assert len(small) == len(big), [q["sql"] for q in big.captured_queries]
    # The session, the user, their roles; the week's contacts (one query); the access log (one
    # insert for every person shown). A group coach adds one for the sessions.
    assert len(big) <= 5, [q["sql"] for q in big.captured_queries]


def test_roles_without_an_agenda_get_403(client, db):
    for role in (Role.JOB_COACH, Role.SERVICE_LINE, Role.PROGRAMME_MANAGER):
        client.force_login(make_user(role))
        assert client.get(AGENDA).status_code == 403


# --- planning from the pages --------------------------------------------------------------------


def test_planning_from_the_trajectory_page_opens_the_agenda_at_that_day(
    client, mediator, trajectory
):
    client.force_login(mediator)
    day = TODAY + dt.timedelta(days=1)
    url = reverse("trajectories:contact_plan", kwargs={"public_id": trajectory.public_id})
    response = client.post(
        url,
        {
            "plan-on": day.isoformat(),
            "plan-at": "14:15",
            "plan-minutes": "45",
            "plan-kind": "home_visit",
            "plan-purpose": "Budgetplan",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#day-{day.isoformat()}")
    contact = trajectory.contacts.get()
    assert (contact.status, contact.on, contact.at, contact.minutes) == (
        "planned",
        day,
        dt.time(14, 15),
        45,
    )
    # Without a time: the form says so, nothing planned.
    response = client.post(url, {"plan-on": day.isoformat(), "plan-kind": "office"})
    assert response.status_code == 400 and trajectory.contacts.count() == 1


def test_cancelling_from_the_agenda_returns_there(client, mediator, trajectory):
    contact = plan(mediator, trajectory, TODAY, dt.time(9, 0))
    client.force_login(mediator)
    url = reverse(
        "trajectories:contact_status",
        kwargs={"public_id": trajectory.public_id, "contact_id": contact.pk},
    )
    prefix = f"contact{contact.pk}"
    response = client.post(url, {f"{prefix}-status": "cancelled", "back": "agenda"})
    assert response.status_code == 302 and response["Location"].startswith(AGENDA)
    contact.refresh_from_db()
    assert contact.status == "cancelled"


# --- the printed day list ------------------------------------------------------------------------


def _logged_after(mark: int):
    """The access-log rows written after ``mark`` (the log is append-only: never deleted)."""
    return AccessLog.objects.filter(pk__gt=mark)


def _mark() -> int:
    last = AccessLog.objects.order_by("-pk").first()
    return last.pk if last else 0


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_day_list_is_a_pdf_with_what_a_home_visit_needs(client, mediator, partner):
    person = make_person(
        mediator,
        first_name="Yasmina",
        last_name="Amrani",
        street="Sleepstraat",
        house_number="12",
        postal_code="9000",
        phone="0470 12 34 56",
    )
    trajectory = start(mediator, person)
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="mental_health",
        text="GeheimeNotitie",
    )
    plan(mediator, trajectory, TODAY, dt.time(10, 30), kind="home_visit", purpose="Budgetplan")
    elsewhere = start(mediator, make_person(mediator, first_name="Morgen", last_name="Later"))
    plan(mediator, elsewhere, TODAY + dt.timedelta(days=1), dt.time(9, 0))
    client.force_login(mediator)
    mark = _mark()
    response = client.get(reverse("home:agenda_day_pdf", kwargs={"day": TODAY.isoformat()}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="agenda-{TODAY:%Y%m%d}.pdf"')
    text = _pdf_text(response.content)
    for expected in ("10:30", "Yasmina Amrani", "Sleepstraat 12", "9000", "0470 12 34 56"):
        assert expected in text, (expected, text)
    assert "Budgetplan" in text and "Huisbezoek" in text
    # Minimal data: no notes, no one of another day.
    assert "GeheimeNotitie" not in text and "Morgen" not in text
    log = _logged_after(mark).get()
    assert (log.person_id, log.what, log.purpose) == (
        person.pk,
        "agenda: day list PDF",
        "home visits",
    )
    # Another user (the partner is not in this duo) gets an empty list, nobody logged.
    client.force_login(partner)
    mark = _mark()
    text = _pdf_text(
        client.get(reverse("home:agenda_day_pdf", kwargs={"day": TODAY.isoformat()})).content
    )
    assert "Amrani" not in text and not _logged_after(mark).exists()
    assert client.get("/agenda/not-a-day/print/").status_code == 404
    assert client.get("/agenda/2026-02-30/print/").status_code == 404  # no such day


def test_the_record_form_completes_the_planned_contact_and_plans_the_next(
    client, mediator, trajectory
):
    planned = plan(mediator, trajectory, TODAY, dt.time(9, 0), kind="home_visit")
    client.force_login(mediator)
    page = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    )
    body = page.content.decode()
    assert 'id="next-contact"' in body and "09:00" in body
    assert f'<option value="{planned.pk}">' in body  # offered, not chosen
    url = reverse("trajectories:contact_create", kwargs={"public_id": trajectory.public_id})
    response = client.post(
        url,
        {
            "contact-kind": "home_visit",
            "contact-on": TODAY.isoformat(),
            "contact-planned": str(planned.pk),
            "contact-text": "Samen het budget overlopen",
            "contact-next_on": (TODAY + dt.timedelta(days=14)).isoformat(),
            "contact-next_at": "10:30",
            "contact-next_kind": "office",
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.text) == ("held", "Samen het budget overlopen")
    following = trajectory.contacts.get(status="planned")
    assert (following.on, following.at, following.kind) == (
        TODAY + dt.timedelta(days=14),
        dt.time(10, 30),
        "office",
    )
    # A planned contact of another trajectory is no choice here.
    other = start(mediator, make_person(mediator, first_name="Ander"))
    foreign = plan(mediator, other, TODAY, dt.time(11, 0))
    response = client.post(
        url,
        {
            "contact-kind": "office",
            "contact-on": TODAY.isoformat(),
            "contact-planned": str(foreign.pk),
        },
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.status == "planned"
