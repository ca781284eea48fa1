"""Group work: placement on the next intake moment with room, the waiting list and its order,
the drop-out rule, the coach's scoping and POP input (issue 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.groupwork.enrolment import follow_up, rules, selectors, services
from tandem.groupwork.models import Attendance, Enrolment, EnrolmentChange, EnrolmentStatus
from tandem.trajectories.plan.services import contact_record
from tests.factories import OrganisationFactory, make_user

from .conftest import TODAY, enrol, new_trajectory, plan

pytestmark = pytest.mark.django_db
D = dt.timedelta


# --- the rules, on their own ------------------------------------------------------------------


def test_choose_intake_takes_the_earliest_with_room_on_or_after_the_day():
    day = dt.date(2021, 3, 1)
    rooms = [
        rules.IntakeRoom(key=1, starts_on=dt.date(2021, 2, 15), capacity=8, taken=0),  # started
        rules.IntakeRoom(key=2, starts_on=dt.date(2021, 4, 1), capacity=8, taken=8),  # full
        rules.IntakeRoom(key=3, starts_on=dt.date(2021, 5, 1), capacity=8, taken=7),
        rules.IntakeRoom(key=4, starts_on=dt.date(2021, 3, 1), capacity=8, taken=8),  # full
        rules.IntakeRoom(key=5, starts_on=dt.date(2021, 6, 1), capacity=8, taken=0),
    ]
    assert rules.choose_intake(rooms, day) == 3
    # The day itself counts: a group starting today still takes people.
    rooms.append(rules.IntakeRoom(key=6, starts_on=day, capacity=8, taken=2))
    assert rules.choose_intake(rooms, day) == 6
    assert rules.choose_intake(rooms, dt.date(2021, 7, 1)) is None
    assert rules.choose_intake([], day) is None


def test_choose_intake_breaks_ties_on_the_lower_key():
    day = dt.date(2021, 1, 1)
    rooms = [
        rules.IntakeRoom(key=9, starts_on=day, capacity=1, taken=0),
        rules.IntakeRoom(key=4, starts_on=day, capacity=1, taken=0),
    ]
    assert rules.choose_intake(rooms, day) == 4


def test_the_dropout_rule_counts_unexcused_absences_only():
    assert not rules.dropout_due(["absent", "excused", "excused", "present"], 2)
    assert rules.dropout_due(["absent", "present", "present", "absent"], 2)
    assert not rules.dropout_due([], 1)
    assert rules.dropout_due(["absent"], 1)
    with pytest.raises(ValueError):
        rules.dropout_due(["absent"], 0)


# --- placement and the waiting list ------------------------------------------------------------


def test_capacity_intake_assignment_and_waiting_list_order(mediator, coach, module):
    soon = plan(module, TODAY + D(days=10))
    later = plan(module, TODAY + D(days=40))
    enrolments = [enrol(mediator, coach, module) for _ in range(6)]
    assert [e.intake_id for e in enrolments[:4]] == [soon.pk, soon.pk, later.pk, later.pk]
    assert all(e.status == EnrolmentStatus.PLACED for e in enrolments[:4])
    assert [e.status for e in enrolments[4:]] == [EnrolmentStatus.WAITING] * 2
    assert [selectors.waiting_position(e) for e in enrolments[4:]] == [1, 2]
    assert list(selectors.waiting_list(module)) == enrolments[4:]
    # No group ever holds more than its capacity.
    assert soon.enrolments.count() == module.capacity == later.enrolments.count()


def test_a_group_that_has_started_takes_no_one_new(mediator, coach, module):
    started = plan(module, TODAY - D(days=3))
    nxt = plan(module, TODAY + D(days=30))
    enrolment = enrol(mediator, coach, module, on=TODAY)
    assert enrolment.intake_id == nxt.pk != started.pk


def test_the_decision_date_decides_which_group(mediator, coach, module):
    first = plan(module, TODAY - D(days=20))
    second = plan(module, TODAY + D(days=20))
    early = enrol(mediator, coach, module, on=TODAY - D(days=25))
    late = enrol(mediator, coach, module, on=TODAY - D(days=19))
    assert (early.intake_id, late.intake_id) == (first.pk, second.pk)


def test_a_new_intake_moment_places_the_waiting_list_in_order(mediator, coach, module):
    waiting = [enrol(mediator, coach, module) for _ in range(3)]
    assert [selectors.waiting_position(e) for e in waiting] == [1, 2, 3]
    intake = plan(module, TODAY + D(days=14))
    for e in waiting:
        e.refresh_from_db()
    assert [e.status for e in waiting] == ["placed", "placed", "waiting"]
    assert waiting[0].intake_id == waiting[1].intake_id == intake.pk
    assert selectors.waiting_position(waiting[2]) == 1
    assert EnrolmentChange.objects.filter(enrolment=waiting[0], to_status="placed").exists()


def test_leaving_before_the_start_gives_the_place_on(mediator, coach, module):
    intake = plan(module, TODAY + D(days=14))
    placed = [enrol(mediator, coach, module) for _ in range(2)]
    first_waiting, second_waiting = (enrol(mediator, coach, module) for _ in range(2))
    services.enrolment_leave(acting_user=mediator, enrolment=placed[0], reason="work", on=TODAY)
    placed[0].refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert placed[0].status == "left" and placed[0].intake_id is None
    assert (first_waiting.status, first_waiting.intake_id) == ("placed", intake.pk)
    assert selectors.waiting_position(second_waiting) == 1


def test_leaving_after_the_start_keeps_the_place_used(mediator, coach, module):
    intake = plan(module, TODAY - D(days=7))
    placed = enrol(mediator, coach, module, on=TODAY - D(days=8))
    assert placed.intake_id == intake.pk
    waiting = enrol(mediator, coach, module, on=TODAY - D(days=8))
    other = enrol(mediator, coach, module, on=TODAY - D(days=8))
    services.enrolment_leave(acting_user=coach, enrolment=placed, reason="dropped_out")
    placed.refresh_from_db()
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert placed.intake_id == intake.pk  # the place was used: it counts for the fill rate
    assert waiting.intake_id == intake.pk  # the second place of the group
    assert other.status == "waiting"


def test_decline_needs_a_reason_and_a_decision_is_final(mediator, coach, module):
    trajectory = new_trajectory(mediator)
    enrolment = services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module
    )
    with pytest.raises(ValidationError) as caught:
        services.enrolment_decide(acting_user=coach, enrolment=enrolment, accept=False)
    assert "note" in caught.value.error_dict
    enrolment.refresh_from_db()
    assert enrolment.status == "requested" and enrolment.decided_on is None
    services.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=False, note="Eerst Nederlands leren"
    )
    with pytest.raises(ValidationError):
        services.enrolment_decide(acting_user=coach, enrolment=enrolment, accept=True)
    # A declined request does not block a new one for the same module.
    again = services.enrolment_request(acting_user=mediator, trajectory=trajectory, module=module)
    assert again.status == "requested"
    with pytest.raises(ValidationError):
        services.enrolment_request(acting_user=mediator, trajectory=trajectory, module=module)


def test_only_the_programmes_coaches_decide_and_only_mediators_request(
    mediator, coach, module, groep_intro
):
    stranger = make_user(Role.GROUP_COACH, organisation=groep_intro)  # same org, not a coach here
    trajectory = new_trajectory(mediator)
    with pytest.raises(PermissionDenied):
        services.enrolment_request(acting_user=coach, trajectory=trajectory, module=module)
    enrolment = services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module
    )
    with pytest.raises(PermissionDenied):
        services.enrolment_decide(acting_user=stranger, enrolment=enrolment, accept=True)
    with pytest.raises(PermissionDenied):
        services.enrolment_decide(acting_user=mediator, enrolment=enrolment, accept=True)


def test_other_leave_reason_needs_words_and_nothing_changes_on_error(mediator, coach, module):
    enrolment = enrol(mediator, coach, module)
    with pytest.raises(ValidationError):
        services.enrolment_leave(acting_user=coach, enrolment=enrolment, reason="other")
    with pytest.raises(ValidationError):
        services.enrolment_leave(acting_user=coach, enrolment=enrolment, reason="bored")
    enrolment.refresh_from_db()
    assert enrolment.status == "waiting" and enrolment.ended_on is None


# --- attendance and the drop-out signal -------------------------------------------------------


def _group(mediator, coach, module, size=2, started=14):
    intake = plan(module, TODAY - D(days=started), coach=coach)
    members = [enrol(mediator, coach, module, on=TODAY - D(days=started + 1)) for _ in range(size)]
    return intake, members, list(intake.sessions.order_by("number"))


def test_unexcused_absences_raise_a_dropout_signal_for_the_mediator(
    client, mediator, coach, module, programme
):
    programme.dropout_after = 2
    programme.save()
    _intake, (ann, bob), sessions = _group(mediator, coach, module)
    assert [s.on for s in sessions[:3]] == [TODAY - D(days=14), TODAY - D(days=7), TODAY]
    flagged = follow_up.attendance_record(
        acting_user=coach, session=sessions[0], statuses={ann.pk: "absent", bob.pk: "excused"}
    )
    assert flagged == []
    flagged = follow_up.attendance_record(
        acting_user=coach, session=sessions[1], statuses={ann.pk: "present", bob.pk: "excused"}
    )
    assert flagged == []  # excused absences do not count
    flagged = follow_up.attendance_record(
        acting_user=coach, session=sessions[2], statuses={ann.pk: "absent", bob.pk: "present"}
    )
    assert [e.pk for e in flagged] == [ann.pk]
    ann.refresh_from_db()
    assert ann.dropout_flagged_on == TODAY and ann.dropout_signal
    # The mediator sees the signal on their home page and on the trajectory.
    client.force_login(mediator)
    home = client.get("/").content.decode()
    assert "work-group" in home and ann.trajectory.person.first_name in home  # My work (issue 18)
    page = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": ann.trajectory.public_id})
    ).content.decode()
    assert "groupwork-dropout" in page
    follow_up.dropout_acknowledge(acting_user=mediator, enrolment=ann)
    assert not selectors.dropout_signals_for(mediator).exists()
    # Recording the same session again does not flag twice.
    assert (
        follow_up.attendance_record(
            acting_user=coach, session=sessions[2], statuses={ann.pk: "absent"}
        )
        == []
    )


def test_attendance_is_refused_in_the_future_and_for_strangers(mediator, coach, module):
    _intake, (ann, _bob), sessions = _group(mediator, coach, module, started=7)
    outsider = enrol(mediator, coach, module)  # waiting: not in this group
    with pytest.raises(ValidationError):
        follow_up.attendance_record(
            acting_user=coach, session=sessions[3], statuses={ann.pk: "present"}
        )
    with pytest.raises(ValidationError):
        follow_up.attendance_record(
            acting_user=coach,
            session=sessions[0],
            statuses={ann.pk: "present", outsider.pk: "absent"},
        )
    with pytest.raises(ValidationError):
        follow_up.attendance_record(
            acting_user=coach, session=sessions[0], statuses={ann.pk: "late"}
        )
    with pytest.raises(PermissionDenied):
        follow_up.attendance_record(
            acting_user=mediator, session=sessions[0], statuses={ann.pk: "present"}
        )
    assert not Attendance.objects.exists()


def test_the_coach_takes_attendance_on_one_screen(client, mediator, coach, module):
    _intake, (ann, bob), sessions = _group(mediator, coach, module)
    client.force_login(coach)
    url = reverse("groupwork:attendance", kwargs={"pk": sessions[0].pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Nobody starts as present: the coach marks everyone, and someone left out is asked for.
    assert re.findall(r"<input[^>]*checked[^>]*>", html) == []
    response = client.post(url, {f"p{ann.pk}": "present"})
    assert response.status_code == 400
    assert "Kies aanwezig, verontschuldigd of afwezig" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(url, {f"p{ann.pk}": "present", f"p{bob.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        ann.pk: "present",
        bob.pk: "absent",
    }
    assert AccessLog.objects.filter(user=coach, what="group work: attendance list").count() == 6


def test_the_coach_taps_only_the_exceptions_and_says_the_others_were_present(
    client, mediator, coach, module
):
    _intake, (ann, bob), sessions = _group(mediator, coach, module)
    client.force_login(coach)
    url = reverse("groupwork:attendance", kwargs={"pk": sessions[0].pk})
    assert "Wie ik niet aanduidde, was aanwezig" in client.get(url).content.decode()
    response = client.post(url, {f"p{bob.pk}": "excused", "others_present": "on"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        ann.pk: "present",
        bob.pk: "excused",
    }


# --- the coach's scoping ------------------------------------------------------------------------


def test_a_participant_of_another_programme_is_404_for_the_coach(
    client, mediator, coach, module, groep_intro
):
    from tests.groupwork.conftest import plan as plan_

    enrolment = enrol(mediator, coach, module)
    plan_(module, TODAY + D(days=3))
    enrolment.refresh_from_db()
    other_coach = make_user(Role.GROUP_COACH, organisation=OrganisationFactory(code="randstad-t"))
    client.force_login(other_coach)
    for name, kwargs in [
        ("groupwork:enrolment_detail", {"public_id": enrolment.public_id}),
        ("groupwork:intake_detail", {"pk": enrolment.intake_id}),
        ("groupwork:attendance", {"pk": enrolment.intake.sessions.first().pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    assert not selectors.enrolment_queryset_for(other_coach).exists()
    assert selectors.enrolment_queryset_for(coach).get() == enrolment


def test_the_coach_never_sees_the_file_nor_special_category_notes(
    client, mediator, coach, module, partner
):
    intake, (ann,), sessions = _group(mediator, coach, module, size=1)
    trajectory = ann.trajectory
    contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="mental_health",
        text="Depressieve klachten, behandeling loopt",
    )
    contact_record(
        acting_user=mediator, trajectory=trajectory, kind="office", on=TODAY, text="Algemene nota"
    )
    client.force_login(coach)
    person = trajectory.person
    # No road to the file.
    for url in (
        reverse("registry:person_detail", kwargs={"public_id": person.public_id}),
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id}),
        reverse("trajectories:pop_detail", kwargs={"public_id": trajectory.public_id}),
    ):
        assert client.get(url).status_code in (403, 404), url
    # The group-work pages show the participant, never the notes or the national number.
    for url in (
        reverse("groupwork:enrolment_detail", kwargs={"public_id": ann.public_id}),
        reverse("groupwork:intake_detail", kwargs={"pk": intake.pk}),
        reverse("groupwork:attendance", kwargs={"pk": sessions[0].pk}),
        reverse("groupwork:request_inbox"),
        "/",
    ):
        body = client.get(url).content.decode()
        assert "Depressieve" not in body and "Algemene nota" not in body, url
        assert person.insz not in body, url
    assert (
        person.first_name
        in client.get(
            reverse("groupwork:enrolment_detail", kwargs={"public_id": ann.public_id})
        ).content.decode()
    )


# --- what the coach writes for the mediator -----------------------------------------------------


def test_pop_input_reaches_the_mediator_and_goes_into_the_pop(client, mediator, coach, module):
    from tandem.trajectories.pop.services import pop_draft, pop_sign_off

    _intake, (ann,), _sessions = _group(mediator, coach, module, size=1)
    with pytest.raises(ValidationError):
        follow_up.pop_input_write(acting_user=coach, enrolment=ann)
    with pytest.raises(PermissionDenied):
        follow_up.pop_input_write(acting_user=mediator, enrolment=ann, job_target="Kok")
    first = follow_up.pop_input_write(
        acting_user=coach, enrolment=ann, job_target="Keukenhulp", strengths="Neemt initiatief"
    )
    # The first POP needs a perspective: input without one cannot start it.
    with pytest.raises(ValidationError):
        follow_up.pop_input_adopt(acting_user=mediator, pop_input=first)
    second = follow_up.pop_input_write(
        acting_user=coach,
        enrolment=ann,
        job_target="Keukenhulp",
        perspective="social_economy",
        work_plan="Stage in een sociaal restaurant",
    )
    client.force_login(mediator)
    page = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": ann.trajectory.public_id})
    ).content.decode()
    assert "Stage in een sociaal restaurant" in page
    response = client.post(reverse("groupwork:pop_input_adopt", kwargs={"pk": second.pk}))
    assert response.status_code == 302
    pop = ann.trajectory.pops.get()
    assert (pop.version, pop.job_target, pop.perspective, pop.work_plan) == (
        1,
        "Keukenhulp",
        "social_economy",
        "Stage in een sociaal restaurant",
    )
    second.refresh_from_db()
    assert second.adopted_into == pop
    with pytest.raises(ValidationError):
        follow_up.pop_input_adopt(acting_user=mediator, pop_input=second)
    # Into a signed-off POP: a new version, the rest copied.
    pop_sign_off(acting_user=mediator, pop=pop, on=TODAY)
    third = follow_up.pop_input_write(acting_user=coach, enrolment=ann, welfare_plan="Budgetcursus")
    new = follow_up.pop_input_adopt(acting_user=mediator, pop_input=third)
    assert (new.version, new.job_target, new.welfare_plan) == (2, "Keukenhulp", "Budgetcursus")
    with pytest.raises(PermissionDenied):
        pop_draft(acting_user=coach, trajectory=ann.trajectory, perspective="nec")
    with pytest.raises(PermissionDenied):
        follow_up.pop_input_adopt(acting_user=coach, pop_input=first)


def test_notes_are_for_participants_only(mediator, coach, module):
    trajectory = new_trajectory(mediator)
    requested = services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module
    )
    with pytest.raises(ValidationError):
        follow_up.note_write(acting_user=coach, enrolment=requested, text="x")
    _intake, (ann,), _ = _group(mediator, coach, module, size=1)
    note = follow_up.note_write(acting_user=coach, enrolment=ann, text="  Komt altijd op tijd ")
    assert note.text == "Komt altijd op tijd"


# --- the pages, as a mediator and a coach would use them -------------------------------------


def test_mediator_enrols_and_coach_accepts_through_the_pages(client, mediator, coach, module):
    intake = plan(module, TODAY + D(days=5))
    trajectory = new_trajectory(mediator)
    client.force_login(mediator)
    url = reverse("groupwork:enrolment_create", kwargs={"public_id": trajectory.public_id})
    page = client.get(url).content.decode()
    assert "Wie ben ik?" in page
    response = client.post(url, {})
    assert response.status_code == 400
    response = client.post(url, {"module": module.pk, "note": "Liefst voormiddag"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.status == "requested" and enrolment.request_note == "Liefst voormiddag"

    client.force_login(coach)
    inbox = client.get(reverse("groupwork:request_inbox")).content.decode()
    assert trajectory.person.first_name in inbox
    decide = reverse("groupwork:enrolment_decide", kwargs={"public_id": enrolment.public_id})
    assert client.post(decide, {"decide-decision": "decline"}).status_code == 400
    response = client.post(decide, {"decide-decision": "accept"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.intake_id) == ("placed", intake.pk)

    client.force_login(mediator)
    page = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    ).content.decode()
    assert "Wie ben ik?" in page
    assert enrolment.get_status_display() in page


def test_a_coach_plans_an_intake_moment_and_moves_a_session(client, coach, module):
    # A Monday a few weeks ahead: sessions are planned within the year ahead.
    today = dt.date.today()
    START = today + dt.timedelta(days=14 + (7 - today.weekday()) % 7)
    client.force_login(coach)
    url = reverse("groupwork:intake_create", kwargs={"pk": module.pk})
    bad = client.post(
        url, {"starts_on": START.isoformat(), "starts_at": "10:00", "ends_at": "09:00"}
    )
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "starts_on": START.isoformat(),
            "starts_at": "09:30",
            "ends_at": "12:00",
            "every_days": "7",
            "place": "Buurthuis",
            "coach": coach.pk,
        },
    )
    assert response.status_code == 302
    intake = module.intakes.get()
    assert [s.on for s in intake.sessions.order_by("number")] == [
        START,
        START + dt.timedelta(days=7),
        START + dt.timedelta(days=14),
        START + dt.timedelta(days=21),
    ]
    session = intake.sessions.get(number=2)
    response = client.post(
        reverse("groupwork:session_edit", kwargs={"pk": session.pk}),
        {
            "on": (START + dt.timedelta(days=8)).isoformat(),
            "starts_at": "13:00",
            "ends_at": "15:00",
            "place": "Bib",
            "coach": "",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.on, session.place, session.coach) == (START + dt.timedelta(days=8), "Bib", None)


@pytest.mark.parametrize("size", [2, 8])
def test_the_attendance_page_costs_the_same_for_any_group(
    client, mediator, coach, module, size, django_assert_max_num_queries
):
    module.capacity = 8
    module.save()
    _intake, members, sessions = _group(mediator, coach, module, size=size)
    client.force_login(coach)
    url = reverse("groupwork:attendance", kwargs={"pk": sessions[0].pk})
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    statuses = {f"p{e.pk}": "present" for e in members}
    with django_assert_max_num_queries(30):
        assert client.post(url, statuses).status_code == 302
