"""Retention and erasure (GDPR art. 5(1)(e) and 17): what is erased or pseudonymised, when,
and in which order.

A person's data is kept for a period after the organisations last worked with them: their
last trajectory closed (and none is open), their last screening, their registration — the
latest of these. ``settings.TANDEM_RETENTION`` gives the period per record type, in years:

- ``case_content``: the plan, contacts and notes, readings, POPs, experience-expert support,
  job-coaching notes, the household and its income — and the person's identifying fields,
  which are replaced by a pseudonym. What outcome statistics need stays: the person's birth
  year, gender, province, education, nationality group, registration and benefit; the
  trajectories' type, status history, dates and closure reason; job starts and retention
  checks.
- ``screenings``: screenings and their answers.
- ``access_log``: access-log rows are never deleted; after this period their person and user
  references (and IP address) are replaced by keyed pseudonyms.

Each record type is a ``RetentionStep``. Steps run in registration order, which is the
deletion order: most foreign keys are PROTECT, so children go before their parents and links
are cleared before the rows they point at are deleted. A later app registers its own steps
(``register_retention_step``) for its own records (referrals, consents, …).

A step counts what it would change and changes it only when asked to write, so a dry run
reports exactly the counts of a real run (and is rolled back on top, to be sure).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.registry.models import (
    Household,
    HouseholdMember,
    IncomeComponent,
    Person,
    PersonAssignment,
)
from tandem.screening.models import Screening, ScreeningAnswer
from tandem.trajectories.models import (
    Action,
    Assessment,
    CoachingContact,
    Contact,
    DomainResponsibility,
    ExpertSupportLog,
    ExpertSupportRequest,
    Goal,
    LeadHandover,
    PopReport,
    Reading,
    RetentionCheck,
    Status,
    StatusChange,
    Trajectory,
)

from .events import Event
from .models import AccessLog, AuditEvent

# Periods in years. The reasoning is in the README ("Security and privacy").
DEFAULT_RETENTION: dict[str, int] = {"case_content": 5, "screenings": 5, "access_log": 10}
PERIOD_LABELS: dict[str, Promise] = {
    "case_content": _("Case content and identity"),
    "screenings": _("Screenings"),
    "access_log": _("Access log"),
}
# Stored where a required text must stay non-empty after its content is erased.
ERASED = "[erased]"
CHUNK = 500


def retention_periods() -> dict[str, int]:
    """Return the retention period per record type, in years (settings over defaults)."""
    configured = getattr(settings, "TANDEM_RETENTION", {}) or {}
    unknown = set(configured) - set(DEFAULT_RETENTION)
    if unknown:
        raise ImproperlyConfigured(
            f"TANDEM_RETENTION has unknown record types {sorted(unknown)}; "
            f"known are {sorted(DEFAULT_RETENTION)}."
        )
    periods = {**DEFAULT_RETENTION, **configured}
    for key, years in periods.items():
        if not isinstance(years, int) or isinstance(years, bool) or years < 1:
            raise ImproperlyConfigured(
                f"TANDEM_RETENTION[{key!r}] must be a whole number of years ≥ 1, not {years!r}."
            )
    return periods


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def persons_due(*, years: int, today: dt.date) -> QuerySet[Person]:
    """Persons nobody has worked with for longer than ``years``.

    No open trajectory; every trajectory ended, the last screening took place and the person
    was registered before the cut-off day (``today`` minus ``years``).
    """
    cutoff = years_before(today, years)
    cutoff_at = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    person = OuterRef("pk")
    open_trajectory = Trajectory.objects.filter(person=person).exclude(status=Status.CLOSED)
    recent_trajectory = Trajectory.objects.filter(person=person, end_date__gte=cutoff)
    recent_screening = Screening.objects.filter(person=person, conducted_on__gte=cutoff)
    return (
        Person.objects.filter(created_at__lt=cutoff_at)
        .exclude(Exists(open_trajectory))
        .exclude(Exists(recent_trajectory))
        .exclude(Exists(recent_screening))
    )


# --- pseudonyms ------------------------------------------------------------------------------


def _pseudonym_secret() -> str:
    # A key of its own (kept apart from the database) makes pseudonyms linkable only for whoever
    # holds it; without one the SECRET_KEY is used. Changing the key changes later pseudonyms.
    return str(getattr(settings, "TANDEM_PSEUDONYM_KEY", "") or settings.SECRET_KEY)


def person_pseudonym(person_id: int) -> str:
    digest = salted_hmac("tandem.audit.person", str(person_id), secret=_pseudonym_secret())
    return "p-" + digest.hexdigest()[:20]


def user_pseudonym(user_id: int) -> str:
    digest = salted_hmac("tandem.audit.user", str(user_id), secret=_pseudonym_secret())
    return "u-" + digest.hexdigest()[:20]


@contextmanager
def accesslog_pseudonymisation() -> Iterator[None]:
    """Open the one path the PostgreSQL trigger leaves for changing access-log rows.

    ``SET LOCAL`` lasts until the end of the transaction at most; it is switched off again as
    soon as the block ends, and a failure rolls the savepoint (and the setting) back.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL tandem.retention = 'on'")
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL tandem.retention = 'off'")


# --- steps -----------------------------------------------------------------------------------


@dataclass
class StepResult:
    counts: dict[str, int] = field(default_factory=dict)
    persons: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class RetentionStep:
    """One record type: how to count and erase (or pseudonymise) it for a list of persons."""

    period: str
    # Report keys this step fills, in report order, with their labels.
    labels: dict[str, Promise]
    run: Callable[[Sequence[int], bool], StepResult]


_STEPS: list[RetentionStep] = []


def register_retention_step(step: RetentionStep) -> RetentionStep:
    """Add a record type. Steps run in registration order; an app whose records point at
    case content must register before the step that deletes what they point at."""
    if step.period not in DEFAULT_RETENTION:
        raise ImproperlyConfigured(f"Unknown retention period {step.period!r}.")
    _STEPS.append(step)
    return step


def retention_steps() -> list[RetentionStep]:
    return list(_STEPS)


def _delete(
    key: str, queryset: QuerySet[Any], person_path: str, write: bool, result: StepResult
) -> None:
    n = queryset.count()
    result.counts[key] = result.counts.get(key, 0) + n
    if n:
        result.persons.update(queryset.order_by().values_list(person_path, flat=True).distinct())
        if write:
            queryset.delete()


# Case content under a trajectory: (report key, model, path from the model to its trajectory),
# children before their parents.
TRAJECTORY_CONTENT: list[tuple[str, type[Model], str]] = [
    ("coaching_contacts", CoachingContact, "coaching__job_start__trajectory"),
    ("expert_support_logs", ExpertSupportLog, "request__trajectory"),
    ("expert_support_requests", ExpertSupportRequest, "trajectory"),
    ("readings", Reading, "assessment__trajectory"),
    ("assessments", Assessment, "trajectory"),
    ("pops", PopReport, "trajectory"),
    ("actions", Action, "goal__trajectory"),
    ("goals", Goal, "trajectory"),
    ("contacts", Contact, "trajectory"),
    ("lead_handovers", LeadHandover, "trajectory"),
    ("domain_responsibilities", DomainResponsibility, "trajectory"),
]


def _trajectory_content(person_ids: Sequence[int], write: bool) -> StepResult:
    """The case content of the person's trajectories."""
    result = StepResult()
    trajectories = Trajectory.objects.filter(person_id__in=person_ids)
    for key, model, path in TRAJECTORY_CONTENT:
        rows = model._default_manager.filter(**{f"{path}__in": trajectories})
        _delete(key, rows, f"{path}__person_id", write, result)
    # Kept for outcome statistics, without their free text: trajectories (type, status, dates,
    # closure reason), status changes (without why), job starts and retention checks.
    with_text = trajectories.filter(
        ~Q(closure_note="")
        | Q(next_contact_on__isnull=False)
        | (~Q(start_reason="") & ~Q(start_reason=ERASED))
        | Exists(StatusChange.objects.filter(trajectory=OuterRef("pk")).exclude(reason=""))
        | Exists(
            RetentionCheck.objects.filter(job_start__trajectory=OuterRef("pk")).exclude(note="")
        )
    )
    n = with_text.count()
    result.counts["trajectories_cleared"] = n
    if n:
        result.persons.update(with_text.order_by().values_list("person_id", flat=True).distinct())
    if n and write:
        StatusChange.objects.filter(trajectory__in=trajectories).exclude(reason="").update(
            reason=""
        )
        RetentionCheck.objects.filter(job_start__trajectory__in=trajectories).exclude(
            note=""
        ).update(note="")
        trajectories.update(
            closure_note="",
            next_contact_on=None,
            # The database requires a reason when there is no screening to start from.
            start_reason=Case(
                When(screening__isnull=True, then=Value(ERASED)),
                default=Value(""),
                output_field=CharField(),
            ),
        )
    return result


def _household(person_ids: Sequence[int], write: bool) -> StepResult:
    """The person's household: its members (third parties) and income.

    A household that another person still uses is left to them; the person is only taken out
    of it. Where the person is a member of someone else's household, that household keeps
    the member (it is the other person's data) without the link to this file.
    """
    result = StepResult()
    ids = set(person_ids)
    households = Person.objects.filter(pk__in=person_ids, household__isnull=False).values(
        "household_id"
    )
    users: dict[int, set[int]] = defaultdict(set)
    for household_id, pk in Person.objects.filter(household_id__in=households).values_list(
        "household_id", "pk"
    ):
        users[household_id].add(pk)
    deletable = [h for h, pks in users.items() if pks <= ids]
    members = HouseholdMember.objects.filter(household_id__in=deletable)
    incomes = IncomeComponent.objects.filter(household_id__in=deletable)
    counts = {
        "income_components": incomes.count(),
        "household_members": members.count(),
        "households": len(deletable),
    }
    result.counts.update(counts)
    result.persons.update(pk for h in deletable for pk in users[h])
    detached = Person.objects.filter(pk__in=person_ids, household__isnull=False)
    foreign = HouseholdMember.objects.filter(person_id__in=person_ids).exclude(
        household_id__in=deletable
    )
    result.persons.update(detached.values_list("pk", flat=True))
    if write:
        foreign.update(person=None)
        detached.update(household=None)
        incomes.delete()
        members.delete()
        Household.objects.filter(pk__in=deletable).delete()
    return result


IDENTITY_FIELDS = [
    "first_name",
    "last_name",
    "search_key",
    "insz",
    "birth_date",
    "languages",
    "disability",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "phone",
    "email",
    "public_id",
    "updated_at",
]


def _identity(person_ids: Sequence[int], write: bool) -> StepResult:
    """Replace the identifying fields by a pseudonym; keep what statistics need.

    Kept: birth year (the birth date becomes 1 January of that year), gender, province,
    education, nationality group, foreign background, registration, benefit, the registering
    organisation and date. A recorded disability is special-category data and goes.
    A new public id makes old links (bookmarks, server logs) lead nowhere. An erased
    person has an empty first name, which no form or service accepts, so it marks them.
    """
    result = StepResult()
    persons = Person.objects.filter(pk__in=person_ids).exclude(first_name="")
    people = list(persons) if write else []
    n = len(people) if write else persons.count()
    result.counts["persons"] = n
    if not n:
        return result
    if not write:
        result.persons.update(persons.values_list("pk", flat=True))
        return result
    now = timezone.now()
    for person in people:
        person.first_name = ""
        person.last_name = person_pseudonym(person.pk)
        person.search_key = ""
        person.insz = None
        person.birth_date = person.birth_date.replace(month=1, day=1)
        person.languages = []
        person.disability = "not_asked"
        person.street = person.house_number = person.postal_code = ""
        person.municipality = person.phone = person.email = ""
        person.public_id = uuid.uuid4()
        person.updated_at = now
        result.persons.add(person.pk)
    # The values are fixed here, not entered by anyone; the database constraints still apply.
    Person.objects.bulk_update(people, IDENTITY_FIELDS, batch_size=CHUNK)
    PersonAssignment.objects.filter(person_id__in=person_ids).update(reason=ERASED)
    return result


def _screenings(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    screenings = Screening.objects.filter(person_id__in=person_ids)
    answers = ScreeningAnswer.objects.filter(screening__in=screenings)
    result.counts["screening_answers"] = answers.count()
    n = screenings.count()
    result.counts["screenings"] = n
    if n:
        result.persons.update(screenings.order_by().values_list("person_id", flat=True).distinct())
    if n and write:
        # Trajectory.screening is PROTECT: the trajectory keeps a note that it had one.
        Trajectory.objects.filter(screening__in=screenings).update(
            screening=None, start_reason=ERASED
        )
        answers.delete()
        screenings.delete()
    return result


def _access_log(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    rows = AccessLog.objects.filter(person_id__in=person_ids)
    n = rows.count()
    result.counts["access_log"] = n
    if not n:
        return result
    touched = set(rows.order_by().values_list("person_id", flat=True).distinct())
    result.persons.update(touched)
    if write:
        user_ids = set(rows.order_by().values_list("user_id", flat=True).distinct())
        with accesslog_pseudonymisation():
            rows.update(
                person_pseudonym=Case(
                    *[When(person_id=pk, then=Value(person_pseudonym(pk))) for pk in touched],
                    output_field=CharField(),
                ),
                user_pseudonym=Case(
                    *[When(user_id=pk, then=Value(user_pseudonym(pk))) for pk in user_ids],
                    output_field=CharField(),
                ),
                person=None,
                user=None,
                ip_address=None,
            )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "coaching_contacts": _("Job-coaching contacts"),
            "expert_support_logs": _("Experience-expert support logs"),
            "expert_support_requests": _("Experience-expert requests"),
            "readings": _("Readings"),
            "assessments": _("Assessments"),
            "pops": _("POP versions"),
            "actions": _("Plan actions"),
            "goals": _("Plan goals"),
            "contacts": _("Contacts and notes"),
            "lead_handovers": _("Hand-overs of the lead"),
            "domain_responsibilities": _("Responsibilities per life domain"),
            "trajectories_cleared": _("Trajectories kept for statistics, notes cleared"),
        },
        run=_trajectory_content,
    )
)
register_retention_step(
    RetentionStep(
        period="screenings",
        labels={"screening_answers": _("Screening answers"), "screenings": _("Screenings")},
        run=_screenings,
    )
)
register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "income_components": _("Income components"),
            "household_members": _("Household members"),
            "households": _("Households"),
        },
        run=_household,
    )
)
register_retention_step(
    RetentionStep(
        period="case_content",
        labels={"persons": _("Persons: identity replaced by a pseudonym")},
        run=_identity,
    )
)
register_retention_step(
    RetentionStep(
        period="access_log",
        labels={"access_log": _("Access-log rows pseudonymised")},
        run=_access_log,
    )
)


# --- the runs --------------------------------------------------------------------------------


@dataclass
class RetentionReport:
    dry_run: bool
    today: dt.date
    periods: dict[str, int]
    due: dict[str, int]
    counts: dict[str, int]
    persons: dict[int, set[str]]

    def lines(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for every record type, in deletion order."""
        labels = {k: v for step in retention_steps() for k, v in step.labels.items()}
        return [(key, str(labels[key]), n) for key, n in self.counts.items()]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _run(due: dict[str, list[int]], *, write: bool) -> tuple[dict[str, int], dict[int, set[str]]]:
    counts: dict[str, int] = {}
    persons: dict[int, set[str]] = defaultdict(set)
    for step in retention_steps():
        for key in step.labels:
            counts.setdefault(key, 0)
        ids = due.get(step.period, [])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            result = step.run(chunk, write)
            for key, n in result.counts.items():
                counts[key] += n
            for pk in result.persons:
                persons[pk].add(step.period)
    return counts, dict(persons)


def retention_apply(
    *, acting_user: User | None, today: dt.date | None = None, dry_run: bool = False
) -> RetentionReport:
    """Erase or pseudonymise everything whose retention period has passed.

    All of it in one transaction; a dry run counts the same and changes nothing. Each person
    whose data was erased gets an audit event (which parts, never the data), and the run one
    event with the totals.
    """
    today = today or timezone.localdate()
    periods = retention_periods()
    with transaction.atomic():
        due = {
            period: list(
                persons_due(years=years, today=today).order_by("pk").values_list("pk", flat=True)
            )
            for period, years in periods.items()
        }
        counts, persons = _run(due, write=not dry_run)
        if dry_run:
            # The steps do not write on a dry run; rolling back on top makes sure of it.
            transaction.set_rollback(True)
        else:
            _record_person_events(acting_user, persons, trigger="retention", data={})
            AuditEvent.objects.create(
                actor=acting_user,
                organisation=acting_user.organisation if acting_user else None,
                event_type=Event.RETENTION_APPLIED,
                data={
                    "today": today.isoformat(),
                    "periods": periods,
                    "counts": counts,
                    "persons": len(persons),
                },
            )
    return RetentionReport(
        dry_run=dry_run,
        today=today,
        periods=periods,
        due={period: len(ids) for period, ids in due.items()},
        counts=counts,
        persons=persons,
    )


def _record_person_events(
    actor: User | None, persons: dict[int, set[str]], *, trigger: str, data: dict[str, Any]
) -> None:
    organisations = dict(
        Person.objects.filter(pk__in=list(persons)).values_list("pk", "organisation_id")
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                organisation_id=organisations.get(pk),
                person_id=pk,
                event_type=Event.PERSON_ERASED,
                data={"trigger": trigger, "parts": sorted(parts), **data},
            )
            for pk, parts in sorted(persons.items())
        ],
        batch_size=CHUNK,
    )


# --- erasure on request ----------------------------------------------------------------------

# On request everything about the person goes at once, except the access log: it records
# who read the file and is kept for accountability (art. 17(3)(b) and (e)) until its own
# retention period; it points at the pseudonymised person only.
ON_REQUEST = ("case_content", "screenings")


def erasure_refusal(person: Person) -> str | None:
    """Why this person cannot be erased now, in words for the DPO, or None."""
    if person.first_name == "":
        return gettext("This person's data has already been erased.")
    if Trajectory.objects.filter(person=person).exclude(status=Status.CLOSED).exists():
        return gettext(
            "This person has an open trajectory. The mediator closes it first (with a closure "
            "reason); then the data can be erased."
        )
    return None


def erasure_preview(person: Person) -> RetentionReport:
    """What erasing this person would remove, counted without changing anything."""
    counts, persons = _run({p: [person.pk] for p in ON_REQUEST}, write=False)
    return RetentionReport(
        dry_run=True,
        today=timezone.localdate(),
        periods={},
        due={p: 1 for p in ON_REQUEST},
        counts=counts,
        persons=persons,
    )


@transaction.atomic
def person_erase(*, acting_user: User, person: Person, reason: str) -> RetentionReport:
    """Erase one person's data now, on their request (the data-protection officer)."""
    if not has_capability(acting_user, "audit.view_access_log"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Write why the data is erased, e.g. the request and its date.")}
        )
    # Lock the row: two erasures of the same person at once would count twice.
    person = Person.objects.select_for_update().get(pk=person.pk)
    refusal = erasure_refusal(person)
    if refusal:
        raise ValidationError(refusal)
    counts, persons = _run({p: [person.pk] for p in ON_REQUEST}, write=True)
    AuditEvent.objects.create(
        actor=acting_user,
        organisation=acting_user.organisation,
        person=person,
        event_type=Event.PERSON_ERASED,
        data={
            "trigger": "request",
            "reason": reason,
            "parts": list(ON_REQUEST),
            "counts": counts,
        },
    )
    return RetentionReport(
        dry_run=False,
        today=timezone.localdate(),
        periods={},
        due={p: 1 for p in ON_REQUEST},
        counts=counts,
        persons=persons,
    )
