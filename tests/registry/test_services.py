import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.registry import insz
from tandem.registry.exceptions import DuplicateInsz, PossibleDuplicate
from tandem.registry.models import HouseholdMember, IncomeComponent, Person, Relation
from tandem.registry.services import (
    IncomeData,
    MemberData,
    household_update,
    person_update,
)
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def test_person_create_makes_a_household_with_the_person_as_reference(mediator):
    person = make_person(mediator, first_name="Sara", birth_date=dt.date(1990, 2, 3))
    assert person.organisation == mediator.organisation
    assert person.household is not None
    [member] = person.household.members.all()
    assert (member.relation, member.first_name, member.birth_date, member.person) == (
        Relation.SELF,
        "Sara",
        dt.date(1990, 2, 3),
        person,
    )
    event = AuditEvent.objects.get(event_type="person.created", person=person)
    assert event.actor == mediator


def test_same_insz_is_refused_even_when_registered_by_another_organisation(
    mediator, other_mediator
):
    number = insz.make(dt.date(1985, 7, 30), 33)
    make_person(other_mediator, insz=number)
    with pytest.raises(DuplicateInsz) as caught:
        make_person(mediator, insz=number)
    assert "insz" in caught.value.error_dict
    assert Person.objects.filter(insz=number).count() == 1


def test_insz_is_stored_without_separators(mediator):
    person = make_person(mediator, insz="85.07.30-033.28")
    assert person.insz == "85073003328"


def test_same_name_and_birth_date_warns_with_the_visible_candidate(mediator):
    first = make_person(mediator, first_name="Amina", last_name="Bakkali")
    with pytest.raises(PossibleDuplicate) as caught:
        make_person(
            mediator,
            first_name="amina",
            last_name="BAKKALI",
            confirmed_distinct=False,
        )
    assert caught.value.candidates == [first]
    assert Person.objects.filter(last_name="Bakkali").count() == 1


def test_confirmed_distinct_person_with_same_name_is_created(mediator):
    make_person(mediator, first_name="Amina", last_name="Bakkali")
    make_person(mediator, first_name="Amina", last_name="Bakkali", confirmed_distinct=True)
    assert Person.objects.filter(last_name="Bakkali").count() == 2


def test_name_duplicate_in_another_organisation_is_not_revealed(mediator, other_mediator):
    make_person(other_mediator, first_name="Amina", last_name="Bakkali")
    person = make_person(
        mediator, first_name="Amina", last_name="Bakkali", confirmed_distinct=False
    )
    assert person.pk


def test_person_update_records_which_fields_changed_without_identifying_values(mediator):
    person = make_person(mediator, first_name="Sara", municipality="Gent")
    person_update(
        acting_user=mediator,
        person=person,
        data={
            "first_name": "Sarah",
            "municipality": "Aalst",
            "postal_code": "9300",
            "education": "isced_3_4",
        },
    )
    person.refresh_from_db()
    assert person.first_name == "Sarah"
    assert person.search_key.startswith("sarah ")
    event = AuditEvent.objects.get(event_type="person.updated", person=person)
    assert event.data["fields"]["municipality"] == {"changed": True}
    assert event.data["fields"]["first_name"] == {"changed": True}
    assert event.data["fields"]["education"] == {"from": "isced_0_2", "to": "isced_3_4"}
    assert "Sarah" not in str(event.data)
    # The reference member follows the person.
    assert person.household.members.get(relation=Relation.SELF).first_name == "Sarah"


def test_person_update_refuses_an_insz_that_belongs_to_someone_else(mediator):
    a = make_person(mediator)
    b = make_person(mediator)
    with pytest.raises(DuplicateInsz):
        person_update(acting_user=mediator, person=b, data={"insz": a.insz})
    b.refresh_from_db()
    assert b.insz != a.insz


def test_person_update_without_changes_writes_no_event(mediator):
    person = make_person(mediator, municipality="Gent")
    person_update(acting_user=mediator, person=person, data={"municipality": "Gent"})
    assert not AuditEvent.objects.filter(event_type="person.updated").exists()


def test_household_update_adds_changes_and_removes_members_and_income(mediator):
    person = make_person(mediator)
    household = person.household
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(relation=Relation.PARTNER, first_name="Tom", birth_date=dt.date(1984, 1, 1)),
            MemberData(relation=Relation.CHILD, first_name="Lina", birth_date=dt.date(2019, 5, 5)),
        ],
        incomes=[IncomeData(kind="leefloon", monthly_amount=Decimal("1314.42"))],
    )
    assert household.members.count() == 3
    tom = household.members.get(first_name="Tom")
    lina = household.members.get(first_name="Lina")
    income = household.income_components.get()
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(
                pk=tom.pk,
                relation=Relation.PARTNER,
                first_name="Tom",
                birth_date=dt.date(1984, 1, 2),
            )
        ],
        incomes=[
            IncomeData(pk=income.pk, kind="leefloon", monthly_amount=Decimal("1350.00")),
            IncomeData(kind="wages", monthly_amount=Decimal("1800"), member_pk=tom.pk),
        ],
    )
    assert not HouseholdMember.objects.filter(pk=lina.pk).exists()
    assert household.members.count() == 2
    assert household.monthly_net_income == Decimal("3150.00")
    tom.refresh_from_db()
    assert tom.birth_date == dt.date(1984, 1, 2)


def test_household_update_is_all_or_nothing(mediator):
    person = make_person(mediator)
    household = person.household
    with pytest.raises(ValidationError):
        household_update(
            acting_user=mediator,
            household=household,
            members=[
                MemberData(
                    relation=Relation.CHILD, first_name="Lina", birth_date=dt.date(2019, 5, 5)
                )
            ],
            # A negative amount fails validation after the member was written.
            incomes=[IncomeData(kind="wages", monthly_amount=Decimal("-1"))],
        )
    assert household.members.count() == 1
    assert IncomeComponent.objects.count() == 0


def test_household_update_refuses_members_of_another_household(mediator):
    a = make_person(mediator)
    b = make_person(mediator)
    household_update(
        acting_user=mediator,
        household=b.household,
        members=[
            MemberData(relation=Relation.CHILD, first_name="Noor", birth_date=dt.date(2015, 1, 1))
        ],
        incomes=[],
    )
    noor = b.household.members.get(first_name="Noor")
    with pytest.raises(ValidationError):
        household_update(
            acting_user=mediator,
            household=a.household,
            members=[
                MemberData(
                    pk=noor.pk,
                    relation=Relation.CHILD,
                    first_name="Hacked",
                    birth_date=dt.date(2015, 1, 1),
                )
            ],
            incomes=[],
        )
    noor.refresh_from_db()
    assert noor.first_name == "Noor"


def test_household_update_cannot_touch_the_reference_person(mediator):
    person = make_person(mediator)
    with pytest.raises(ValidationError):
        household_update(
            acting_user=mediator,
            household=person.household,
            members=[
                MemberData(relation=Relation.SELF, first_name="X", birth_date=dt.date(2000, 1, 1))
            ],
            incomes=[],
        )


def test_income_of_a_removed_member_is_refused(mediator):
    person = make_person(mediator)
    household = person.household
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(relation=Relation.PARTNER, first_name="Tom", birth_date=dt.date(1984, 1, 1))
        ],
        incomes=[],
    )
    tom = household.members.get(first_name="Tom")
    with pytest.raises(ValidationError) as caught:
        household_update(
            acting_user=mediator,
            household=household,
            members=[],
            incomes=[IncomeData(kind="wages", monthly_amount=Decimal("10"), member_pk=tom.pk)],
        )
    assert caught.value.code == "income_of_removed_member"
    assert household.members.filter(pk=tom.pk).exists()


def test_user_without_organisation_cannot_register(db):
    user = make_user(Role.MEDIATOR)
    user.organisation = None
    with pytest.raises(PermissionError):
        make_person(user)
