"""Reads for screening and its dated parameters. Screenings are reached through the person,
so they inherit the person's scoping."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tandem.access.scope import duo_q
from tandem.accounts.models import User
from tandem.registry.selectors import person_queryset_for

from .exceptions import ChecklistNotPublished
from .models import ChecklistVersion, PovertyThreshold, Screening, ScreeningAnswer, Signal


def poverty_threshold_for_survey_year(year: int) -> PovertyThreshold | None:
    return PovertyThreshold.objects.filter(survey_year=year).first()


def poverty_threshold_survey_years() -> list[int]:
    return list(
        PovertyThreshold.objects.order_by("survey_year").values_list("survey_year", flat=True)
    )


def poverty_threshold_on(day: dt.date) -> PovertyThreshold | None:
    """Return the threshold in force on a day: the latest one valid from on or before it."""
    return PovertyThreshold.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def current_checklist() -> ChecklistVersion:
    checklist = (
        ChecklistVersion.objects.filter(published_at__isnull=False)
        .order_by("-version")
        .prefetch_related(Prefetch("signals", queryset=Signal.objects.order_by("order", "pk")))
        .first()
    )
    if checklist is None:
        raise ChecklistNotPublished
    return checklist


def screening_queryset_for(user: User) -> QuerySet[Screening]:
    return Screening.objects.filter(person__in=person_queryset_for(user))


def screenings_of_person(user: User, person_id: int) -> QuerySet[Screening]:
    return (
        screening_queryset_for(user)
        .filter(person_id=person_id)
        .select_related("conducted_by", "organisation", "referred_to")
        .order_by("-conducted_on", "-created_at")
    )


def screening_get_for(user: User, public_id: uuid.UUID | str) -> Screening:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = (
        screening_queryset_for(user)
        .select_related(
            "person",
            "checklist",
            "conducted_by",
            "organisation",
            "referred_to",
            "referred_by",
            "route_chosen_by",
        )
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.select_related("signal").order_by(
                    "signal__order", "signal__pk"
                ),
            ),
        )
    )
    try:
        return qs.get(public_id=key)
    except Screening.DoesNotExist as exc:
        raise Http404 from exc


def previous_screening(screening: Screening) -> Screening | None:
    return (
        Screening.objects.filter(person_id=screening.person_id)
        .filter(created_at__lt=screening.created_at)
        .order_by("-created_at")
        .first()
    )


def can_see_special_categories(user: User, screening: Screening) -> bool:
    """Health, addiction and justice signals: the person who screened, and the duo of the
    person's trajectories (lead mediator and welfare partner)."""
    from tandem.trajectories.models import Trajectory

    if screening.conducted_by_id == user.pk:
        return True
    return Trajectory.objects.filter(person_id=screening.person_id).filter(duo_q(user)).exists()
