"""Group work is case content: retention and erasure delete it with the rest of the file
(``tandem.audit.retention``). What a coach saw and wrote in the group (attendance, observations,
POP input, the network map with the names of the people around the person) and the enrolments
themselves, with their history.

Children go before their parents, so every count is exact. Trajectories are never deleted (they
are kept for outcome statistics, ``_trajectory_content``), so the enrolments' PROTECT to the
trajectory never blocks; the POPs that POP input was taken into are deleted by the trajectory
step before this one runs (``adopted_into`` is SET_NULL).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from tandem.audit.retention import RetentionStep, StepResult, _delete, register_retention_step

from .models import (
    Attendance,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    NetworkMap,
    NetworkTie,
    PopInput,
)

PERSON = "enrolment__trajectory__person_id"


def _group_work(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    enrolments = Enrolment.objects.filter(trajectory__person_id__in=person_ids)
    _delete(
        "group_network_ties",
        NetworkTie.objects.filter(network_map__enrolment__in=enrolments),
        f"network_map__{PERSON}",
        write,
        result,
    )
    for key, model in [
        ("group_network_maps", NetworkMap),
        ("group_pop_inputs", PopInput),
        ("group_observations", CoachNote),
        ("group_attendance", Attendance),
        ("group_enrolment_changes", EnrolmentChange),
    ]:
        rows = model._default_manager.filter(enrolment__in=enrolments)
        _delete(key, rows, PERSON, write, result)
    _delete("group_enrolments", enrolments, "trajectory__person_id", write, result)
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "group_network_ties": _("Group work: network-map ties"),
            "group_network_maps": _("Group work: network maps"),
            "group_pop_inputs": _("Group work: POP input"),
            "group_observations": _("Group work: coach's observations"),
            "group_attendance": _("Group work: attendance"),
            "group_enrolment_changes": _("Group work: enrolment history"),
            "group_enrolments": _("Group work: enrolments"),
        },
        run=_group_work,
    )
)
