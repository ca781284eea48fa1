"""Status events and imported trajectories are case content: retention and erasure delete
them with the rest of the file (``tandem.audit.retention``), as group work does.

They are kept only for outcome measurement. A person becomes due for periodic retention five
years (by default) after Tandem last worked with them, long after the last measurement day of
a Tandem trajectory (24 months after its end). Published figures are aggregates and stay; a
dashboard recomputed later over such old cohorts no longer counts the erased persons' imported
trajectories and shows their outcomes as unknown. Tandem's own trajectories are kept (without
notes) because the live reports and the ESF+ indicators of running projects count them;
imported ones serve no such purpose. A retention step cannot tell periodic retention from
erasure on request, so the same rule holds for both.

Note: ``persons_due`` looks at Tandem's trajectories, screenings and registration date, not at
the end dates of imported trajectories; a person registered long ago whose imported trajectory
ended recently can be due before all its measurement days have passed.

Neither model is pointed at by anything else, so the order of the steps does not matter.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from tandem.audit.retention import RetentionStep, StepResult, _delete, register_retention_step

from .models import ImportedTrajectory, StatusEvent


def _outcomes(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    _delete(
        "status_events",
        StatusEvent.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    _delete(
        "imported_trajectories",
        ImportedTrajectory.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "status_events": _("Labour-market status events"),
            "imported_trajectories": _("Imported trajectories"),
        },
        run=_outcomes,
    )
)
