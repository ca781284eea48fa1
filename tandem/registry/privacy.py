"""The registry's part of the subject-access export and of retention and erasure
(``tandem.privacy``): the person, their household and income, the organisations that work with
them; erasing the household and replacing the identity by a pseudonym.

What outcome statistics need stays after erasure: the person's birth year, gender, province,
education, nationality group, registration and benefit.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.audit.pseudonyms import person_pseudonym
from tandem.common.privacy_hooks import (
    CHUNK,
    ERASED,
    RetentionStep,
    StepResult,
    delete_rows,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.screening import indicators

from .models import (
    Household,
    HouseholdMember,
    IncomeComponent,
    Intake,
    IntakeStatusChange,
    Person,
    PersonAssignment,
)

# --- the export ------------------------------------------------------------------------------

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "insz",
    "birth_date",
    "gender",
    "languages",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "province",
    "phone",
    "email",
    "education",
    "registration",
    "benefit",
    "nationality_group",
    "foreign_background",
    "disability",
    "organisation",
    "created_at",
]


@register_export_section(
    "person", _("Person"), labels={"organisation": _("registering organisation")}, order=100
)
def _person(person: Person) -> dict[str, Any]:
    data = record(person, PERSON_FIELDS)
    data["languages"] = person.language_labels()
    data["public_id"] = person.public_id
    return data


@register_export_section(
    "household",
    _("Household"),
    labels={
        "members": _("Household members"),
        "item": _("item"),
        "answer": _("cannot afford it (deprivation) or weak on it (Kind & Gezin)"),
    },
    order=110,
)
def _household(person: Person) -> dict[str, Any] | None:
    if person.household_id is None:
        return None
    household = Household.objects.get(pk=person.household_id)
    members = HouseholdMember.objects.filter(household=household).order_by("birth_date", "pk")
    items = {
        **indicators.HOUSEHOLD_ITEMS,
        **indicators.PERSONAL_ITEMS,
        **indicators.EU2020_ONLY_ITEMS,
    }
    return {
        "members": [
            record(m, ["relation", "first_name", "birth_date", "activity", "months_worked"])
            for m in members
        ],
        # True: cannot afford it (deprivation) or weak on it (Kind & Gezin).
        "deprivation": [
            {"item": code, "item_label": str(items.get(code, code)), "answer": value}
            for code, value in household.deprivation.items()
        ],
        "kind_en_gezin": [
            {
                "item": code,
                "item_label": str(indicators.KIND_EN_GEZIN_CRITERIA.get(code, code)),
                "answer": value,
            }
            for code, value in household.kind_en_gezin.items()
        ],
    }


@register_export_section("income", _("Income"), order=120)
def _income(person: Person) -> list[dict[str, Any]]:
    if person.household_id is None:
        return []
    rows = IncomeComponent.objects.filter(household_id=person.household_id).select_related("member")
    return [
        {
            **record(c, ["kind", "monthly_amount"]),
            "member": c.member.first_name if c.member else None,
        }
        for c in rows.order_by("pk")
    ]


@register_export_section("assignments", _("Organisations that work with the person"), order=400)
def _assignments(person: Person) -> list[dict[str, Any]]:
    rows = (
        PersonAssignment.objects.filter(person=person)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    return [record(a, ["organisation", "reason", "created_at"]) for a in rows]


@register_export_section("intakes", _("Referrals to an office's intake queue"), order=410)
def _intakes(person: Person) -> list[dict[str, Any]]:
    """What was sent to an office's intake queue and what the office did (its last decision
    is on the item: status, reason, when)."""
    rows = (
        Intake.objects.filter(person=person)
        .select_related("office", "sender_organisation")
        .order_by("created_at", "pk")
    )
    return [
        record(
            i,
            [
                "office",
                "source",
                "sender_organisation",
                "note",
                "urgency",
                "status",
                "reason",
                "created_at",
                "decided_at",
            ],
        )
        for i in rows
    ]


# --- retention and erasure -------------------------------------------------------------------


def _household_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    """The person's household: its members (third parties) and income.

    A household that another person still uses is left to them; the person is only taken out
    of it. Where the person is a member of someone else's household, that household keeps
    the member (it is the other person's data) without the link to this file.
    """
    result = StepResult()
    ids = set(person_ids)
    households = Person.objects.filter(pk__in=person_ids, household__isnull=False).values(
        "household_id"
    )
    users: dict[int, set[int]] = defaultdict(set)
    for household_id, pk in Person.objects.filter(household_id__in=households).values_list(
        "household_id", "pk"
    ):
        users[household_id].add(pk)
    deletable = [h for h, pks in users.items() if pks <= ids]
    members = HouseholdMember.objects.filter(household_id__in=deletable)
    incomes = IncomeComponent.objects.filter(household_id__in=deletable)
    counts = {
        "income_components": incomes.count(),
        "household_members": members.count(),
        "households": len(deletable),
    }
    result.counts.update(counts)
    result.persons.update(pk for h in deletable for pk in users[h])
    detached = Person.objects.filter(pk__in=person_ids, household__isnull=False)
    foreign = HouseholdMember.objects.filter(person_id__in=person_ids).exclude(
        household_id__in=deletable
    )
    result.persons.update(detached.values_list("pk", flat=True))
    if write:
        foreign.update(person=None)
        detached.update(household=None)
        incomes.delete()
        members.delete()
        Household.objects.filter(pk__in=deletable).delete()
    return result


IDENTITY_FIELDS = [
    "first_name",
    "last_name",
    "search_key",
    "insz",
    "birth_date",
    "languages",
    "disability",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "phone",
    "email",
    "public_id",
    "updated_at",
]


def _identity(person_ids: Sequence[int], write: bool) -> StepResult:
    """Replace the identifying fields by a pseudonym; keep what statistics need.

    Kept: birth year (the birth date becomes 1 January of that year), gender, province,
    education, nationality group, foreign background, registration, benefit, the registering
    organisation and date. A recorded disability is special-category data and goes.
    A new public id makes old links (bookmarks, server logs) lead nowhere. An erased
    person has an empty first name, which no form or service accepts, so it marks them.
    """
    result = StepResult()
    persons = Person.objects.filter(pk__in=person_ids).exclude(first_name="")
    people = list(persons) if write else []
    n = len(people) if write else persons.count()
    result.counts["persons"] = n
    if not n:
        return result
    if not write:
        result.persons.update(persons.values_list("pk", flat=True))
        return result
    now = timezone.now()
    for person in people:
        person.first_name = ""
        person.last_name = person_pseudonym(person.pk)
        person.search_key = ""
        person.insz = None
        person.birth_date = person.birth_date.replace(month=1, day=1)
        person.languages = []
        person.disability = "not_asked"
        person.street = person.house_number = person.postal_code = ""
        person.municipality = person.phone = person.email = ""
        person.public_id = uuid.uuid4()
        person.updated_at = now
        result.persons.add(person.pk)
    # The values are fixed here, not entered by anyone; the database constraints still apply.
    Person.objects.bulk_update(people, IDENTITY_FIELDS, batch_size=CHUNK)
    PersonAssignment.objects.filter(person_id__in=person_ids).update(reason=ERASED)
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "income_components": _("Income components"),
            "household_members": _("Household members"),
            "households": _("Households"),
        },
        run=_household_erase,
        order=300,
    )
)


def _intake_erase(person_ids: Sequence[int], write: bool) -> StepResult:
    """The person's intake items (the sender's note, the office's reasons) and their history."""
    result = StepResult()
    delete_rows(
        "intake_changes",
        IntakeStatusChange.objects.filter(intake__person_id__in=person_ids),
        "intake__person_id",
        write,
        result,
    )
    delete_rows(
        "intakes", Intake.objects.filter(person_id__in=person_ids), "person_id", write, result
    )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "intake_changes": _("Intake status changes"),
            "intakes": _("Intake queue items"),
        },
        run=_intake_erase,
        order=390,
    )
)
register_retention_step(
    RetentionStep(
        period="case_content",
        labels={"persons": _("Persons: identity replaced by a pseudonym")},
        run=_identity,
        order=400,
    )
)
