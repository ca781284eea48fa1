"""Writes for persons and households. Every write is atomic and leaves an audit event."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Organisation, User
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record

from . import insz as insz_rules
from .exceptions import DuplicateInsz, PossibleDuplicate, TooManyInszRefusals
from .models import Household, HouseholdMember, IncomeComponent, Person, PersonAssignment, Relation

PERSON_FIELDS = (
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
)
# Identifying values and special-category data (disability, GDPR art. 9) are never copied
# into audit data: the event says *that* they changed.
_NOT_IN_AUDIT = {
    "disability",
    "first_name",
    "last_name",
    "insz",
    "birth_date",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "phone",
    "email",
}


def fold(text: str) -> str:
    """Lower-case and strip accents so 'Özdemir' is found by 'ozdemir'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def person_search_key(first_name: str, last_name: str) -> str:
    return fold(f"{first_name} {last_name}")


def _duplicates_by_name(
    *, first_name: str, last_name: str, birth_date: dt.date, visible: Any, exclude_pk: int | None
) -> list[Person]:
    qs = visible.filter(
        birth_date=birth_date,
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:10])


class InszVia:
    """Which page (or service) tried to register or set a national number, as the audit event
    of a refusal stores it."""

    REGISTRY = "registry"  # /persons/new/
    REGISTRY_EDIT = "registry edit"  # a person's edit page
    OUTREACH = "outreach"  # registering a prospect


# What an attempt to register a national number is for, as its audit events store it (the
# access-log row of a person shown on a refusal carries the same purpose).
INSZ_PURPOSE = "registration"


def _holder_of(insz: str, *, exclude_pk: int | None) -> Person | None:
    qs = Person.objects.filter(insz=insz)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.only("pk", "public_id", "first_name", "last_name").first()


def insz_refusals_in_last_hour(user: User) -> int:
    """How many national numbers ``user`` had refused in the last hour."""
    since = timezone.now() - dt.timedelta(hours=1)
    return AuditEvent.objects.filter(
        actor=user, event_type=Event.PERSON_INSZ_REFUSED, at__gte=since
    ).count()


def insz_registration_check(
    *, acting_user: User, insz: str | None, via: str, exclude_pk: int | None = None
) -> None:
    """May ``acting_user`` register ``insz`` (normalised) for a person? Raises when not.

    No oracle: a user who may not see the person who already has the number learns only that
    it "cannot be registered here" (``DuplicateInsz`` without a person); a user who may see
    them gets the usual message and the person, for a link to the file (the view logs that
    read). Every refusal is an audit event (``person.insz_refused``, linked to the person who
    has the number, so their DPO sees who tried), and a user with
    ``TANDEM_INSZ_REFUSALS_PER_HOUR`` refusals in the last hour gets ``TooManyInszRefusals``
    for any number, before it is looked up (``person.insz_rate_limited``).

    Not atomic on purpose, and called by the services before their transaction starts: the
    audit events of a refusal must stay when the registration they refused is rolled back.
    """
    if not insz:
        return
    limit = settings.TANDEM_INSZ_REFUSALS_PER_HOUR
    if insz_refusals_in_last_hour(acting_user) >= limit:
        audit_event_record(
            actor=acting_user,
            event_type=Event.PERSON_INSZ_RATE_LIMITED,
            data={"via": via, "purpose": INSZ_PURPOSE, "limit": limit},
        )
        raise TooManyInszRefusals(
            _(
                "You entered %(limit)d national numbers that could not be registered in the "
                "last hour, so no more numbers are checked for you now. Try again in an hour, "
                "or ask the service line or your data protection officer (DPO)."
            )
            % {"limit": limit}
        )
    holder = _holder_of(insz, exclude_pk=exclude_pk)
    if holder is None:
        return
    from .selectors import person_queryset_for

    shown = person_queryset_for(acting_user).filter(pk=holder.pk).exists()
    audit_event_record(
        actor=acting_user,
        person=holder,
        event_type=Event.PERSON_INSZ_REFUSED,
        data={"via": via, "purpose": INSZ_PURPOSE, "shown": shown},
    )
    _refuse_insz(holder if shown else None)


def _refuse_insz(shown: Person | None) -> None:
    if shown is None:
        raise DuplicateInsz(
            _(
                "This national number cannot be registered here. Ask the service line or your "
                "data protection officer (DPO)."
            )
        )
    raise DuplicateInsz(
        _(
            "A person with this national number is already registered in Tandem. "
            "Search for the person; if you cannot find them, another organisation "
            "works with them: ask that organisation or your administrator."
        ),
        person=shown,
    )


def _check_insz_free(insz: str | None, *, acting_user: User, exclude_pk: int | None = None) -> None:
    """Inside the transaction: the number is still free (a registration of the same number
    that committed since ``insz_registration_check`` looked). Refuses as that check does,
    without its audit event: a race, not an attempt."""
    if not insz:
        return
    holder = _holder_of(insz, exclude_pk=exclude_pk)
    if holder is None:
        return
    from .selectors import person_queryset_for

    shown = person_queryset_for(acting_user).filter(pk=holder.pk).exists()
    _refuse_insz(holder if shown else None)


def person_create(
    *,
    acting_user: User,
    data: dict[str, Any],
    confirmed_distinct: bool = False,
    via: str = InszVia.REGISTRY,
) -> Person:
    """Register a person with a household of their own.

    Refuses a national number that is already registered (``insz_registration_check``: no
    oracle, audited, rate-limited; ``via`` says which page asked). When a person the user can
    see has the same name and birth date, raises ``PossibleDuplicate`` unless the user
    confirmed it is someone else.
    """
    if acting_user.organisation is None:
        raise PermissionError("A user without an organisation cannot register persons.")
    insz_registration_check(
        acting_user=acting_user,
        insz=insz_rules.normalise(data.get("insz") or "") or None,
        via=via,
    )
    return _person_create(acting_user=acting_user, data=data, confirmed_distinct=confirmed_distinct)


@transaction.atomic
def _person_create(*, acting_user: User, data: dict[str, Any], confirmed_distinct: bool) -> Person:
    from .selectors import person_queryset_for

    organisation = acting_user.organisation
    assert organisation is not None  # person_create checked
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    values["insz"] = insz_rules.normalise(values.get("insz") or "") or None
    _check_insz_free(values["insz"], acting_user=acting_user)
    if not confirmed_distinct:
        candidates = _duplicates_by_name(
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_date=values["birth_date"],
            visible=person_queryset_for(acting_user),
            exclude_pk=None,
        )
        if candidates:
            raise PossibleDuplicate(candidates)

    household = Household(organisation=organisation)
    household.full_clean()
    household.save()
    person = Person(
        organisation=organisation, created_by=acting_user, household=household, **values
    )
    person.search_key = person_search_key(person.first_name, person.last_name)
    person.full_clean()
    person.save()
    HouseholdMember.objects.create(
        household=household,
        person=person,
        relation=Relation.SELF,
        first_name=person.first_name,
        birth_date=person.birth_date,
    )
    audit_event_record(
        actor=acting_user,
        organisation=organisation,
        person=person,
        event_type=Event.PERSON_CREATED,
        data={"confirmed_distinct": confirmed_distinct},
    )
    return person


@transaction.atomic
def persons_bulk_create(persons: Sequence[Person]) -> list[Person]:
    """Write unsaved persons in bulk (an import), each with a household of their own in which
    they are the reference member, as ``person_create`` gives every person: the person file's
    household page edits that household and has nothing to edit without one."""
    persons = list(persons)
    if not persons:
        return []
    households = Household.objects.bulk_create(
        [Household(organisation=p.organisation) for p in persons]
    )
    for person, household in zip(persons, households, strict=True):
        person.household = household
    created = Person.objects.bulk_create(persons)
    HouseholdMember.objects.bulk_create(
        HouseholdMember(
            household=p.household,
            person=p,
            relation=Relation.SELF,
            first_name=p.first_name,
            birth_date=p.birth_date,
        )
        for p in created
    )
    return created


def person_update(*, acting_user: User, person: Person, data: dict[str, Any]) -> Person:
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    if "insz" in values:
        values["insz"] = insz_rules.normalise(values["insz"] or "") or None
        if values["insz"] != person.insz:
            insz_registration_check(
                acting_user=acting_user,
                insz=values["insz"],
                via=InszVia.REGISTRY_EDIT,
                exclude_pk=person.pk,
            )
    changed: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(person, field)
        if old != new:
            changed[field] = (
                {"changed": True} if field in _NOT_IN_AUDIT else {"from": old, "to": new}
            )
            setattr(person, field, new)
    if not changed:
        return person
    person.search_key = person_search_key(person.first_name, person.last_name)
    person.full_clean()
    person.save()
    if {"first_name", "birth_date"} & changed.keys():
        HouseholdMember.objects.filter(person=person, relation=Relation.SELF).update(
            first_name=person.first_name, birth_date=person.birth_date
        )
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.PERSON_UPDATED,
        data={"fields": changed},
    )
    return person


@transaction.atomic
def person_assign(
    *, acting_user: User | None, person: Person, organisation: Organisation, reason: str
) -> PersonAssignment:
    """Record that another organisation works with the person (it will see the file)."""
    assignment, _created = PersonAssignment.objects.get_or_create(
        person=person,
        organisation=organisation,
        defaults={"assigned_by": acting_user, "reason": reason},
    )
    audit_event_record(
        actor=acting_user,
        organisation=person.organisation,
        person=person,
        event_type=Event.PERSON_ASSIGNED,
        # The reason stays with the assignment (case content); the trail keeps only that one
        # was given.
        data={"organisation": organisation.code, "reason_given": bool(reason.strip())},
    )
    return assignment


@dataclass(frozen=True)
class MemberData:
    relation: str
    first_name: str
    birth_date: dt.date
    pk: int | None = None
    activity: str = ""
    months_worked: int | None = None


@dataclass(frozen=True)
class IncomeData:
    kind: str
    monthly_amount: Decimal
    member_pk: int | None = None
    pk: int | None = None


@transaction.atomic
def household_update(
    *,
    acting_user: User,
    household: Household,
    members: Sequence[MemberData],
    incomes: Sequence[IncomeData],
) -> Household:
    """Replace the household's other members and its income with what the user entered.

    The reference person (relation ``self``) is kept as it is: their name and birth date are
    edited on the person. Rows not in the lists are removed; all of it or nothing is written.
    """
    existing = {m.pk: m for m in household.members.all()}
    keep: set[int] = {pk for pk, m in existing.items() if m.relation == Relation.SELF}
    for item in members:
        member = existing.get(item.pk) if item.pk is not None else None
        if item.pk is not None and member is None:
            raise ValidationError(_("A member in the form is not in this household."))
        if (member is not None and member.relation == Relation.SELF) != (
            item.relation == Relation.SELF
        ):
            raise ValidationError(_("The reference person is edited on the person, not here."))
        if member is None:
            member = HouseholdMember(household=household)
        if member.relation != Relation.SELF:
            # Name and birth date of the reference person follow the person record.
            member.relation = item.relation
            member.first_name = item.first_name
            member.birth_date = item.birth_date
        member.activity = item.activity
        member.months_worked = item.months_worked
        member.full_clean()
        member.save()
        keep.add(member.pk)
    removed_members = [pk for pk in existing if pk not in keep]

    member_pks = set(keep)
    existing_income = {c.pk: c for c in household.income_components.all()}
    keep_income: set[int] = set()
    for inc in incomes:
        if inc.member_pk is not None and inc.member_pk not in member_pks:
            raise ValidationError(
                _(
                    "An income is received by a member you removed: remove that income too, "
                    "or choose another member."
                ),
                code="income_of_removed_member",
            )
        if inc.pk is not None:
            component = existing_income.get(inc.pk)
            if component is None:
                raise ValidationError(_("An income in the form is not in this household."))
        else:
            component = IncomeComponent(household=household)
        component.kind = inc.kind
        component.monthly_amount = inc.monthly_amount
        component.member_id = inc.member_pk
        component.full_clean()
        component.save()
        keep_income.add(component.pk)
    household.income_components.exclude(pk__in=keep_income).delete()
    HouseholdMember.objects.filter(pk__in=removed_members).delete()

    audit_event_record(
        actor=acting_user,
        organisation=household.organisation,
        person=household.persons.first(),
        event_type=Event.HOUSEHOLD_UPDATED,
        data={
            "members": len(keep),
            "members_removed": len(removed_members),
            "income_components": len(keep_income),
        },
    )
    return household


@transaction.atomic
def household_circumstances_update(
    *,
    acting_user: User,
    household: Household,
    deprivation: dict[str, bool | None],
    kind_en_gezin: dict[str, bool | None],
) -> Household:
    """Record the deprivation items and Kind & Gezin criteria asked in a conversation.

    ``None`` means not asked: such keys are not stored, so the indicators say what is missing.
    """
    from tandem.screening import indicators

    allowed_items = (
        set(indicators.HOUSEHOLD_ITEMS)
        | set(indicators.PERSONAL_ITEMS)
        | set(indicators.EU2020_ONLY_ITEMS)
    )
    unknown = (set(deprivation) - allowed_items) | (
        set(kind_en_gezin) - set(indicators.KIND_EN_GEZIN_CRITERIA)
    )
    if unknown:
        raise ValidationError(_("Unknown items: %(items)s") % {"items": ", ".join(sorted(unknown))})
    household.deprivation = {k: v for k, v in deprivation.items() if v is not None}
    household.kind_en_gezin = {k: v for k, v in kind_en_gezin.items() if v is not None}
    household.full_clean()
    household.save(update_fields=["deprivation", "kind_en_gezin", "updated_at"])
    audit_event_record(
        actor=acting_user,
        organisation=household.organisation,
        person=household.persons.first(),
        event_type=Event.HOUSEHOLD_CIRCUMSTANCES_UPDATED,
        data={
            "deprivation_recorded": len(household.deprivation),
            "kind_en_gezin_recorded": len(household.kind_en_gezin),
        },
    )
    return household
