"""One person as the API reads it: through the access layer as the client's service user, with
nothing the limited fields do not need (no household, no income: the file page's loads)."""

from __future__ import annotations

import uuid

from django.http import Http404

from tandem.access.scope import person_queryset_for
from tandem.accounts.models import User
from tandem.registry.models import Person


def person_for(user: User, public_id: uuid.UUID | str) -> Person:
    """The person if the user may see them; 404 otherwise (missing or not visible: the same)."""
    try:
        return person_queryset_for(user).get(public_id=uuid.UUID(str(public_id)))
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
