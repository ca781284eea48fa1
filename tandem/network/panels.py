"""What this app adds to the person page (``tandem.common.panels``): the person's consents
the user may read, for the "Shared with" card."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.common.panels import register_panel
from tandem.registry.models import Person

from .consent.selectors import consents_visible_to


@register_panel("person", order=30)
def person_consents(user: User, person: Person) -> dict[str, Any]:
    return {"consents": list(consents_visible_to(user, person))}
