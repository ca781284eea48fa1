"""Writes for work after the trajectory: a job start (which moves an active trajectory to
``employed``), job coaching under the rules of ``jobcoaching.rules``, coaching contacts,
retention checks at 1, 3 and 6 months, and the end of a job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write, trajectory_queryset_for
from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..exceptions import JobCoachingRefused
from ..models import (
    CoachingContact,
    ContractType,
    JobCoaching,
    JobStart,
    RetentionCheck,
    Status,
    Trajectory,
)
from ..services import trajectory_transition
from . import rules

# Who may add an employer to the shared list of organisations.


def can_record_job(user: User, trajectory: Trajectory) -> bool:
    """Job starts, job coaching and job ends are recorded by those who change the trajectory."""
    return can_write(user, trajectory)


def can_follow_up_coaching(user: User, coaching: JobCoaching) -> bool:
    """Contacts and retention checks: the trajectory's writers and the coaching's own coach."""
    trajectory = coaching.job_start.trajectory
    if can_write(user, trajectory):
        return True
    return (
        user.pk == coaching.coach_id
        and trajectory.is_open
        and trajectory_queryset_for(user).filter(pk=trajectory.pk).exists()
    )


def can_check_retention(user: User, job_start: JobStart) -> bool:
    if can_write(user, job_start.trajectory):
        return True
    coaching = getattr(job_start, "coaching", None)
    return coaching is not None and can_follow_up_coaching(user, coaching)


def _not_in_future(day: dt.date, field: str, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: message})


@transaction.atomic
def employer_create(*, acting_user: User, name: str, municipality: str) -> Organisation:
    """Add an employer (an organisation of kind ``employer``) with a unique code.

    The audit event belongs to the acting user's organisation: an employer is not a tenant,
    it is reference data that a case worker added.
    """
    if not has_capability(acting_user, "employer.create"):
        raise PermissionDenied
    name = " ".join(name.split())
    municipality = " ".join(municipality.split())
    if not name:
        raise ValidationError({"name": _("Write the employer's name.")})
    same = Organisation.objects.filter(
        kind=OrganisationKind.EMPLOYER, name__iexact=name, municipality__iexact=municipality
    )
    if same.exists():
        message = _(
            "%(name)s in %(municipality)s is already in the list of employers: choose it there."
        ) % {"name": name, "municipality": municipality or "—"}
        raise ValidationError({"name": ValidationError(message, code="employer_exists")})
    max_length = Organisation._meta.get_field("code").max_length or 60
    base = slugify(f"employer {name} {municipality}")[: max_length - 4].strip("-") or "employer"
    code, n = base, 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    employer = Organisation(
        name=name, code=code, kind=OrganisationKind.EMPLOYER, municipality=municipality
    )
    employer.full_clean()
    employer.save()
    audit_event_record(
        actor=acting_user,
        event_type=Event.EMPLOYER_CREATED,
        data={"employer": employer.pk, "code": code},
    )
    return employer


@transaction.atomic
def job_start_record(
    *,
    acting_user: User,
    trajectory: Trajectory,
    employer: Organisation,
    started_on: dt.date,
    contract_type: str,
    job_title: str = "",
) -> JobStart:
    """Record a job start with its retention checks; an active trajectory becomes employed.

    The status change is dated on the job start, or on the last status change when the job
    started earlier than that (a status history never goes back in time).
    """
    trajectory = (
        Trajectory.objects.select_for_update().select_related("person").get(pk=trajectory.pk)
    )
    if not can_record_job(acting_user, trajectory):
        raise PermissionDenied
    if employer.kind != OrganisationKind.EMPLOYER:
        raise ValidationError({"employer": _("Choose an employer from the list of employers.")})
    if contract_type not in ContractType.values:
        raise ValidationError({"contract_type": _("Choose a contract type.")})
    _not_in_future(started_on, "started_on", _("Record the job start once the job has started."))
    job_start = JobStart(
        trajectory=trajectory,
        employer=employer,
        started_on=started_on,
        contract_type=contract_type,
        job_title=job_title.strip(),
        recorded_by=acting_user,
    )
    job_start.full_clean()
    job_start.save()
    RetentionCheck.objects.bulk_create(
        RetentionCheck(job_start=job_start, month=month, due_on=due_on)
        for month, due_on in rules.retention_due_dates(started_on).items()
    )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.JOB_STARTED,
        data={
            "trajectory": str(trajectory.public_id),
            "job_start": job_start.pk,
            "employer": employer.pk,
            "started_on": started_on.isoformat(),
            "contract_type": contract_type,
        },
    )
    if trajectory.status == Status.ACTIVE:
        last_change = (
            trajectory.status_changes.order_by("-on", "-at").values_list("on", flat=True).first()
        )
        trajectory_transition(
            acting_user=acting_user,
            trajectory=trajectory,
            to_status=Status.EMPLOYED,
            on=max(started_on, last_change) if last_change else started_on,
            reason=_("Job start at %(employer)s") % {"employer": employer.name},
        )
    return job_start


@transaction.atomic
def job_coaching_start(
    *,
    acting_user: User,
    job_start: JobStart,
    coach: User,
    employer_consent_on: dt.date | None,
    started_on: dt.date,
) -> JobCoaching:
    """Start job coaching if the rules allow it; it ends six calendar months after its start.

    Raises ``JobCoachingRefused`` with every reason in plain words when they do not.
    """
    job_start = (
        JobStart.objects.select_for_update()
        .select_related("trajectory__person")
        .get(pk=job_start.pk)
    )
    trajectory = job_start.trajectory
    if not can_record_job(acting_user, trajectory):
        raise PermissionDenied
    if JobCoaching.objects.filter(job_start=job_start).exists():
        raise JobCoachingRefused(_("This job already has job coaching."), code="coaching_exists")
    decision = rules.job_coaching_allowed(
        job_started_on=job_start.started_on,
        coaching_started_on=started_on,
        employer_consent_on=employer_consent_on,
        # Who may be the job coach: a job coach, or the mediator who coaches at the workplace.
        coach_may_coach=has_capability(coach, "jobcoaching.coach"),
        job_ended_on=job_start.ended_on,
        today=timezone.localdate(),
    )
    if not decision.allowed:
        raise JobCoachingRefused(decision.reasons, code="job_coaching_refused")
    assert employer_consent_on is not None  # the rules refuse coaching without consent
    coaching = JobCoaching(
        job_start=job_start,
        coach=coach,
        employer_consent_on=employer_consent_on,
        consent_recorded_by=acting_user,
        started_on=started_on,
        ends_on=rules.coaching_ends_on(started_on),
    )
    coaching.full_clean()
    coaching.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.JOBCOACHING_STARTED,
        data={
            "trajectory": str(trajectory.public_id),
            "job_start": job_start.pk,
            "coach": coach.pk,
            "employer_consent_on": employer_consent_on.isoformat(),
            "started_on": started_on.isoformat(),
            "ends_on": coaching.ends_on.isoformat(),
        },
    )
    return coaching


@transaction.atomic
def coaching_contact_record(
    *, acting_user: User, coaching: JobCoaching, on: dt.date, text: str, place: str = ""
) -> CoachingContact:
    """Record a contact at the workplace, within the coaching period only."""
    coaching = JobCoaching.objects.select_related("job_start__trajectory__person").get(
        pk=coaching.pk
    )
    if not can_follow_up_coaching(acting_user, coaching):
        raise PermissionDenied
    decision = rules.coaching_contact_allowed(
        coaching_started_on=coaching.started_on,
        coaching_ends_on=coaching.ends_on,
        on=on,
        closed_on=coaching.closed_on,
    )
    if not decision.allowed:
        raise ValidationError({"on": decision.reasons}, code="outside_coaching_period")
    _not_in_future(on, "on", _("A contact that took place cannot be in the future."))
    if not text.strip():
        raise ValidationError({"text": _("Write what the contact was about.")})
    contact = CoachingContact(
        coaching=coaching, on=on, place=place.strip(), text=text.strip(), author=acting_user
    )
    contact.full_clean()
    contact.save()
    trajectory = coaching.job_start.trajectory
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.JOBCOACHING_CONTACT,
        data={
            "trajectory": str(trajectory.public_id),
            "coaching": coaching.pk,
            "on": on.isoformat(),
        },
    )
    return contact


@transaction.atomic
def retention_check_record(
    *,
    acting_user: User,
    check: RetentionCheck,
    checked_on: dt.date,
    still_employed: bool,
    note: str = "",
) -> RetentionCheck:
    """Answer a retention check (still in the job at 1, 3 or 6 months?), or correct it.

    The answer is known only from the due date on.
    """
    check = (
        RetentionCheck.objects.select_for_update()
        .select_related("job_start__trajectory__person")
        .get(pk=check.pk)
    )
    job_start = check.job_start
    if not can_check_retention(acting_user, job_start):
        raise PermissionDenied
    if checked_on < check.due_on:
        raise ValidationError(
            {
                "checked_on": _(
                    "The check at %(month)s months is due on %(date)s: answer it from that day on."
                )
                % {"month": check.month, "date": check.due_on.strftime("%d/%m/%Y")}
            }
        )
    _not_in_future(checked_on, "checked_on", _("The check date cannot be in the future."))
    before: dict[str, Any] | None = None
    if check.checked_on is not None:
        before = {
            "checked_on": check.checked_on.isoformat(),
            "still_employed": check.still_employed,
        }
    check.checked_on = checked_on
    check.still_employed = still_employed
    check.note = note.strip()
    check.full_clean()
    check.save()
    trajectory = job_start.trajectory
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.JOB_RETENTION_CHECKED,
        data={
            "trajectory": str(trajectory.public_id),
            "job_start": job_start.pk,
            "month": check.month,
            "checked_on": checked_on.isoformat(),
            "still_employed": still_employed,
            "corrects": before,
        },
    )
    return check


@transaction.atomic
def job_end_record(
    *, acting_user: User, job_start: JobStart, ended_on: dt.date, reason: str = ""
) -> JobStart:
    """Record that a job ended. Its coaching closes; an employed trajectory with no other
    running job goes back to active guidance (DOMAIN.md: a job that ends early brings the
    person back)."""
    job_start = (
        JobStart.objects.select_for_update()
        .select_related("trajectory__person")
        .get(pk=job_start.pk)
    )
    trajectory = job_start.trajectory
    if not can_record_job(acting_user, trajectory):
        raise PermissionDenied
    if job_start.ended_on is not None:
        raise ValidationError(
            _("This job already ended on %(date)s.")
            % {"date": job_start.ended_on.strftime("%d/%m/%Y")},
            code="job_ended",
        )
    if ended_on < job_start.started_on:
        raise ValidationError(
            {
                "ended_on": _("The job cannot end before it started (%(date)s).")
                % {"date": job_start.started_on.strftime("%d/%m/%Y")}
            }
        )
    _not_in_future(ended_on, "ended_on", _("Record the end of a job once it has ended."))
    job_start.ended_on = ended_on
    job_start.full_clean()
    job_start.save(update_fields=["ended_on", "updated_at"])
    coaching = JobCoaching.objects.filter(job_start=job_start, closed_on__isnull=True).first()
    if coaching is not None:
        coaching.closed_on = max(ended_on, coaching.started_on)
        coaching.full_clean()
        coaching.save(update_fields=["closed_on", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.JOB_ENDED,
        data={
            "trajectory": str(trajectory.public_id),
            "job_start": job_start.pk,
            "ended_on": ended_on.isoformat(),
        },
    )
    other_running = trajectory.job_starts.filter(ended_on__isnull=True).exists()
    if trajectory.status == Status.EMPLOYED and not other_running:
        last_change = (
            trajectory.status_changes.order_by("-on", "-at").values_list("on", flat=True).first()
        )
        trajectory_transition(
            acting_user=acting_user,
            trajectory=trajectory,
            to_status=Status.ACTIVE,
            on=max(ended_on, last_change) if last_change else ended_on,
            reason=reason.strip() or _("The job ended."),
        )
    return job_start
