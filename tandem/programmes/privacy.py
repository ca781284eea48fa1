"""The programmes part of the subject-access export and of retention and erasure
(``tandem.privacy`` imports this module at start-up): the funding exceptions a programme
manager recorded for the person's trajectories (issue 17).

An exception points at a trajectory and carries a reason written about that person's case, so
it is the person's data: exported with the file, and erased with the trajectory's content, as
case content. The audit event of the exception stays (it holds no reason, only that one was
given). The step runs before the trajectories' (order 100), whose rows the exceptions point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import (
    RetentionStep,
    StepResult,
    delete_rows,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .models import FundingException

LABELS = {
    "trajectory": _("trajectory"),
    "kind": _("covers"),
    "reason": _("why the exception is justified"),
}


@register_export_section("funding_exceptions", _("Funding exceptions"), labels=LABELS, order=390)
def funding_exceptions(person: Person) -> list[dict[str, Any]]:
    """Each exception: the trajectory, the project, what it covers, why and when (the
    programme manager is not named, as in the access history)."""
    rows = (
        FundingException.objects.filter(trajectory__person=person)
        .select_related("project", "trajectory")
        .order_by("created_at", "pk")
    )
    return [
        {"trajectory": str(e.trajectory.public_id)}
        | record(e, ["project", "kind", "reason", "created_at"])
        for e in rows
    ]


def _funding_exceptions_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    delete_rows(
        "funding_exceptions",
        FundingException.objects.filter(trajectory__person_id__in=person_ids),
        "trajectory__person_id",
        write,
        result,
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={"funding_exceptions": _("Funding exceptions")},
        run=_funding_exceptions_erase,
        order=90,
    )
)
