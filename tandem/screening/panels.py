"""What this app adds to the person page (``tandem.common.panels``): the person's screenings,
whether the user may screen, and the household's poverty indicators when the user sees the
household."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.access.scope import consent_restricted_domains, household_shown
from tandem.accounts.models import User
from tandem.common.panels import register_panel
from tandem.registry.models import Person

from .household import household_report
from .selectors import screenings_of_person

PERSON_SCREENINGS_LIMIT = 20


@register_panel("person", order=10)
def person_screenings(user: User, person: Person) -> dict[str, Any]:
    household = household_shown(person, consent_restricted_domains(user, person))
    return {
        "screenings": list(screenings_of_person(user, person.pk)[:PERSON_SCREENINGS_LIMIT]),
        "can_screen": has_capability(user, "screening.conduct"),
        "report": household_report(household, day=timezone.localdate()) if household else None,
    }
