"""Retention (GDPR art. 5(1)(e)): what is erased or pseudonymised, and when.

A person's data is kept for a period after the organisations last worked with them: their
last trajectory closed (and none is open), their last imported trajectory ended, their last
screening — the latest of these; their registration only when there is none of these.
``settings.TANDEM_RETENTION`` gives the period per record type, in years:

- ``case_content``: the plan, contacts and notes, readings, POPs, experience-expert support,
  job-coaching notes, the household and its income, consents and referrals, group work,
  labour-market statuses, imported trajectories, the outreach prospect and its contact moments
  — and the person's identifying fields, which are replaced by a pseudonym. What outcome
  statistics need stays: the person's birth year, gender, province, education, nationality
  group, registration and benefit; the trajectories' type, status history, dates and closure
  reason; job starts and retention checks.
- ``screenings``: screenings and their answers.
- ``access_log``: access-log rows are never deleted; after this period their person and user
  references (and IP address) are replaced by keyed pseudonyms. The API's request log
  (``ApiRequest``) follows the same period: its rows are never deleted, their IP address is
  cleared (``tandem.common.privacy_hooks.register_log_expiry``).

Each record type is a ``RetentionStep`` that its app registers in its ``privacy.py``
(``tandem.common.privacy_hooks``); steps run in their order, which is the deletion order. Erasure on
request (``tandem.privacy.erasure``) runs the same steps for one person.

A step counts what it would change and changes it only when asked to write, so a dry run
reports exactly the counts of a real run (and is rolled back on top, to be sure).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.common.privacy_hooks import CHUNK, DEFAULT_RETENTION, log_expiries, retention_steps
from tandem.outcomes.models import ImportedTrajectory
from tandem.registry.models import Person
from tandem.screening.models import Screening
from tandem.trajectories.models import Status, Trajectory


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

    Counted from the last thing that happened with the person, before the cut-off day
    (``today`` minus ``years``): no open trajectory; every trajectory ended, every imported
    trajectory (``outcomes``) ended and the last screening took place before it. The
    registration counts only when the person has none of these: a person imported with
    trajectories that ended long ago is due then, however recently they were imported. An
    imported trajectory without an end date counts from its start (the import knows no later
    day).
    """
    cutoff = years_before(today, years)
    cutoff_at = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    person = OuterRef("pk")
    any_trajectory = Trajectory.objects.filter(person=person)
    any_imported = ImportedTrajectory.objects.filter(person=person)
    any_screening = Screening.objects.filter(person=person)
    open_trajectory = any_trajectory.exclude(status=Status.CLOSED)
    recent_trajectory = any_trajectory.filter(end_date__gte=cutoff)
    recent_imported = any_imported.filter(
        Q(end_date__gte=cutoff) | Q(end_date__isnull=True, start_date__gte=cutoff)
    )
    recent_screening = any_screening.filter(conducted_on__gte=cutoff)
    return (
        Person.objects.filter(
            Q(created_at__lt=cutoff_at)
            | Exists(any_trajectory)
            | Exists(any_imported)
            | Exists(any_screening)
        )
        .exclude(Exists(open_trajectory))
        .exclude(Exists(recent_trajectory))
        .exclude(Exists(recent_imported))
        .exclude(Exists(recent_screening))
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
        labels.update({e.key: e.label for e in log_expiries()})
        return [(key, str(labels[key]), n) for key, n in self.counts.items()]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run_steps(
    due: dict[str, list[int]], *, write: bool
) -> tuple[dict[str, int], dict[int, set[str]]]:
    """Run every step, in order, for the persons due per period (``due``: person ids by
    period). Return the rows per report key and, per person touched, the periods it was in."""
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
        counts, persons = run_steps(due, write=not dry_run)
        # Logs about no person in particular (the API's request log), once per run.
        for expiry in log_expiries():
            counts[expiry.key] = expiry.run(periods[expiry.period], not dry_run)
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
