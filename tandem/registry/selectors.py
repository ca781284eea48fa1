"""Reads of persons and households. ``person_queryset_for`` (``tandem.access``) is the only road
to persons; it and the other rules are re-exported here so existing imports keep working."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from tandem.access.scope import (  # noqa: F401 (re-exported: the rules live in access)
    consent_restricted_domains,
    person_get_for,
    person_queryset_for,
    sees_special_categories,
)
from tandem.accounts.models import User

from . import insz as insz_rules
from .models import Household, Person, Registration
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
    words = fold(search.text).split()
    for word in words:
        # LIKE '%word%': on PostgreSQL the trigram index person_search_key_trgm (registry 0011).
        qs = qs.filter(search_key__contains=word)
    if search.insz.strip():
        qs = qs.filter(insz=insz_rules.normalise(search.insz))
    if search.municipality.strip():
        qs = qs.filter(municipality__iexact=search.municipality.strip())
    if words:
        # The same order, by an expression no index gives: the planner would otherwise walk the
        # (last_name, first_name, birth_date) index for a page of 25 and filter every name on
        # the way, and the persons found for "peeters" all sit under P (at 100,000 persons
        # 650 ms instead of 60 ms through the trigram index, issue 20). The expression is
        # annotated so that the keyset pages' cursor carries it and the next page is read
        # with (last_name || '') > …, which no index gives either.
        qs = qs.annotate(search_last_name=Concat("last_name", Value("")))
    return qs.order_by(*person_search_keys(search))


def person_search_keys(search: PersonSearch) -> tuple[str, ...]:
    """The keys the person search's results are read by, a page at a time (keyset pages,
    ``tandem.common.lists.keyset_page_of``): the name order, never NULL, unique with the id;
    with name words, the last name as the expression ``person_search`` annotates."""
    last = "search_last_name" if fold(search.text).split() else "last_name"
    return (last, "first_name", "birth_date", "pk")


def household_get_for(user: User, person: Person) -> Household:
    """Return the household of a person the user can already see."""
    if person.household_id is None:
        raise Http404
    return (
        Household.objects.filter(pk=person.household_id)
        .prefetch_related("members", "income_components")
        .get()
    )


def person_counts_for(user: User, today: dt.date) -> dict[str, int]:
    """The persons this user sees, counted: all of them, those registered since the first of
    ``today``'s month, and those not registered with VDAB (non-active). The home page's
    figures, in one query."""
    visible = person_queryset_for(user)
    month_start = dt.datetime.combine(
        today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    # One pass over the visible persons, the three figures counted with ``FILTER`` (issue 20).
    return visible.order_by().aggregate(
        persons=Count("pk"),
        new_this_month=Count("pk", filter=Q(created_at__gte=month_start)),
        non_active=Count("pk", filter=Q(registration=Registration.NON_ACTIVE)),
    )


def persons_per_province() -> dict[str, int]:
    """Every registered person counted per province code (empty: no province), in code order:
    a figure over the whole programme, which its caller publishes under disclosure control."""
    return {
        row["province"]: row["n"]
        for row in Person.objects.values("province").annotate(n=Count("pk")).order_by("province")
    }
