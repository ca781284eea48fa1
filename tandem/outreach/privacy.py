"""The outreach part of the subject-access export and of retention and erasure
(``tandem.privacy``, which imports this module at start-up): the prospect the person was before
they were registered, and its contact moments.

A prospect is case content: what an outreach worker wrote about someone they met (a nickname,
an approximate age, languages, a need, short notes on each meeting). Once the prospect is
registered it points at the person, so retention and erasure delete the prospect and its
moments with the rest of the file. The outreach funnel recomputed later over such old periods
no longer counts the erased persons (published figures are aggregates and stay), as group work
and the imported trajectories do.

A prospect that was never registered has no person: it is pseudonymous by design and not
reached through a person's file.

Nothing points at a prospect or a moment, so the order of the step does not matter; it runs
last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import (
    RetentionStep,
    StepResult,
    delete_rows,
    plain,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .models import ContactMoment, Prospect

LABELS = {
    "nickname": _("nickname"),
    "approximate_age": _("approximate age"),
    "need": _("need"),
    "outreach_team": _("outreach team"),
    "converted_on": _("registered on"),
    "moments": _("contact moments"),
    "place": _("find place"),
}


@register_export_section("outreach", _("Outreach"), labels=LABELS, order=900)
def outreach(person: Person) -> list[dict[str, Any]]:
    """The prospect the person was, with every contact moment (where and when, the note).
    The outreach workers are not named, as in the access history."""
    prospects = (
        Prospect.objects.filter(person=person)
        .select_related("organisation", "project")
        .prefetch_related("moments__place")
        .order_by("created_at", "pk")
    )
    return [
        {
            "public_id": prospect.public_id,
            "outreach_team": str(prospect.organisation),
            "nickname": prospect.nickname,
            "approximate_age": prospect.approximate_age,
            "languages": prospect.language_labels,
            "need": prospect.need,
            "project": str(prospect.project) if prospect.project else None,
            "created_at": plain(prospect.created_at),
            "converted_on": prospect.converted_on,
            "moments": [
                {"on": moment.on, "place": str(moment.place), "note": moment.note}
                for moment in prospect.moments.all()
            ],
        }
        for prospect in prospects
    ]


# --- retention and erasure -------------------------------------------------------------------


def _outreach_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    """The moments first (counted on their own), then the prospects."""
    result = StepResult()
    delete_rows(
        "contact_moments",
        ContactMoment.objects.filter(prospect__person_id__in=person_ids),
        "prospect__person_id",
        write,
        result,
    )
    delete_rows(
        "prospects",
        Prospect.objects.filter(person_id__in=person_ids),
        "person_id",
        write,
        result,
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "contact_moments": _("Outreach contact moments"),
            "prospects": _("Outreach prospects"),
        },
        run=_outreach_erase,
        order=900,
    )
)
