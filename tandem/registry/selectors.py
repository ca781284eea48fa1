"""Reads of persons and households. ``person_queryset_for`` is the only road to persons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.accounts.roles import PERSON_READ_ROLES

from . import insz as insz_rules
from .models import Household, HouseholdMember, Person, PersonAssignment
from .services import fold


def person_queryset_for(user: User) -> QuerySet[Person]:
    """Return the persons this user may see.

    For now an organisation sees the persons it registered and those assigned to it. Roles
    that never see individual files (programme manager, administrator) see none.
    """
    if not user.is_authenticated or user.organisation_id is None:
        return Person.objects.none()
    if not user.role_codes & PERSON_READ_ROLES:
        return Person.objects.none()
    assigned = PersonAssignment.objects.filter(
        person=OuterRef("pk"), organisation_id=user.organisation_id
    )
    return Person.objects.filter(Q(organisation_id=user.organisation_id) | Exists(assigned))


def person_get_for(user: User, public_id: uuid.UUID | str) -> Person:
    """Return one visible person with what the file page shows, or 404 (missing or forbidden)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = person_queryset_for(user).select_related("organisation", "created_by", "household")
    qs = qs.prefetch_related(
        Prefetch(
            "household__members",
            queryset=HouseholdMember.objects.select_related("person").order_by("birth_date", "pk"),
        ),
        Prefetch("household__income_components"),
    )
    try:
        return qs.get(public_id=key)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


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
