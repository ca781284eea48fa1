"""The screening app's part of the subject-access export and of retention and erasure
(``tandem.privacy``): every screening of the person with its answers; erased after their own
retention period (``screenings``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from tandem.common.models import LifeDomain
from tandem.common.privacy_hooks import (
    ERASED,
    RetentionStep,
    StepResult,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person
from tandem.trajectories.models import Trajectory

from .models import Screening, ScreeningAnswer


def _domain_label(code: str) -> str:
    return str(dict(LifeDomain.choices).get(code, code))


@register_export_section(
    "screenings",
    _("Screenings"),
    labels={"answers": _("Answers"), "question": _("question"), "domain": _("life domain")},
    order=200,
)
def _screenings(person: Person) -> list[dict[str, Any]]:
    screenings = (
        Screening.objects.filter(person=person)
        .select_related(
            "organisation", "conducted_by", "checklist", "referred_to", "route_chosen_by"
        )
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.select_related("signal").order_by(
                    "signal__order", "signal__pk"
                ),
            )
        )
        .order_by("conducted_on", "created_at")
    )
    out = []
    for s in screenings:
        data = record(
            s,
            [
                "conducted_on",
                "organisation",
                "conducted_by",
                "checklist",
                "motivation",
                "outflow_within_two_years",
                "notes",
                "advice",
                "advice_reasons",
                "route_suggested",
                "route_reasons",
                "route_chosen",
                "route_choice_reason",
                "non_active",
                "referred_to",
                "referred_at",
                "referral_note",
            ],
        )
        data["lights"] = {
            _domain_label(domain): value.get("light") for domain, value in s.lights.items()
        }
        data["answers"] = [
            {
                "domain": _domain_label(a.signal.domain),
                "question": a.signal.question,
                "present": a.present,
            }
            for a in s.answers.all()
        ]
        out.append(data)
    return out


def _screenings_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    result = StepResult()
    screenings = Screening.objects.filter(person_id__in=person_ids)
    answers = ScreeningAnswer.objects.filter(screening__in=screenings)
    result.counts["screening_answers"] = answers.count()
    n = screenings.count()
    result.counts["screenings"] = n
    if n:
        result.persons.update(screenings.order_by().values_list("person_id", flat=True).distinct())
    if n and write:
        # Trajectory.screening is PROTECT: the trajectory keeps a note that it had one.
        Trajectory.objects.filter(screening__in=screenings).update(
            screening=None, start_reason=ERASED
        )
        answers.delete()
        screenings.delete()
    return result


register_retention_step(
    RetentionStep(
        period="screenings",
        labels={"screening_answers": _("Screening answers"), "screenings": _("Screenings")},
        run=_screenings_erase,
        order=200,
    )
)
