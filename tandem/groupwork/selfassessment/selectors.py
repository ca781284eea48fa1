"""Reads of the self-assessment. The enrolment is reached through its scope first
(``tandem.groupwork.enrolment.selectors.enrolment_get_for``); these read its assessments."""

from __future__ import annotations

from typing import Any

from ..models import STATEMENTS, Enrolment, MapMoment, SelfAssessment
from .rules import DIMENSIONS, ITEMS, Comparison, compare, items_of


def self_assessments_by_moment(enrolment: Enrolment) -> dict[str, SelfAssessment]:
    """The enrolment's self-assessments by moment (start, end)."""
    return {
        a.moment: a
        for a in SelfAssessment.objects.filter(enrolment=enrolment).select_related("assessed_by")
    }


def levels_of(assessment: SelfAssessment | None) -> dict[str, int] | None:
    if assessment is None:
        return None
    return {name: getattr(assessment, name) for name in ITEMS}


def self_assessment_comparison(assessments: dict[str, SelfAssessment]) -> Comparison:
    """Start and end compared: per dimension and per statement."""
    return compare(levels_of(assessments.get("start")), levels_of(assessments.get("end")))


def self_assessment_panel(enrolment: Enrolment) -> dict[str, Any]:
    """What the network maps' page shows of the self-assessment: each moment with its
    assessment (or ``None``), the comparison, and its rows grouped per dimension."""
    assessments = self_assessments_by_moment(enrolment)
    comparison = self_assessment_comparison(assessments)
    items = {row.key: row for row in comparison.items}
    return {
        "self_assessment": comparison,
        "self_assessment_moments": [
            {"moment": m.value, "label": m.label, "assessment": assessments.get(m.value)}
            for m in MapMoment
        ],
        "self_assessment_groups": [
            {
                "key": row.key,
                "label": DIMENSIONS[row.key],
                "row": row,
                "items": [
                    {
                        "label": STATEMENTS[name],
                        "row": items[name],
                    }
                    for name in items_of(row.key)
                ],
            }
            for row in comparison.dimensions
        ],
    }
