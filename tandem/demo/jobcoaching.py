"""Demo: job coaching that runs today (issue 18: the job coach's caseload). The demo's own
trajectories run over 2018–2025, so every coaching they start has ended by today and the job
coach's caseload and home page would be empty. This step gives each job coach a caseload of
their own: a few active trajectories of their office get a job start one to five months ago,
with job coaching by the job coach from a few days later; the retention checks due more than
ten days ago are recorded, the later ones wait (some overdue, some due soon).

``seed_current_coaching(rng)`` runs after the trajectories, with its own random stream, so
nothing before it changes. Only when the job coach has no coaching that runs today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tandem.accounts.models import Organisation, OrganisationKind, Role, User
from tandem.trajectories.jobcoaching.services import (
    employer_create,
    job_coaching_start,
    job_start_record,
    retention_check_record,
)
from tandem.trajectories.models import ContractType, JobCoaching, Status, Trajectory

from .trajectories import EMPLOYERS

# Coachings per job coach that run today.
PER_COACH = 6


def seed_current_coaching(rng: random.Random) -> int:
    """Start ``PER_COACH`` job coachings that run today for every job coach; how many."""
    today = timezone.localdate()
    created = 0
    for coach in (
        User.objects.filter(role_assignments__role=Role.JOB_COACH, organisation__isnull=False)
        .distinct()
        .order_by("pk")
    ):
        if coach.organisation_id is None or (
            JobCoaching.objects.filter(coach=coach, ends_on__gte=today).exists()
        ):
            continue
        candidates = list(
            Trajectory.objects.filter(
                organisation_id=coach.organisation_id,
                status=Status.ACTIVE,
                lead_mediator__isnull=False,
                start_date__lte=today - dt.timedelta(days=200),
                job_starts__isnull=True,
            )
            .exclude(person__first_name="")
            .select_related("lead_mediator", "person")
            .order_by("pk")
        )
        for trajectory in rng.sample(candidates, min(PER_COACH, len(candidates))):
            _coaching(trajectory, coach, today, rng)
            created += 1
    return created


def _coaching(trajectory: Trajectory, coach: User, today: dt.date, rng: random.Random) -> None:
    mediator = trajectory.lead_mediator
    assert mediator is not None
    name, municipality = rng.choice(EMPLOYERS)
    employer = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, name=name).first()
    if employer is None:
        employer = employer_create(acting_user=mediator, name=name, municipality=municipality)
    day = today - dt.timedelta(days=rng.randint(30, 150))
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=day,
        contract_type=rng.choice([ContractType.PERMANENT, ContractType.FIXED_TERM]),
        job_title=rng.choice(["Magazijnier", "Schoonmaker", "Keukenhulp", "Groenarbeider"]),
    )
    job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=coach,
        employer_consent_on=day,
        started_on=day + dt.timedelta(days=rng.randint(3, 14)),
    )
    for check in job.retention.order_by("month"):
        if check.due_on <= today - dt.timedelta(days=10):
            retention_check_record(
                acting_user=coach,
                check=check,
                checked_on=check.due_on + dt.timedelta(days=rng.randint(0, 5)),
                still_employed=True,
            )
