"""Reads of job starts, job coaching, coaching contacts and retention checks. They are reached
through their trajectory, so ``trajectory_get_for`` has already decided whether the user may see
them; an id of another trajectory gives the same 404 as a missing one."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from tandem.access.scope import trajectory_queryset_for
from tandem.accounts.models import Organisation, OrganisationKind, Role, User

from ..models import CoachingContact, JobCoaching, JobStart, RetentionCheck, Trajectory


def job_starts_of(trajectory: Trajectory) -> list[JobStart]:
    """Every job start of the trajectory, newest first, with employer, coaching and coach,
    retention checks and coaching contacts: three queries whatever the number of jobs."""
    return list(
        trajectory.job_starts.select_related("employer", "coaching", "coaching__coach")
        .prefetch_related(
            Prefetch("retention", queryset=RetentionCheck.objects.order_by("month")),
            Prefetch(
                "coaching__contacts",
                queryset=CoachingContact.objects.select_related("author").order_by("on", "pk"),
            ),
        )
        .order_by("-started_on", "-pk")
    )


def job_start_get(trajectory: Trajectory, job_start_id: int) -> JobStart:
    try:
        return trajectory.job_starts.select_related(
            "employer", "coaching", "coaching__coach", "trajectory"
        ).get(pk=job_start_id)
    except JobStart.DoesNotExist as exc:
        raise Http404 from exc


def coaching_get(trajectory: Trajectory, coaching_id: int) -> JobCoaching:
    try:
        return JobCoaching.objects.select_related(
            "job_start", "job_start__employer", "job_start__trajectory", "coach"
        ).get(pk=coaching_id, job_start__trajectory=trajectory)
    except JobCoaching.DoesNotExist as exc:
        raise Http404 from exc


def retention_check_get(trajectory: Trajectory, check_id: int) -> RetentionCheck:
    try:
        return RetentionCheck.objects.select_related(
            "job_start", "job_start__employer", "job_start__trajectory", "job_start__coaching"
        ).get(pk=check_id, job_start__trajectory=trajectory)
    except RetentionCheck.DoesNotExist as exc:
        raise Http404 from exc


def employers() -> QuerySet[Organisation]:
    """The shared list of employers (reference data, not case data)."""
    return Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by(
        "name", "municipality"
    )


def coach_candidates(trajectory: Trajectory) -> QuerySet[User]:
    """Who can be chosen as job coach: the job coaches (who often work for a partner), and the
    mediators and job coaches of the trajectory's office."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.JOB_COACH)
            | Q(role_assignments__role=Role.MEDIATOR, organisation_id=trajectory.organisation_id)
        )
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def next_retention_check(job_start: JobStart) -> RetentionCheck | None:
    """The first unanswered retention check of a job, if any."""
    return (
        RetentionCheck.objects.filter(job_start=job_start, checked_on__isnull=True)
        .order_by("due_on")
        .first()
    )


def coachings_of(user: User, today: dt.date) -> QuerySet[JobCoaching]:
    """A job coach's own caseload (issue 18): the coachings they hold that are not closed and
    still run on ``today`` or still have a retention check to answer, each with the person,
    the job, the employer and the next retention check (``next_check_on``, ``next_check_id``,
    ``next_check_month``). The most urgent first: the next check due soonest (overdue first),
    then the coaching that ends first. One query, scoped through the trajectories the user
    sees (``tandem.access``): another coach's coachings never appear."""
    checks = RetentionCheck.objects.filter(
        job_start=OuterRef("job_start"), checked_on__isnull=True
    ).order_by("due_on", "month")
    return (
        JobCoaching.objects.filter(
            coach=user,
            closed_on__isnull=True,
            job_start__trajectory__in=trajectory_queryset_for(user),
        )
        .annotate(
            next_check_on=Subquery(checks.values("due_on")[:1]),
            next_check_id=Subquery(checks.values("pk")[:1]),
            next_check_month=Subquery(checks.values("month")[:1]),
        )
        .filter(Q(ends_on__gte=today) | Q(next_check_on__isnull=False))
        .select_related("job_start__employer", "job_start__trajectory__person")
        .order_by(F("next_check_on").asc(nulls_last=True), "ends_on", "pk")
    )
