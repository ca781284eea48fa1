"""Reads of persons and households. ``person_queryset_for`` (``tandem.access``) is the only road
to persons; it and the other rules are re-exported here so existing imports keep working."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from tandem.access.scope import (  # noqa: F401 (re-exported: the rules live in access)
    consent_restricted_domains,
    person_get_for,
    person_queryset_for,
    sees_special_categories,
)
from tandem.accounts.models import User

from . import insz as insz_rules
from .models import Household, Person
from .services import fold


@dataclass(frozen=True)
class PersonSearch:
    text: str = ""
    insz: str = ""
    municipality: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.insz.strip() or self.municipality.strip())


def person_search(user: User, search: PersonSearch) -> QuerySet[Person]:
    """Search the visible persons by name words, national number and municipality."""
    qs = person_queryset_for(user).select_related("organisation")
    if search.is_empty:
        return qs.none()
    for word in fold(search.text).split():
        qs = qs.filter(search_key__contains=word)
    if search.insz.strip():
        qs = qs.filter(insz=insz_rules.normalise(search.insz))
    if search.municipality.strip():
        qs = qs.filter(municipality__iexact=search.municipality.strip())
    return qs.order_by("last_name", "first_name", "birth_date", "pk")


def household_get_for(user: User, person: Person) -> Household:
    """Return the household of a person the user can already see."""
    if person.household_id is None:
        raise Http404
    return (
        Household.objects.filter(pk=person.household_id)
        .prefetch_related("members", "income_components")
        .get()
    )
