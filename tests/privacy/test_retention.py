"""Retention (apply_retention, dry run and real run) and erasure on request."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.audit.pseudonyms import person_pseudonym, user_pseudonym
from tandem.common.privacy_hooks import ERASED
from tandem.privacy import erasure, retention
from tandem.registry.models import Household, HouseholdMember, IncomeComponent, Person
from tandem.screening.models import Screening, ScreeningAnswer
from tandem.trajectories.models import (
    Action,
    Assessment,
    CoachingContact,
    Contact,
    ExpertSupportRequest,
    Goal,
    JobCoaching,
    JobStart,
    PopReport,
    Reading,
    RetentionCheck,
    StatusChange,
    Trajectory,
)
from tests.factories import backdate_audit_rows, make_person, make_user

from .conftest import TODAY, build_file

pytestmark = pytest.mark.django_db

# Every trajectory in the data set closes (or is registered) today; these days lie before and
# after the 5-year period of case content and screenings and the 10-year one of the access log.
IN_6_YEARS = dt.date(TODAY.year + 6, TODAY.month, min(TODAY.day, 28))
IN_11_YEARS = dt.date(TODAY.year + 11, TODAY.month, min(TODAY.day, 28))

COUNTED: dict[str, type[Model]] = {
    "persons_with_a_name": Person,
    "households": Household,
    "household_members": HouseholdMember,
    "income_components": IncomeComponent,
    "screenings": Screening,
    "screening_answers": ScreeningAnswer,
    "goals": Goal,
    "actions": Action,
    "contacts": Contact,
    "assessments": Assessment,
    "readings": Reading,
    "pops": PopReport,
    "coaching_contacts": CoachingContact,
    "expert_support_requests": ExpertSupportRequest,
    "trajectories": Trajectory,
    "status_changes": StatusChange,
    "job_starts": JobStart,
    "job_coachings": JobCoaching,
    "retention_checks": RetentionCheck,
    "access_log": AccessLog,
}


def _snapshot() -> dict[str, Any]:
    counts: dict[str, Any] = {
        k: m._default_manager.count() for k, m in COUNTED.items() if k != "persons_with_a_name"
    }
    counts["persons_with_a_name"] = Person.objects.exclude(first_name="").count()
    counts["identified_access_rows"] = AccessLog.objects.filter(person__isnull=False).count()
    counts["people"] = sorted(
        Person.objects.values_list(
            "first_name", "last_name", "insz", "street", "municipality", "public_id"
        )
    )
    return counts


@pytest.fixture
def data_set(mediator, partner, client):
    """Two closed files due for erasure, one with an open trajectory, one registered only."""
    due = build_file(mediator, partner, first_name="Yasmina", last_name="Amrani")
    due_too = build_file(mediator, first_name="Piotr", last_name="Nowak", insz=None)
    still_open = build_file(mediator, close=False, first_name="Open", last_name="Traject")
    registered_only = make_person(mediator, first_name="Alleen", last_name="Geregistreerd")
    client.force_login(mediator)
    for f in (due, due_too, still_open):
        client.get(reverse("registry:person_detail", kwargs={"public_id": f.person.public_id}))
    client.get(reverse("registry:person_detail", kwargs={"public_id": registered_only.public_id}))
    return {
        "due": due,
        "due_too": due_too,
        "open": still_open,
        "registered_only": registered_only,
    }


def test_the_default_periods_and_their_validation(settings):
    assert retention.retention_periods() == {"case_content": 5, "screenings": 5, "access_log": 10}
    settings.TANDEM_RETENTION = {"screenings": 3}
    assert retention.retention_periods()["screenings"] == 3
    assert retention.retention_periods()["case_content"] == 5
    settings.TANDEM_RETENTION = {"notes": 3}
    with pytest.raises(ImproperlyConfigured, match="unknown record types"):
        retention.retention_periods()
    settings.TANDEM_RETENTION = {"case_content": 0}
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        retention.retention_periods()


def test_who_is_due(data_set):
    due = retention.persons_due(years=5, today=IN_6_YEARS)
    assert set(due) == {
        data_set["due"].person,
        data_set["due_too"].person,
        data_set["registered_only"],
    }
    # The day the period ends is not yet past it.
    assert not retention.persons_due(years=6, today=IN_6_YEARS).exists()
    assert not retention.persons_due(years=5, today=TODAY).exists()


def test_dry_run_changes_nothing_and_counts_what_the_real_run_does(data_set):
    before = _snapshot()
    events_before = AuditEvent.objects.count()
    dry = retention.retention_apply(acting_user=None, today=IN_6_YEARS, dry_run=True)
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events_before

    real = retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    assert real.counts == dry.counts
    assert real.due == dry.due == {"case_content": 3, "screenings": 3, "access_log": 0}
    after = _snapshot()

    # The counts match what disappeared from the database.
    for key in [
        "households",
        "household_members",
        "income_components",
        "screenings",
        "screening_answers",
        "goals",
        "actions",
        "contacts",
        "assessments",
        "readings",
        "pops",
        "coaching_contacts",
        "expert_support_requests",
    ]:
        assert before[key] - after[key] == real.counts[key], key
        assert real.counts[key] > 0, key
    assert real.counts["persons"] == 3
    assert before["persons_with_a_name"] - after["persons_with_a_name"] == 3
    # Kept for statistics: trajectories, their status history, jobs and retention checks.
    for key in [
        "trajectories",
        "status_changes",
        "job_starts",
        "job_coachings",
        "retention_checks",
    ]:
        assert after[key] == before[key], key
    # The access log is not due yet (10 years): nothing pseudonymised.
    assert real.counts["access_log"] == 0
    assert after["access_log"] == before["access_log"]


def test_erased_persons_keep_statistics_and_lose_identity(data_set):
    due = data_set["due"]
    # A recorded disability is special-category data: it does not survive erasure.
    Person.objects.filter(pk=due.person.pk).update(disability="yes", foreign_background="yes")
    person_before = Person.objects.get(pk=due.person.pk)
    retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    person = Person.objects.get(pk=due.person.pk)

    assert person.first_name == ""
    assert person.last_name == person_pseudonym(person.pk)
    assert person.insz is None and person.search_key == ""
    assert (person.street, person.house_number, person.postal_code, person.municipality) == (
        "",
        "",
        "",
        "",
    )
    assert (person.phone, person.email, person.languages) == ("", "", [])
    assert person.household_id is None
    assert person.public_id != person_before.public_id
    assert person.birth_date == dt.date(person_before.birth_date.year, 1, 1)
    for kept in (
        "gender",
        "province",
        "education",
        "nationality_group",
        "foreign_background",
        "registration",
    ):
        assert getattr(person, kept) == getattr(person_before, kept), kept
    assert person.disability == "not_asked"
    assert person.benefit == person_before.benefit
    assert person.organisation_id == person_before.organisation_id

    trajectory = Trajectory.objects.get(pk=due.trajectory.pk)
    assert (trajectory.type, trajectory.start_date, trajectory.end_date) == (
        due.trajectory.type,
        due.trajectory.start_date,
        due.trajectory.end_date,
    )
    assert trajectory.closure_reason == "work_regular"
    assert trajectory.closure_note == "" and not trajectory.contacts.exists()
    assert trajectory.screening_id is None and trajectory.start_reason == ERASED
    assert list(trajectory.status_changes.values_list("to_status", flat=True)) == [
        "active",
        "employed",
        "closed",
    ]
    assert not trajectory.status_changes.exclude(reason="").exists()
    job = JobStart.objects.get(trajectory=trajectory)
    assert job.contract_type == "permanent" and job.started_on == due.objects["job"].started_on
    check = RetentionCheck.objects.get(pk=due.objects["check"].pk)
    assert check.still_employed is True and check.note == ""

    # Nothing identifying is left anywhere in the person's data.
    assert not Person.objects.filter(last_name="Amrani").exists()
    assert not Household.objects.filter(pk=person_before.household_id).exists()
    assert not HouseholdMember.objects.filter(household_id=person_before.household_id).exists()

    # The open file is untouched.
    open_person = Person.objects.get(pk=data_set["open"].person.pk)
    assert open_person.first_name == "Open"
    # Two contacts held and the next one planned (a planned contact since issue 18).
    assert Contact.objects.filter(trajectory__person=open_person).count() == 3

    events = AuditEvent.objects.filter(event_type="person.erased", person=person)
    assert events.count() == 1
    assert events.get().data["trigger"] == "retention"
    assert "Amrani" not in str(events.get().data)
    summary = AuditEvent.objects.get(event_type="retention.applied")
    assert summary.data["counts"]["persons"] == 3


def test_access_log_rows_are_kept_but_pseudonymised_after_their_period(data_set, mediator):
    due = data_set["due"].person
    # The file was read eleven years ago — and once more today: only the eleven-year-old
    # rows are past the access log's period (by the database's clock on PostgreSQL).
    old = list(AccessLog.objects.filter(person=due).values_list("pk", flat=True))
    backdate_audit_rows(AccessLog, old, dt.timedelta(days=11 * 366))
    recent = AccessLog.objects.create(
        user=mediator, roles="mediator", person=due, what="person file", purpose="case work"
    )
    rows_before = len(old)
    all_rows = AccessLog.objects.count()
    assert rows_before > 0
    dry = retention.retention_apply(acting_user=None, today=IN_11_YEARS, dry_run=True)
    assert AccessLog.objects.filter(person=due).count() == rows_before + 1
    real = retention.retention_apply(acting_user=None, today=IN_11_YEARS)
    assert real.counts == dry.counts
    assert real.counts["access_log"] >= rows_before

    assert AccessLog.objects.count() == all_rows  # every row is still there
    assert list(AccessLog.objects.filter(person=due)) == [recent]  # today's read stays
    pseudonymised = AccessLog.objects.filter(person_pseudonym=person_pseudonym(due.pk))
    assert pseudonymised.count() == rows_before
    assert not pseudonymised.filter(user__isnull=False).exists()
    assert not pseudonymised.exclude(user_pseudonym=user_pseudonym(mediator.pk)).exists()
    assert not pseudonymised.filter(ip_address__isnull=False).exists()
    assert set(pseudonymised.values_list("what", flat=True)) >= {"person file"}
    # The open file's reads are not due.
    assert AccessLog.objects.filter(person=data_set["open"].person).exists()

    # A second run finds nothing left to do.
    again = retention.retention_apply(acting_user=None, today=IN_11_YEARS)
    assert again.total == 0


def test_the_command_reports_counts_and_honours_dry_run(data_set):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--today", IN_6_YEARS.isoformat(), stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert Person.objects.filter(last_name="Amrani").exists()
    lines = {line.split()[0]: line.split()[1] for line in text.splitlines()[4:-1]}
    assert lines["persons"] == "3"
    assert (
        int(lines["contacts"])
        == Contact.objects.exclude(trajectory__person=data_set["open"].person).count()
    )

    out = io.StringIO()
    call_command("apply_retention", "--today", IN_6_YEARS.isoformat(), stdout=out)
    assert "applied" in out.getvalue()
    assert not Person.objects.filter(last_name="Amrani").exists()

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_retention", "--today", "31/12/2030")


def test_a_longer_screening_period_keeps_screenings(data_set, settings):
    settings.TANDEM_RETENTION = {"screenings": 8}
    report = retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    assert report.counts["screenings"] == 0
    assert Screening.objects.filter(person=data_set["due"].person).exists()
    trajectory = Trajectory.objects.get(pk=data_set["due"].trajectory.pk)
    assert trajectory.screening_id is not None and trajectory.start_reason == ""


def test_a_shared_household_stays_with_the_other_person(mediator):
    first = make_person(mediator, first_name="Eerste", last_name="Huisgenoot")
    second = make_person(mediator, first_name="Tweede", last_name="Huisgenoot")
    Person.objects.filter(pk=second.pk).update(household=first.household)
    erasure.person_erase(
        acting_user=make_user(Role.DATA_PROTECTION_OFFICER, organisation=mediator.organisation),
        person=first,
        reason="Brief van 3 maart",
    )
    assert Household.objects.filter(pk=first.household_id).exists()
    assert Person.objects.get(pk=second.pk).household_id == first.household_id
    assert Person.objects.get(pk=first.pk).household_id is None
    member = HouseholdMember.objects.get(household_id=first.household_id, relation="self")
    assert member.person_id is None


# --- erasure on request ----------------------------------------------------------------------


def test_erasure_on_request_needs_the_dpo_a_reason_and_no_open_trajectory(mediator, dpo, full_file):
    with pytest.raises(PermissionDenied):
        erasure.person_erase(acting_user=mediator, person=full_file.person, reason="Vraag")
    with pytest.raises(ValidationError):
        erasure.person_erase(acting_user=dpo, person=full_file.person, reason="   ")
    assert Person.objects.filter(last_name="Amrani").exists()

    open_file = build_file(mediator, close=False, first_name="Nog", last_name="Bezig")
    with translation.override("en"), pytest.raises(ValidationError, match="open trajectory"):
        erasure.person_erase(acting_user=dpo, person=open_file.person, reason="Vraag")

    preview = erasure.erasure_preview(full_file.person)
    report = erasure.person_erase(
        acting_user=dpo, person=full_file.person, reason="E-mail van de persoon, 3 maart"
    )
    assert report.counts == preview.counts
    # Two contacts held and the next one planned (a planned contact since issue 18).
    assert report.counts["contacts"] == 3 and report.counts["persons"] == 1
    assert report.counts["access_log"] == 0  # kept until its own period
    event = AuditEvent.objects.get(event_type="person.erased", person=full_file.person)
    assert event.actor == dpo
    assert event.data["trigger"] == "request"
    # The reason goes with the data: the trail keeps only that one was given.
    assert event.data["reason_given"] is True and "reason" not in event.data
    assert "3 maart" not in str(event.data)
    assert "Amrani" not in str(event.data) and "Yasmina" not in str(event.data)
    with translation.override("en"), pytest.raises(ValidationError, match="already been erased"):
        erasure.person_erase(acting_user=dpo, person=full_file.person, reason="Nog eens")


def _erase_url(person: Person) -> str:
    return reverse("privacy:person_erase", kwargs={"public_id": person.public_id})


def test_erasure_page_previews_then_needs_reason_and_confirmation(dpo_client, full_file):
    url = _erase_url(full_file.person)
    page = dpo_client.get(url)
    assert page.status_code == 200
    assert "Amrani" in page.content.decode()
    assert AccessLog.objects.filter(person=full_file.person, what="erasure form").exists()

    no_reason = dpo_client.post(url, {"reason": "", "confirm": "on"})
    assert no_reason.status_code == 400
    not_confirmed = dpo_client.post(url, {"reason": "Brief van 3 maart"})
    assert not_confirmed.status_code == 400
    assert Person.objects.filter(last_name="Amrani").exists()

    done = dpo_client.post(url, {"reason": "Brief van 3 maart", "confirm": "on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("privacy:access_search")
    shown = [(m.level, str(m)) for m in get_messages(done.wsgi_request)]
    assert [level for level, _text in shown] == [messages.SUCCESS]
    assert shown[0][1].startswith("De gegevens zijn gewist.")  # the page is in Dutch
    assert not Person.objects.filter(last_name="Amrani").exists()
    assert AuditEvent.objects.filter(event_type="person.erased", data__trigger="request").exists()


def test_a_refusal_of_the_erasure_service_comes_back_on_the_form(
    dpo_client, full_file, monkeypatch
):
    def refuse(**_kwargs: Any) -> None:
        raise ValidationError({"reason": "Refused by the service."})

    monkeypatch.setattr(erasure, "person_erase", refuse)
    response = dpo_client.post(
        _erase_url(full_file.person), {"reason": "Brief van 3 maart", "confirm": "on"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["Refused by the service."]}
    assert not list(get_messages(response.wsgi_request))
    assert Person.objects.filter(last_name="Amrani").exists()


def test_erasure_page_refuses_an_open_file(dpo_client, mediator):
    open_file = build_file(mediator, close=False, first_name="Nog", last_name="Bezig")
    url = _erase_url(open_file.person)
    page = dpo_client.get(url)
    assert page.status_code == 200
    assert page.context["refusal"] and 'name="reason"' not in page.content.decode()
    response = dpo_client.post(url, {"reason": "Brief", "confirm": "on"})
    assert response.status_code == 400
    assert Person.objects.filter(first_name="Nog").exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.MEDIATOR,
        Role.WELFARE_PARTNER,
        Role.PROGRAMME_MANAGER,
        Role.ADMIN,
        Role.SERVICE_LINE,
    ],
)
def test_only_the_dpo_erases(client, organisation, role, full_file):
    client.force_login(make_user(role, organisation=organisation))
    url = _erase_url(full_file.person)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert Person.objects.filter(last_name="Amrani").exists()


def test_another_organisations_dpo_gets_404(client, other_dpo, full_file):
    client.force_login(other_dpo)
    url = _erase_url(full_file.person)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert Person.objects.filter(last_name="Amrani").exists()
