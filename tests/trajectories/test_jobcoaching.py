"""Job start, job coaching (job < 1 year, employer consent, at most six months), coaching
contacts, retention checks at 1, 3 and 6 months, the end of a job, and their pages."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.accounts.models import Organisation, OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.trajectories.exceptions import JobCoachingRefused
from tandem.trajectories.jobcoaching import panels as panels_jobcoaching
from tandem.trajectories.jobcoaching.rules import (
    add_months,
    coaching_contact_allowed,
    coaching_ends_on,
    job_coaching_allowed,
    retention_due_dates,
)
from tandem.trajectories.jobcoaching.services import (
    coaching_contact_record,
    employer_create,
    job_coaching_start,
    job_end_record,
    job_start_record,
    retention_check_record,
)
from tandem.trajectories.models import (
    CoachingContact,
    ContractType,
    JobCoaching,
    JobStart,
    RetentionCheck,
    Status,
    StatusChange,
)
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()


# --- the rules, as pure functions -----------------------------------------------------------


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(dt.date(2023, 8, 31), 1) == dt.date(2023, 9, 30)
    assert add_months(dt.date(2023, 8, 31), 3) == dt.date(2023, 11, 30)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)  # leap year
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)


def test_retention_checks_are_due_after_one_three_and_six_calendar_months():
    assert retention_due_dates(dt.date(2023, 8, 31)) == {
        1: dt.date(2023, 9, 30),
        3: dt.date(2023, 11, 30),
        6: dt.date(2024, 2, 29),
    }
    assert retention_due_dates(dt.date(2024, 8, 31))[6] == dt.date(2025, 2, 28)


def test_coaching_ends_six_calendar_months_after_its_start():
    assert coaching_ends_on(dt.date(2024, 3, 1)) == dt.date(2024, 9, 1)
    assert coaching_ends_on(dt.date(2024, 8, 31)) == dt.date(2025, 2, 28)


def _allowed(job_started_on, coaching_started_on, consent="same", coach=True, **kw):
    return job_coaching_allowed(
        job_started_on=job_started_on,
        coaching_started_on=coaching_started_on,
        employer_consent_on=coaching_started_on if consent == "same" else consent,
        coach_may_coach=coach,
        **kw,
    )


def test_eleven_months_in_the_job_is_allowed_thirteen_is_not():
    job = dt.date(2024, 1, 15)
    allowed, reasons = _allowed(job, add_months(job, 11))
    assert allowed and reasons == []
    allowed, reasons = _allowed(job, add_months(job, 13))
    assert not allowed
    assert len(reasons) == 1


def test_less_than_one_year_is_exact_to_the_day():
    job = dt.date(2024, 3, 10)
    assert _allowed(job, dt.date(2025, 3, 9)).allowed
    assert not _allowed(job, dt.date(2025, 3, 10)).allowed  # one year exactly: not less
    leap = dt.date(2024, 2, 29)
    assert _allowed(leap, dt.date(2025, 2, 27)).allowed
    assert not _allowed(leap, dt.date(2025, 2, 28)).allowed


def _first_anniversary(day: dt.date) -> dt.date:
    """An oracle written apart from add_months: the same day a year later (28 Feb for 29 Feb)."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(day.year + 1):
        return dt.date(day.year + 1, 2, 28)
    return day.replace(year=day.year + 1)


@given(
    job=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    offset=st.integers(min_value=0, max_value=800),
)
def test_coaching_is_allowed_exactly_before_the_jobs_first_anniversary(job, offset):
    coaching = job + dt.timedelta(days=offset)
    assert _allowed(job, coaching).allowed == (coaching < _first_anniversary(job))


def test_no_consent_or_consent_after_the_start_is_refused():
    job, start = dt.date(2024, 1, 15), dt.date(2024, 3, 1)
    allowed, reasons = _allowed(job, start, consent=None)
    assert not allowed and len(reasons) == 1
    allowed, reasons = _allowed(job, start, consent=start + dt.timedelta(days=1))
    assert not allowed and len(reasons) == 1
    assert _allowed(job, start, consent=start).allowed
    assert _allowed(job, start, consent=start - dt.timedelta(days=30)).allowed
    future = _allowed(job, start, consent=start, today=start - dt.timedelta(days=1))
    assert not future.allowed


def test_every_reason_is_given_at_once():
    job = dt.date(2022, 1, 1)
    allowed, reasons = _allowed(
        job, dt.date(2024, 1, 1), consent=None, coach=False, job_ended_on=job
    )
    assert not allowed
    assert len(reasons) == 4  # too late, job ended, no consent, not a coach


def test_coaching_before_the_job_or_by_a_non_coach_is_refused():
    job = dt.date(2024, 5, 1)
    assert not _allowed(job, dt.date(2024, 4, 30)).allowed
    assert not _allowed(job, dt.date(2024, 5, 2), coach=False).allowed
    assert _allowed(job, dt.date(2024, 5, 2)).allowed


def test_a_contact_in_month_seven_is_refused():
    start = dt.date(2024, 3, 1)
    ends = coaching_ends_on(start)
    ok = coaching_contact_allowed(coaching_started_on=start, coaching_ends_on=ends, on=ends)
    assert ok.allowed
    month_seven = coaching_contact_allowed(
        coaching_started_on=start, coaching_ends_on=ends, on=add_months(start, 6) + dt.timedelta(1)
    )
    assert not month_seven.allowed and len(month_seven.reasons) == 1
    before = coaching_contact_allowed(
        coaching_started_on=start, coaching_ends_on=ends, on=start - dt.timedelta(days=1)
    )
    assert not before.allowed


# --- services (every test below reaches the database through its fixtures) -----------------


@pytest.fixture
def employer(db):
    return OrganisationFactory(
        name="Haven Logistiek", code="haven-logistiek", kind=OrganisationKind.EMPLOYER
    )


@pytest.fixture
def job_coach(db):
    return make_user(Role.JOB_COACH, organisation=OrganisationFactory(name="GOB Gent"))


def _trajectory(mediator, *, status="active", start_date=None):
    person = make_person(mediator)
    return trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="test",
        status=status,
        start_date=start_date or add_months(TODAY, -24),
    )


def _job(mediator, trajectory, employer, started_on, **kwargs):
    return job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=started_on,
        contract_type=kwargs.pop("contract_type", ContractType.PERMANENT),
        **kwargs,
    )


def test_a_job_start_moves_an_active_trajectory_to_employed(mediator, employer):
    trajectory = _trajectory(mediator)
    started = add_months(TODAY, -1)
    job = _job(mediator, trajectory, employer, started, job_title="Magazijnier")
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED
    change = StatusChange.objects.filter(trajectory=trajectory).order_by("pk").last()
    assert (change.from_status, change.to_status, change.on) == ("active", "employed", started)
    assert job.recorded_by == mediator
    assert AuditEvent.objects.filter(event_type="job.started", person=trajectory.person).exists()


def test_a_job_start_plans_three_retention_checks(mediator, employer):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, dt.date(2023, 8, 31))
    checks = list(RetentionCheck.objects.filter(job_start=job).order_by("month"))
    assert [(c.month, c.due_on) for c in checks] == [
        (1, dt.date(2023, 9, 30)),
        (3, dt.date(2023, 11, 30)),
        (6, dt.date(2024, 2, 29)),
    ]


def test_the_employed_date_never_goes_before_the_last_status_change(mediator, employer):
    trajectory = _trajectory(mediator, start_date=TODAY - dt.timedelta(days=10))
    _job(mediator, trajectory, employer, TODAY - dt.timedelta(days=40))
    change = StatusChange.objects.filter(trajectory=trajectory, to_status="employed").get()
    assert change.on == TODAY - dt.timedelta(days=10)


def test_a_job_start_in_another_status_does_not_move_the_trajectory(mediator, employer):
    trajectory = _trajectory(mediator, status="intake")
    _job(mediator, trajectory, employer, TODAY)
    trajectory.refresh_from_db()
    assert trajectory.status == Status.INTAKE
    assert JobStart.objects.filter(trajectory=trajectory).count() == 1


def test_a_job_start_needs_an_employer_and_a_past_date(mediator, organisation, employer):
    trajectory = _trajectory(mediator)
    with pytest.raises(ValidationError) as exc:
        _job(mediator, trajectory, organisation, TODAY)  # the mediator's own office
    assert "employer" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _job(mediator, trajectory, employer, TODAY + dt.timedelta(days=1))
    assert "started_on" in exc.value.error_dict
    trajectory.refresh_from_db()
    assert trajectory.status == Status.ACTIVE
    assert not JobStart.objects.exists() and not RetentionCheck.objects.exists()


def test_only_writers_of_the_trajectory_record_a_job(mediator, other_mediator, job_coach, employer):
    trajectory = _trajectory(mediator)
    for user in (other_mediator, job_coach):
        with pytest.raises(PermissionDenied):
            _job(user, trajectory, employer, TODAY)


def test_employer_create_makes_an_employer_with_a_unique_code(mediator):
    first = employer_create(acting_user=mediator, name="  Bakkerij   De Zon ", municipality="Gent")
    assert first.kind == OrganisationKind.EMPLOYER
    assert first.name == "Bakkerij De Zon"
    assert first.code == "employer-bakkerij-de-zon-gent"
    second = employer_create(acting_user=mediator, name="Bakkerij De Zon", municipality="Aalst")
    assert second.code != first.code
    OrganisationFactory(code="employer-kapsalon-gent")
    third = employer_create(acting_user=mediator, name="Kapsalon", municipality="Gent")
    assert third.code == "employer-kapsalon-gent-2"
    event = AuditEvent.objects.filter(event_type="employer.created").first()
    assert event.organisation == mediator.organisation


def test_employer_create_refuses_a_duplicate_and_an_empty_name(mediator, organisation):
    employer_create(acting_user=mediator, name="Bakkerij De Zon", municipality="Gent")
    with pytest.raises(ValidationError) as exc:
        employer_create(acting_user=mediator, name="bakkerij de zon", municipality="gent")
    assert exc.value.error_dict["name"][0].code == "employer_exists"
    with pytest.raises(ValidationError):
        employer_create(acting_user=mediator, name="  ", municipality="Gent")
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=organisation)
    with pytest.raises(PermissionDenied):
        employer_create(acting_user=manager, name="Iets", municipality="Gent")
    assert Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).count() == 1


def _coaching(mediator, job, coach, *, start, consent="same"):
    return job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=coach,
        employer_consent_on=start if consent == "same" else consent,
        started_on=start,
    )


def test_coaching_starts_for_a_job_of_eleven_months(mediator, employer, job_coach):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -11))
    coaching = _coaching(mediator, job, job_coach, start=TODAY)
    assert coaching.ends_on == add_months(TODAY, 6)
    assert coaching.consent_recorded_by == mediator
    event = AuditEvent.objects.get(event_type="jobcoaching.started")
    assert event.data["ends_on"] == add_months(TODAY, 6).isoformat()


def test_coaching_is_refused_for_a_job_of_thirteen_months(mediator, employer, job_coach):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -13))
    with pytest.raises(JobCoachingRefused) as exc:
        _coaching(mediator, job, job_coach, start=TODAY)
    assert len(exc.value.messages) == 1
    assert not JobCoaching.objects.exists()


def test_coaching_is_refused_without_consent_or_with_consent_after_the_start(
    mediator, employer, job_coach
):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -2))
    start = TODAY - dt.timedelta(days=5)
    with pytest.raises(JobCoachingRefused):
        _coaching(mediator, job, job_coach, start=start, consent=None)
    with pytest.raises(JobCoachingRefused):
        _coaching(mediator, job, job_coach, start=start, consent=start + dt.timedelta(days=1))
    assert not JobCoaching.objects.exists()
    _coaching(mediator, job, job_coach, start=start, consent=start - dt.timedelta(days=3))
    with pytest.raises(JobCoachingRefused):  # one coaching per job
        _coaching(mediator, job, job_coach, start=start)


def test_the_coach_must_be_a_job_coach_or_mediator(mediator, employer, organisation):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -1))
    partner = make_user(Role.WELFARE_PARTNER, organisation=organisation)
    with pytest.raises(JobCoachingRefused):
        _coaching(mediator, job, partner, start=TODAY)
    assert _coaching(mediator, job, mediator, start=TODAY).coach == mediator


@pytest.fixture
def past_coaching(mediator, employer, job_coach):
    """A coaching that started eight months ago, on a job of nine months: it ended already."""
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -9))
    return _coaching(mediator, job, job_coach, start=add_months(TODAY, -8))


def test_a_contact_in_month_seven_of_the_coaching_is_refused(mediator, past_coaching):
    start = past_coaching.started_on
    in_month_seven = add_months(start, 6) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        coaching_contact_record(
            acting_user=mediator, coaching=past_coaching, on=in_month_seven, text="Bezoek"
        )
    assert "on" in exc.value.error_dict
    with pytest.raises(ValidationError):
        coaching_contact_record(
            acting_user=mediator, coaching=past_coaching, on=start - dt.timedelta(1), text="x"
        )
    contact = coaching_contact_record(
        acting_user=mediator, coaching=past_coaching, on=add_months(start, 3), text="Bezoek"
    )
    assert contact.author == mediator
    assert CoachingContact.objects.count() == 1


def test_the_coach_records_contacts_others_may_not(
    past_coaching, job_coach, other_mediator, organisation
):
    on = add_months(past_coaching.started_on, 1)
    # A job coach sees the persons they coach (DOMAIN.md §1), wherever they work.
    assert past_coaching.coach == job_coach
    contact = coaching_contact_record(
        acting_user=job_coach, coaching=past_coaching, on=on, text="Werkpostbezoek"
    )
    assert contact.author == job_coach
    another_coach = make_user(Role.JOB_COACH, organisation=job_coach.organisation)
    with pytest.raises((PermissionDenied, Http404)):
        coaching_contact_record(acting_user=another_coach, coaching=past_coaching, on=on, text="x")
    with pytest.raises(PermissionDenied):
        coaching_contact_record(acting_user=other_mediator, coaching=past_coaching, on=on, text="x")


def test_retention_check_is_answered_from_its_due_date(mediator, employer):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -2))
    one, three = RetentionCheck.objects.filter(job_start=job, month__in=[1, 3]).order_by("month")
    checked = retention_check_record(
        acting_user=mediator, check=one, checked_on=one.due_on, still_employed=True, note="Ok"
    )
    assert (checked.checked_on, checked.still_employed) == (one.due_on, True)
    with pytest.raises(ValidationError) as exc:
        retention_check_record(
            acting_user=mediator, check=three, checked_on=TODAY, still_employed=True
        )
    assert "checked_on" in exc.value.error_dict
    corrected = retention_check_record(
        acting_user=mediator, check=one, checked_on=TODAY, still_employed=False
    )
    assert corrected.still_employed is False
    events = AuditEvent.objects.filter(event_type="job.retention_checked").order_by("pk")
    assert events[1].data["corrects"]["still_employed"] is True


def test_the_end_of_a_job_brings_the_trajectory_back_to_active(mediator, employer, job_coach):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -3))
    coaching = _coaching(mediator, job, job_coach, start=add_months(TODAY, -2))
    job_end_record(acting_user=mediator, job_start=job, ended_on=TODAY, reason="Ontslag")
    trajectory.refresh_from_db()
    assert trajectory.status == Status.ACTIVE
    coaching.refresh_from_db()
    assert coaching.closed_on == TODAY
    with pytest.raises(ValidationError):
        job_end_record(acting_user=mediator, job_start=job, ended_on=TODAY)


# --- pages ----------------------------------------------------------------------------------


def _url(name, trajectory, **kwargs):
    return reverse(f"trajectories:{name}", kwargs={"public_id": trajectory.public_id, **kwargs})


def test_job_start_form_with_a_new_employer(mediator, mediator_client):
    trajectory = _trajectory(mediator)
    assert mediator_client.get(_url("job_start_create", trajectory)).status_code == 200
    response = mediator_client.post(
        _url("job_start_create", trajectory),
        {
            "employer": "",
            "new_employer_name": "Sociale Kruidenier",
            "new_employer_municipality": "Gent",
            "started_on": (TODAY - dt.timedelta(days=3)).isoformat(),
            "contract_type": ContractType.SOCIAL_ECONOMY,
            "job_title": "Winkelmedewerker",
        },
    )
    assert response.status_code == 302
    job = JobStart.objects.get(trajectory=trajectory)
    assert job.employer.kind == OrganisationKind.EMPLOYER
    assert job.employer.name == "Sociale Kruidenier"
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED
    assert AccessLog.objects.filter(person=trajectory.person, what="job start form").exists()


def test_job_start_form_errors_save_nothing(mediator, mediator_client, employer):
    trajectory = _trajectory(mediator)
    base = {"started_on": TODAY.isoformat(), "contract_type": ContractType.PERMANENT}
    response = mediator_client.post(_url("job_start_create", trajectory), base)
    assert response.status_code == 400
    assert "employer" in response.context["form"].errors
    both = {**base, "employer": employer.pk, "new_employer_name": "Nog een"}
    response = mediator_client.post(_url("job_start_create", trajectory), both)
    assert "new_employer_name" in response.context["form"].errors
    # A new employer that already exists: nothing is written, not even a half.
    dup = {
        **base,
        "employer": "",
        "new_employer_name": employer.name.upper(),
        "new_employer_municipality": employer.municipality,
    }
    response = mediator_client.post(_url("job_start_create", trajectory), dup)
    assert response.status_code == 400
    assert "new_employer_name" in response.context["form"].errors
    assert not JobStart.objects.exists()
    assert Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).count() == 1


def test_job_coaching_form_says_why_it_is_refused(mediator, mediator_client, employer, job_coach):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -13))
    url = _url("job_coaching_start", trajectory, job_start_id=job.pk)
    assert mediator_client.get(url).status_code == 200
    response = mediator_client.post(
        url, {"coach": job_coach.pk, "employer_consent_on": "", "started_on": TODAY.isoformat()}
    )
    assert response.status_code == 400
    assert len(response.context["refusal"]) == 2  # more than a year, no consent
    assert 'id="coaching-refused"' in response.content.decode()
    assert not JobCoaching.objects.exists()


def test_job_coaching_form_starts_coaching(mediator, mediator_client, employer, job_coach):
    trajectory = _trajectory(mediator)
    job = _job(mediator, trajectory, employer, add_months(TODAY, -11))
    response = mediator_client.post(
        _url("job_coaching_start", trajectory, job_start_id=job.pk),
        {
            "coach": job_coach.pk,
            "employer_consent_on": TODAY.isoformat(),
            "started_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert JobCoaching.objects.get(job_start=job).ends_on == add_months(TODAY, 6)


def test_overview_contact_and_retention_pages(mediator, mediator_client, past_coaching):
    trajectory = past_coaching.job_start.trajectory
    response = mediator_client.get(_url("job_overview", trajectory))
    assert response.status_code == 200
    assert f'id="coaching-{past_coaching.pk}"' in response.content.decode()
    assert AccessLog.objects.filter(person=trajectory.person, what="jobs and job coaching").exists()

    url = _url("coaching_contact_create", trajectory, coaching_id=past_coaching.pk)
    month_seven = add_months(past_coaching.started_on, 6) + dt.timedelta(days=1)
    response = mediator_client.post(url, {"on": month_seven.isoformat(), "text": "Bezoek"})
    assert response.status_code == 400
    assert "on" in response.context["form"].errors
    on = add_months(past_coaching.started_on, 2).isoformat()
    assert mediator_client.post(url, {"on": on, "text": "Bezoek"}).status_code == 302

    check = RetentionCheck.objects.get(job_start=past_coaching.job_start, month=6)
    url = _url("retention_check_record", trajectory, check_id=check.pk)
    response = mediator_client.post(
        url, {"checked_on": check.due_on.isoformat(), "still_employed": "yes", "note": ""}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.still_employed is True

    url = _url("job_end_record", trajectory, job_start_id=past_coaching.job_start.pk)
    assert mediator_client.post(url, {"ended_on": TODAY.isoformat()}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == Status.ACTIVE


def test_overview_query_count_is_constant(
    mediator, mediator_client, employer, job_coach, django_assert_max_num_queries
):
    trajectory = _trajectory(mediator)
    for months in (10, 7, 4):
        job = _job(mediator, trajectory, employer, add_months(TODAY, -months))
        coaching = _coaching(mediator, job, job_coach, start=add_months(TODAY, -months))
        coaching_contact_record(
            acting_user=mediator, coaching=coaching, on=coaching.started_on, text="x"
        )
    with django_assert_max_num_queries(12):
        assert mediator_client.get(_url("job_overview", trajectory)).status_code == 200


def test_another_organisation_gets_404_everywhere(mediator, other_mediator, client, past_coaching):
    trajectory = past_coaching.job_start.trajectory
    job = past_coaching.job_start
    check = RetentionCheck.objects.filter(job_start=job).first()
    client.force_login(other_mediator)
    urls = [
        _url("job_overview", trajectory),
        _url("job_start_create", trajectory),
        _url("job_coaching_start", trajectory, job_start_id=job.pk),
        _url("job_end_record", trajectory, job_start_id=job.pk),
        _url("coaching_contact_create", trajectory, coaching_id=past_coaching.pk),
        _url("retention_check_record", trajectory, check_id=check.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[1:]:
        assert client.post(url, {}).status_code == 404, url
    assert not AccessLog.objects.filter(user=other_mediator).exists()


def test_ids_of_another_trajectory_give_404(mediator, mediator_client, past_coaching):
    other = _trajectory(mediator)
    job = past_coaching.job_start
    check = RetentionCheck.objects.filter(job_start=job).first()
    for url in (
        _url("job_coaching_start", other, job_start_id=job.pk),
        _url("coaching_contact_create", other, coaching_id=past_coaching.pk),
        _url("retention_check_record", other, check_id=check.pk),
    ):
        assert mediator_client.get(url).status_code == 404, url


def test_panel_shows_job_coaching_and_next_check_in_two_queries(
    mediator, past_coaching, django_assert_num_queries
):
    trajectory = past_coaching.job_start.trajectory
    mediator.role_codes  # noqa: B018 - cached by the request's first permission check
    with django_assert_num_queries(2):
        panel = panels_jobcoaching.panel_context(mediator, trajectory)["jobcoaching_panel"]
    assert panel.job == past_coaching.job_start
    assert panel.coaching == past_coaching
    assert panel.next_check.month == 1
    assert panel.can_record
