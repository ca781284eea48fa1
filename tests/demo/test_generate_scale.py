"""``manage.py generate_scale`` (issue 20): rows in the proportions of a region, valid for the
app (constraints, INSZ checksums, foreign keys), deterministic for a seed, browsable by the demo
mediator, and never with production settings. Small N: the sizes are measured in
docs/benchmarks.md, not here."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.audit.models import AccessLog
from tandem.demo.scale.generate import generate
from tandem.groupwork.models import Attendance, Enrolment, GroupSession, IntakeMoment
from tandem.network.models import Referral, ReferralStatusChange
from tandem.outcomes.models import StatusEvent
from tandem.outreach.models import ContactMoment, Prospect
from tandem.registry import insz as insz_rules
from tandem.registry.intake.models import Intake, IntakeStatusChange
from tandem.registry.models import Household, HouseholdMember, Person, PersonAssignment
from tandem.trajectories.models import (
    Action,
    Contact,
    DomainResponsibility,
    ExpertSupportRequest,
    Goal,
    JobCoaching,
    JobStart,
    Reading,
    RetentionCheck,
    Status,
    StatusChange,
    Trajectory,
)

pytestmark = pytest.mark.django_db

PERSONS = 300


class _Rollback(Exception):
    pass


def _snapshot() -> dict[str, object]:
    """What a seed decides: the counts, and the first rows by their own values (the demo
    logins' ids may differ between two runs on PostgreSQL, whose sequences do not roll back)."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (Person, Trajectory, Action, Contact, Reading, Referral, StatusEvent)
        },
        "persons": list(
            Person.objects.order_by("pk").values_list(
                "insz", "first_name", "last_name", "birth_date", "province", "public_id"
            )[:20]
        ),
        "trajectories": list(
            Trajectory.objects.order_by("pk").values_list(
                "person__insz", "type", "status", "start_date", "end_date"
            )[:20]
        ),
    }


def _generate(seed: int = 5) -> dict[str, object]:
    generate(persons=PERSONS, seed=seed, access_per_person=3, write=lambda _line: None)
    return _snapshot()


def test_rows_in_proportion_every_state_and_valid_numbers():
    call_command(
        "generate_scale",
        "--persons",
        str(PERSONS),
        "--access-per-person",
        "3",
        stdout=io.StringIO(),
    )
    persons = Person.objects.count()
    assert persons == PERSONS
    assert Household.objects.count() == PERSONS
    # The command ends with ANALYZE: rows loaded by COPY have no planner statistics otherwise.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_person'")
            assert cursor.fetchone()[0] == persons
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'registry_person'")
            assert cursor.fetchone()[0].startswith(str(persons))
    # Every household has its reference person, who is the registered person.
    assert HouseholdMember.objects.filter(relation="self", person__isnull=False).count() == persons
    trajectories = Trajectory.objects.count()
    # Region proportions (issue 20): ~0.3 trajectories, ~3 actions, ~5 status events a person.
    assert 0.2 * persons < trajectories < 0.45 * persons
    assert 1.5 * persons < Action.objects.count() < 5 * persons
    assert StatusEvent.objects.count() == 5 * persons
    assert AccessLog.objects.filter(person__isnull=False).count() == 3 * persons
    assert Goal.objects.count() > trajectories
    assert Reading.objects.count() > trajectories
    assert StatusChange.objects.count() > 2 * trajectories
    assert ReferralStatusChange.objects.count() >= Referral.objects.count() > 0
    assert Enrolment.objects.exists()
    # Groups with weekly sessions and attendance for those placed in them.
    assert GroupSession.objects.count() >= IntakeMoment.objects.count() > 0
    assert Attendance.objects.exists()
    assert not Enrolment.objects.filter(status="placed", intake__isnull=True).exists()
    # Every trajectory that ended in work has its job start; most a job coach.
    assert JobStart.objects.count() >= Trajectory.objects.filter(status="employed").count() > 0
    assert 0 < JobCoaching.objects.count() < JobStart.objects.count()
    assert RetentionCheck.objects.count() == 3 * JobStart.objects.count()
    assert ExpertSupportRequest.objects.exists()
    # The offices' queues: items taken for a mediator, and some still waiting.
    assert Intake.objects.filter(status="taken", assignee__isnull=False).exists()
    assert Intake.objects.filter(status="waiting").exists()
    assert ContactMoment.objects.count() >= Prospect.objects.count() > 0
    assert Prospect.objects.filter(person__isnull=False).exists()
    # Duos: a welfare partner whose organisation sees the person.
    duos = Trajectory.objects.filter(welfare_partner__isnull=False)
    assert duos.exists()
    for t in duos.select_related("welfare_partner")[:20]:
        assert PersonAssignment.objects.filter(
            person_id=t.person_id, organisation_id=t.welfare_partner.organisation_id
        ).exists()
    assert set(Trajectory.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Contact.objects.values_list("status", flat=True)) == {
        "planned",
        "held",
        "cancelled",
        "no_show",
    }
    assert not Contact.objects.filter(status="planned", at__isnull=True).exists()
    numbers = list(Person.objects.exclude(insz=None).values_list("insz", flat=True))
    assert len(numbers) > 0.9 * persons
    assert all(insz_rules.is_valid(n) for n in numbers)
    for person in Person.objects.exclude(insz=None)[:50]:
        assert insz_rules.parse(person.insz).birth_date == person.birth_date


def test_the_rows_pass_the_models_own_validation():
    """Beyond the database constraints: every field's validators (blank, choices, lengths,
    the INSZ checksum) accept a sample of each kind of row, as a form would."""
    _generate()
    for model in (
        Household,
        HouseholdMember,
        Person,
        PersonAssignment,
        Trajectory,
        StatusChange,
        Goal,
        Action,
        Contact,
        Reading,
        Referral,
        ReferralStatusChange,
        Enrolment,
        IntakeMoment,
        GroupSession,
        Attendance,
        DomainResponsibility,
        JobStart,
        JobCoaching,
        RetentionCheck,
        ExpertSupportRequest,
        Intake,
        IntakeStatusChange,
        Prospect,
        ContactMoment,
        StatusEvent,
        AccessLog,
    ):
        rows = list(model.objects.order_by("-pk")[:15])
        assert rows, model
        for row in rows:
            row.full_clean()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    def run(seed: int) -> dict[str, object]:
        try:
            with transaction.atomic():
                snapshot = _generate(seed)
                raise _Rollback
        except _Rollback:
            return snapshot

    first = run(5)
    assert not Person.objects.exists()
    assert run(5) == first
    assert run(6)["persons"] != first["persons"]


def test_the_demo_mediator_browses_the_generated_data():
    _generate()
    mediator = User.objects.get(username="demo_mediator")
    trajectory = (
        Trajectory.objects.filter(lead_mediator=mediator, status="active")
        .select_related("person")
        .first()
    )
    assert trajectory is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(mediator)
    for url in (
        reverse("home:home"),
        reverse("trajectories:caseload"),
        reverse("registry:person_search") + "?q=peeters",
        reverse("registry:person_detail", args=[trajectory.person.public_id]),
        reverse("trajectories:trajectory_detail", args=[trajectory.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_runs_again_on_top_of_its_own_data():
    _generate()
    _generate()
    assert Person.objects.count() == 2 * PERSONS
    assert Person.objects.values("public_id").distinct().count() == 2 * PERSONS


def test_refuses_production_settings(settings):
    settings.TANDEM_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("generate_scale", "--persons", "1")
    assert not Person.objects.exists()


def test_caseloads_of_a_realistic_size(monkeypatch):
    """More mediators and welfare partners as the region grows (one per CASELOAD open
    trajectories), the demo's among them: no one follows a whole province."""
    from tandem.accounts.models import Role
    from tandem.demo.scale import generate as scale

    monkeypatch.setattr(scale, "CASELOAD", 3)
    _generate()
    drawn = User.objects.filter(username__startswith="scale_")
    assert drawn.filter(role_assignments__role=Role.MEDIATOR).count() > 5
    assert drawn.filter(role_assignments__role=Role.WELFARE_PARTNER).count() > 5
    mediator = User.objects.get(username="demo_mediator")
    office = Trajectory.objects.filter(organisation=mediator.organisation)
    assert 0 < office.filter(lead_mediator=mediator).count() < office.count() / 2
    # The drawn staff log in with the demo password, in the organisation they work for.
    user = drawn.filter(role_assignments__role=Role.MEDIATOR).first()
    assert user.check_password("tandem-demo-2026")
    assert user.organisation.code.startswith("vdab-")


def test_every_role_finds_work_on_its_home_page():
    """The pages of every role have data at scale: the group coach's groups (requests and
    attendance to take), the job coach's coachings, the experience expert's requests, the
    outreach worker's registrations and referrals, the service line's referrals and the
    mediator's intake queue."""
    generate(persons=1500, seed=5, access_per_person=0, write=lambda _line: None)
    wanted = {
        "demo_group_coach": ["group_requests", "group_attendance_due", "group_sessions"],
        "demo_job_coach": ["coachings"],
        "demo_experience_expert": ["expert_waiting", "expert_engagements"],
        "demo_outreach_worker": ["my_referrals", "follow_ups", "registrations_waiting"],
        "demo_service_line": ["my_referrals"],
        "demo_mediator": ["intake_items"],
    }
    for username, keys in wanted.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("home:home"))
        assert response.status_code == 200, username
        for key in keys:
            assert len(response.context[key]) > 0, (username, key)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes and keys are set aside on PostgreSQL only"
)
def test_indexes_and_foreign_keys_end_as_they_were_and_validated():
    """The tables' secondary indexes and foreign keys, dropped while each table is copied,
    are back with the same definitions, and every foreign key is validated by PostgreSQL."""

    def schema() -> tuple[set[str], set[tuple[str, str, bool]]]:
        """The index names (a rebuilt partial index may print its condition differently) and
        each foreign key's definition and whether it is validated."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            indexes = {name for (name,) in cursor.fetchall()}
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
            )
            keys = set(cursor.fetchall())
        return indexes, keys

    before_indexes, before_keys = schema()
    _generate()
    after_indexes, after_keys = schema()
    assert after_indexes == before_indexes
    assert after_keys == before_keys
    assert all(valid for _name, _definition, valid in after_keys)
