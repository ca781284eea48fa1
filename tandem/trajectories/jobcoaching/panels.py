"""What the trajectory page shows of work after the trajectory (merged into its context): the
latest job, its coaching period and the next retention check due. Two queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.accounts.models import User

from ..models import JobCoaching, JobStart, RetentionCheck, Trajectory
from .selectors import next_retention_check
from .services import can_record_job


@dataclass(frozen=True)
class JobCoachingPanel:
    job: JobStart | None
    coaching: JobCoaching | None
    next_check: RetentionCheck | None
    job_count: int
    can_record: bool


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    jobs = list(
        trajectory.job_starts.select_related("employer", "coaching", "coaching__coach").order_by(
            "-started_on", "-pk"
        )
    )
    job = jobs[0] if jobs else None
    return {
        "jobcoaching_panel": JobCoachingPanel(
            job=job,
            coaching=getattr(job, "coaching", None) if job is not None else None,
            next_check=next_retention_check(job) if job is not None else None,
            job_count=len(jobs),
            can_record=can_record_job(user, trajectory),
        )
    }
