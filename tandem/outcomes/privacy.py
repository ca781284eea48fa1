"""The outcomes part of the subject-access export and of retention and erasure
(``tandem.privacy``, which imports this module at start-up): the person's labour-market status
events and the trajectories imported from a legacy system.

Status events and imported trajectories are case content: retention and erasure delete
them with the rest of the file, as group work does.

They are kept only for outcome measurement. A person becomes due for periodic retention five
years (by default) after Tandem last worked with them, long after the last measurement day of
a Tandem trajectory (24 months after its end). Published figures are aggregates and stay; a
dashboard recomputed later over such old cohorts no longer counts the erased persons' imported
trajectories and shows their outcomes as unknown. Tandem's own trajectories are kept (without
notes) because the live reports and the ESF+ indicators of running projects count them;
imported ones serve no such purpose. A retention step cannot tell periodic retention from
erasure on request, so the same rule holds for both.

``persons_due`` counts from the end of the last trajectory, imported or not: a person whose
imported trajectory ended recently is not due before the period has passed since that end.

Neither model is pointed at by anything else, so the order of the steps does not matter.
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

from .models import ImportedTrajectory, StatusEvent
from .services import refresh_outcomes

# The export's labels are shared by all sections: keys another section labels with another
# meaning (``organisation`` is the referring organisation there) get a key of their own.
LABELS = {
    "date": _("date"),
    "source": _("source"),
    "office": _("office"),
    "group_work": _("group work"),
    "imported_at": _("imported at"),
}


@register_export_section("status_events", _("Labour-market statuses"), labels=LABELS, order=800)
def status_events(person: Person) -> list[dict[str, Any]]:
    """Every status event, oldest first."""
    rows = StatusEvent.objects.filter(person=person).order_by("date", "pk")
    return [record(row, ["date", "status", "source"]) for row in rows]


@register_export_section(
    "imported_trajectories", _("Imported trajectories"), labels=LABELS, order=810
)
def imported_trajectories(person: Person) -> list[dict[str, Any]]:
    """Every trajectory imported from a legacy system, in the order they started."""
    rows = (
        ImportedTrajectory.objects.filter(person=person)
        .select_related("organisation", "project")
        .order_by("start_date", "pk")
    )
    out = []
    for row in rows:
        data = record(
            row,
            ["type", "province", "start_date", "end_date", "closure_reason", "group_work"],
        )
        data["office"] = str(row.organisation) if row.organisation else None
        data["project"] = str(row.project) if row.project else None
        data["imported_at"] = record(row, ["imported_at"])["imported_at"]
        out.append(data)
    return out


# --- retention and erasure -------------------------------------------------------------------


def _outcomes_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    delete_rows(
        "status_events",
        StatusEvent.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    delete_rows(
        "imported_trajectories",
        ImportedTrajectory.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    if write:  # the kept trajectories' outcomes become unknown; the imported rows are gone
        refresh_outcomes(person_ids)
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "status_events": _("Labour-market status events"),
            "imported_trajectories": _("Imported trajectories"),
        },
        run=_outcomes_erase,
        order=800,
    )
)
