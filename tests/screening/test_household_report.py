"""The household page: stored household → indicators with reasons (the rules are tested in
test_indicators; here the translation from the registry and the page)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.registry.services import (
    IncomeData,
    MemberData,
    household_circumstances_update,
    household_update,
)
from tandem.screening.household import household_report
from tests.factories import make_person

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def _family(mediator, *, income):
    person = make_person(mediator, birth_date=dt.date(1986, 3, 1))
    household = person.household
    reference = household.members.get()
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(
                pk=reference.pk,
                relation="self",
                first_name="",
                birth_date=dt.date(1986, 3, 1),
                activity="unemployed",
                months_worked=0,
            ),
            MemberData(
                relation="partner",
                first_name="Tom",
                birth_date=dt.date(1984, 1, 1),
                activity="employed",
                months_worked=1,
            ),
            MemberData(
                relation="child",
                first_name="Lina",
                birth_date=dt.date(2016, 1, 1),
                activity="child",
            ),
            MemberData(
                relation="child",
                first_name="Noor",
                birth_date=dt.date(2024, 9, 1),
                activity="child",
            ),
        ],
        incomes=[IncomeData(kind="leefloon", monthly_amount=Decimal(income))],
    )
    return person


def test_two_adults_two_children_against_the_2024_threshold(mediator):
    person = _family(mediator, income="2500")
    report = household_report(person.household, day=DAY)
    ind = report.indicators
    assert report.threshold.survey_year == 2024
    assert ind.equivalised_size == pytest.approx(2.1)
    assert ind.equivalised_income == pytest.approx(2500 / 2.1)
    assert ind.household_threshold_monthly == pytest.approx(1520 * 2.1)
    assert ind.at_risk_of_poverty.value is True
    assert ind.at_risk_of_poverty.reasons
    # 1 month worked out of 24 possible: very low work intensity, and so AROPE.
    assert ind.work_intensity.value is True
    assert ind.arope.value is True


def test_deprivation_and_kind_en_gezin_are_recorded_and_counted(mediator):
    person = _family(mediator, income="4000")
    household_circumstances_update(
        acting_user=mediator,
        household=person.household,
        deprivation={
            "unexpected_expenses": True,
            "holiday": True,
            "arrears": True,
            "meal": True,
            "warm_home": True,
            "car": True,
            "furniture": True,
            "internet": None,
        },
        kind_en_gezin={"income": True, "education": True, "work": True, "health": False},
    )
    person.household.refresh_from_db()
    assert "internet" not in person.household.deprivation
    ind = household_report(person.household, day=DAY).indicators
    assert ind.severe_material_social_deprivation.value is True
    # Noor is under 3, so Kind & Gezin applies: 3 of 6 weak.
    assert ind.kind_en_gezin_deprivation.value is True


def test_unknown_items_are_refused(mediator):
    person = make_person(mediator)
    with pytest.raises(ValidationError):
        household_circumstances_update(
            acting_user=mediator,
            household=person.household,
            deprivation={"yacht": True},
            kind_en_gezin={},
        )


def test_without_income_the_poverty_risk_is_unknown(mediator):
    person = make_person(mediator)
    ind = household_report(person.household, day=DAY).indicators
    assert ind.at_risk_of_poverty.value is None
    assert ind.equivalised_income is None


def test_the_person_file_shows_the_indicators_with_reasons(mediator_client, mediator):
    person = _family(mediator, income="2500")
    response = mediator_client.get(
        reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    )
    body = response.content.decode()
    assert "AROPE" in body
    ind = response.context["report"].indicators
    for reason in ind.at_risk_of_poverty.reasons:
        assert str(reason).split()[0] in body


def test_the_household_form_records_the_items(mediator_client, mediator):
    person = make_person(mediator)
    reference = person.household.members.get()
    data = {
        "reference-pk": str(reference.pk),
        "reference-activity": "",
        "reference-months_worked": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
        "incomes-TOTAL_FORMS": "0",
        "incomes-INITIAL_FORMS": "0",
        "incomes-MIN_NUM_FORMS": "0",
        "incomes-MAX_NUM_FORMS": "30",
        "circ-dep_holiday": "yes",
        "circ-dep_car": "no",
        "circ-dep_internet": "",
        "circ-kg_housing": "yes",
    }
    url = reverse("registry:household_edit", kwargs={"public_id": person.public_id})
    response = mediator_client.post(url, data)
    assert response.status_code == 302
    person.household.refresh_from_db()
    assert person.household.deprivation == {"holiday": True, "car": False}
    assert person.household.kind_en_gezin == {"housing": True}
    form = mediator_client.get(url).context["circumstances_form"]
    assert form.initial["dep_holiday"] == "yes"
