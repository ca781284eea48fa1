"""Reads for the funding rule: a project's terms as the pure rule takes them, whether an
exception covers a case, and the project page's counts by eligibility."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, NamedTuple

from django.db.models import QuerySet

from .. import rules
from ..models import Funded, FundingException, Project


def funding_terms(project: Project) -> tuple[rules.Period, rules.CallTerms | None]:
    """The project's period and its call's terms, as the pure rule takes them."""
    period = rules.Period(project.name, project.start_date, project.end_date)
    call = project.call
    if call is None:
        return period, None
    return period, rules.CallTerms(
        rules.Period(str(call), call.start_date, call.end_date),
        frozenset(k for k in call.funds or [] if k in Funded.values),
    )


def funding_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Funded.choices}


def funding_exception_exists(*, project: Project, trajectory_id: int | None, kind: str) -> bool:
    return trajectory_id is not None and (
        FundingException.objects.filter(
            project=project, trajectory_id=trajectory_id, kind=kind
        ).exists()
    )


def funding_refusal_for(
    *,
    project: Project,
    kind: str,
    day: dt.date,
    trajectory_id: int | None = None,
    participant_type: str | None = None,
) -> str | None:
    """Why ``project`` may not fund ``kind`` on ``day`` (``rules.funding_refusal``), or
    ``None``: also when a programme manager recorded an exception for this trajectory, project
    and kind."""
    period, call = funding_terms(project)
    refusal = rules.funding_refusal(
        kind=kind,
        day=day,
        project=period,
        call=call,
        participant_type=participant_type,
        labels=funding_labels(),
    )
    if refusal and funding_exception_exists(
        project=project, trajectory_id=trajectory_id, kind=kind
    ):
        return None
    return refusal


class FundingCounts(NamedTuple):
    """How many of a project's trajectories or group placements the rule lets it fund, how
    many an exception covers and how many it refuses."""

    funded: int
    excepted: int
    refused: int

    @property
    def total(self) -> int:
        return self.funded + self.excepted + self.refused


def _count(refusals: list[tuple[str | None, bool]]) -> FundingCounts:
    return FundingCounts(
        funded=sum(1 for refusal, _covered in refusals if refusal is None),
        excepted=sum(1 for refusal, covered in refusals if refusal is not None and covered),
        refused=sum(1 for refusal, covered in refusals if refusal is not None and not covered),
    )


def project_funding_counts(project: Project) -> dict[str, FundingCounts]:
    """The project's trajectories (judged on their start day) and the placements in its
    group-work programmes (on the placement day, or the group's start when later), each as
    funded, covered by an exception or refused. Counts only: no person leaves this function.
    """
    from tandem.groupwork.models import Enrolment, EnrolmentStatus
    from tandem.trajectories.models import Trajectory

    period, call = funding_terms(project)
    covered = set(
        FundingException.objects.filter(project=project).values_list("trajectory_id", "kind")
    )

    def judge(kind: str, day: dt.date, participant_type: str | None = None) -> str | None:
        return rules.funding_refusal(
            kind=kind, day=day, project=period, call=call, participant_type=participant_type
        )

    trajectories = [
        (judge(kind, start), (pk, kind) in covered)
        for pk, kind, start in Trajectory.objects.filter(project=project).values_list(
            "pk", "type", "start_date"
        )
    ]
    placements = [
        (
            judge(Funded.GROUP_WORK, max(placed_on, starts_on or placed_on), participant_type=kind),
            (trajectory_id, Funded.GROUP_WORK) in covered,
        )
        for trajectory_id, kind, placed_on, starts_on in Enrolment.objects.filter(
            module__programme__project=project,
            placed_on__isnull=False,
            status__in=[EnrolmentStatus.PLACED, EnrolmentStatus.COMPLETED, EnrolmentStatus.LEFT],
        ).values_list("trajectory_id", "trajectory__type", "placed_on", "intake__starts_on")
        if placed_on is not None  # filtered above; for the type checker
    ]
    return {"trajectories": _count(trajectories), "placements": _count(placements)}


def project_funding_exceptions(project: Project) -> QuerySet[FundingException]:
    """The exceptions recorded under the project, with the trajectory's person (for the access
    log) and who recorded them. For programme managers only (the page checks)."""
    return FundingException.objects.filter(project=project).select_related(
        "trajectory__person", "recorded_by"
    )


def trajectory_by_reference(public_id: uuid.UUID | str) -> Any:
    """The trajectory with this reference (its public id), for a programme manager recording
    an exception; ``None`` when there is none. The page shows nothing of the person."""
    from tandem.trajectories.models import Trajectory

    return Trajectory.objects.filter(public_id=public_id).select_related("person").first()


def trajectory_funding_exceptions(trajectory_id: int) -> QuerySet[FundingException]:
    """The exceptions recorded for one trajectory (its page shows them to those who see it)."""
    return FundingException.objects.filter(trajectory_id=trajectory_id).select_related(
        "project", "recorded_by"
    )
