"""The group-work part of the subject-access export and of retention and erasure
(``tandem.privacy``, which imports this module at start-up).

The export holds every enrolment of the person's trajectories in a module, with its history,
the attendance per session, the coach's observations, POP input and the network maps with
their ties, and the self-assessments of self-image and draagkracht.

Group work is case content: retention and erasure delete it with the rest of the file. What a
coach saw and wrote in the group (attendance, observations, POP input, the network map with the
names of the people around the person, the self-assessment) and the enrolments themselves, with
their history.
Children go before their parents, so every count is exact. Trajectories are never deleted (they
are kept for outcome statistics, the trajectories' step), so the enrolments' PROTECT to the
trajectory never blocks; the POPs that POP input was taken into are deleted by the trajectory
step before this one runs (``adopted_into`` is SET_NULL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
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

from .models import (
    STATEMENTS,
    Attendance,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    NetworkMap,
    NetworkTie,
    PopInput,
    SelfAssessment,
)
from .selfassessment.rules import ITEMS

FIELDS = [
    "module",
    "status",
    "requested_on",
    "requested_by",
    "request_note",
    "decided_on",
    "decided_by",
    "waiting_since",
    "placed_on",
    "leave_reason",
    "leave_note",
    "dropout_flagged_on",
    "dropout_acknowledged_on",
]
# Labels for the PDF. A key another section labels already (status, on, note, author, kind,
# relation, perspective, …) keeps that label: the export's labels are shared by all sections.
LABELS = {
    **{
        f.name: f.verbose_name
        for f in Enrolment._meta.fields
        if f.name in FIELDS and f.name not in ("status", "requested_by", "decided_by")
    },
    # Keys other sections share, labelled with the same meaning (they had no Dutch label).
    "trajectory": _("trajectory"),
    "by": _("by"),
    "requested_by": _("requested by"),
    "decided_by": _("decided by"),
    "public_id": _("reference"),
    "programme": _("programme"),
    "group_starts_on": _("group starts on"),
    "end_date": _("end date"),
    "history": _("history"),
    "attendance": _("attendance"),
    "session": _("session"),
    "observations": _("observations"),
    "written_on": _("date"),
    "pop_inputs": _("POP inputs"),
    "strengths": PopInput._meta.get_field("strengths").verbose_name,
    "adopted_into": PopInput._meta.get_field("adopted_into").verbose_name,
    "network_maps": _("network maps"),
    "moment": NetworkMap._meta.get_field("moment").verbose_name,
    "drawn_on": NetworkMap._meta.get_field("drawn_on").verbose_name,
    "drawn_by": _("drawn by"),
    "ties": _("ties"),
    "label": NetworkTie._meta.get_field("label").verbose_name,
    "strength": NetworkTie._meta.get_field("strength").verbose_name,
    "strained": NetworkTie._meta.get_field("strained").verbose_name,
    "self_assessments": _("self-assessments"),
    "assessed_on": SelfAssessment._meta.get_field("assessed_on").verbose_name,
    "assessed_by": _("filled in by"),
    **STATEMENTS,
}


@register_export_section("group_work", _("Group work"), labels=LABELS, order=700)
def group_work(person: Person) -> list[dict[str, Any]]:
    """Every enrolment in group work, in the order they were asked for."""
    enrolments = (
        Enrolment.objects.filter(trajectory__person=person)
        .select_related(
            "trajectory",
            "module__programme",
            "intake",
            "requested_by",
            "decided_by",
        )
        .prefetch_related(
            Prefetch("changes", EnrolmentChange.objects.select_related("by")),
            Prefetch(
                "attendance",
                Attendance.objects.select_related("session").order_by("session__on", "pk"),
            ),
            Prefetch("notes", CoachNote.objects.select_related("author").order_by("written_on")),
            Prefetch(
                "pop_inputs",
                PopInput.objects.select_related("author", "adopted_into").order_by("written_on"),
            ),
            Prefetch(
                "network_maps",
                NetworkMap.objects.select_related("drawn_by")
                .prefetch_related("ties")
                .order_by("drawn_on", "pk"),
            ),
            Prefetch(
                "self_assessments",
                SelfAssessment.objects.select_related("assessed_by").order_by("assessed_on", "pk"),
            ),
        )
        .order_by("requested_on", "pk")
    )
    out = []
    for enrolment in enrolments:
        data: dict[str, Any] = {
            "public_id": enrolment.public_id,
            "trajectory": enrolment.trajectory.public_id,
            "programme": str(enrolment.module.programme),
            **record(enrolment, FIELDS),
            "group_starts_on": enrolment.intake.starts_on if enrolment.intake else None,
            "end_date": enrolment.ended_on,
        }
        data["history"] = [
            record(c, ["on", "from_status", "to_status", "by", "note"])
            for c in enrolment.changes.all()
        ]
        data["attendance"] = [
            {
                "session": a.session.number,
                "on": a.session.on,
                **record(a, ["status"]),
            }
            for a in enrolment.attendance.all()
        ]
        data["observations"] = [
            record(n, ["written_on", "author", "text"]) for n in enrolment.notes.all()
        ]
        data["pop_inputs"] = [
            record(
                p,
                [
                    "written_on",
                    "author",
                    "job_target",
                    "perspective",
                    "work_plan",
                    "welfare_plan",
                    "strengths",
                    "adopted_into",
                ],
            )
            for p in enrolment.pop_inputs.all()
        ]
        data["network_maps"] = [
            {
                **record(m, ["moment", "drawn_on", "drawn_by"]),
                "ties": [
                    record(t, ["label", "kind", "relation", "strength", "strained"])
                    for t in m.ties.all()
                ],
            }
            for m in enrolment.network_maps.all()
        ]
        data["self_assessments"] = [
            record(a, ["moment", "assessed_on", "assessed_by", *ITEMS])
            for a in enrolment.self_assessments.all()
        ]
        out.append(data)
    return out


# --- retention and erasure -------------------------------------------------------------------

PERSON = "enrolment__trajectory__person_id"


def _group_work_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    enrolments = Enrolment.objects.filter(trajectory__person_id__in=person_ids)
    delete_rows(
        "group_network_ties",
        NetworkTie.objects.filter(network_map__enrolment__in=enrolments),
        f"network_map__{PERSON}",
        write,
        result,
    )
    for key, model in [
        ("group_network_maps", NetworkMap),
        ("group_self_assessments", SelfAssessment),
        ("group_pop_inputs", PopInput),
        ("group_observations", CoachNote),
        ("group_attendance", Attendance),
        ("group_enrolment_changes", EnrolmentChange),
    ]:
        rows = model._default_manager.filter(enrolment__in=enrolments)
        delete_rows(key, rows, PERSON, write, result)
    delete_rows("group_enrolments", enrolments, "trajectory__person_id", write, result)
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "group_network_ties": _("Group work: network-map ties"),
            "group_network_maps": _("Group work: network maps"),
            "group_self_assessments": _("Group work: self-assessments"),
            "group_pop_inputs": _("Group work: POP input"),
            "group_observations": _("Group work: coach's observations"),
            "group_attendance": _("Group work: attendance"),
            "group_enrolment_changes": _("Group work: enrolment history"),
            "group_enrolments": _("Group work: enrolments"),
        },
        run=_group_work_erase,
        order=700,
    )
)
