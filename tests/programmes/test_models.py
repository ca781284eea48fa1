import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tandem.programmes.models import Call, Project
from tandem.programmes.services import call_upsert, project_upsert
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2020, 1, 1), dt.date(2021, 12, 31)


def _call(**kwargs):
    values = {
        "acting_user": None,
        "code": "c1",
        "title": "Oproep",
        "start_date": START,
        "end_date": END,
        "total_budget": D("1000"),
    }
    values.update(kwargs)
    return call_upsert(**values)


def _project(**kwargs):
    values = {
        "acting_user": None,
        "code": "p1",
        "name": "Project",
        "promoter": OrganisationFactory(),
        "start_date": START,
        "end_date": END,
        "budget": D("498143"),
    }
    values.update(kwargs)
    return project_upsert(**values)


def test_shares_that_do_not_add_up_to_100_are_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        _call(esf_share_percent=D("40"), cofinancing_percent=D("50"))
    assert "cofinancing_percent" in error.value.message_dict
    assert "90" in error.value.message_dict["cofinancing_percent"][0]
    assert "100" in error.value.message_dict["cofinancing_percent"][0]
    assert not Call.objects.exists()


def test_only_one_share_is_refused():
    call = Call(code="c", title="t", start_date=START, end_date=END, total_budget=1)
    call.esf_share_percent = D("40")
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "cofinancing_percent" in error.value.message_dict


def test_the_database_refuses_shares_that_do_not_add_up():
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(
            code="c",
            title="t",
            start_date=START,
            end_date=END,
            total_budget=1,
            esf_share_percent=D("40"),
            cofinancing_percent=D("59.99"),
        )


def test_a_call_with_the_esf_share_alone_gets_the_rest_as_cofinancing():
    call = _call(esf_share_percent=D("40"))
    assert call.cofinancing_percent == D("60")
    assert call.split == (D("400.00"), D("600.00"))


def test_a_project_of_a_call_is_split_by_the_calls_share_to_the_cent():
    call = _call(esf_share_percent=D("40"))
    project = _project(call=call, budget=D("100.01"))
    project.refresh_from_db()
    assert (project.esf_amount, project.cofinancing_amount) == (D("40.00"), D("60.01"))
    assert project.esf_amount + project.cofinancing_amount == project.budget


def test_a_project_keeps_its_own_split():
    call = _call(esf_share_percent=D("40"))
    project = _project(call=call, budget=D("1000"), esf_amount=D("500"))
    assert (project.esf_amount, project.cofinancing_amount) == (D("500"), D("500"))


def test_a_project_without_stated_shares_has_no_split():
    project = _project(call=_call())
    assert project.esf_amount is None and project.cofinancing_amount is None


def test_a_split_that_does_not_add_up_to_the_budget_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        _project(budget=D("1000"), esf_amount=D("400"), cofinancing_amount=D("500"))
    messages = error.value.message_dict["cofinancing_amount"]
    assert "900" in messages[0] and "1000" in messages[0]
    assert not Project.objects.exists()


def test_the_database_refuses_a_split_that_does_not_add_up():
    org = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            code="p",
            name="p",
            promoter=org,
            start_date=START,
            end_date=END,
            budget=D("498143"),
            esf_amount=D("199257.20"),
            cofinancing_amount=D("298885.81"),
        )


def test_the_database_accepts_cents_that_add_up_exactly():
    # In floating point 199257.2 + 298885.8 is not exactly 498143: the check allows for it.
    project = Project.objects.create(
        code="p",
        name="p",
        promoter=OrganisationFactory(),
        start_date=START,
        end_date=END,
        budget=D("498143"),
        esf_amount=D("199257.20"),
        cofinancing_amount=D("298885.80"),
    )
    project.full_clean()


def test_call_projects_total_and_difference():
    call = _call(total_budget=D("1000"))
    _project(code="a", call=call, budget=D("600"))
    _project(code="b", call=call, budget=D("399"))
    assert call.projects_total == D("999")
    assert call.projects_difference == D("-1")


def test_existing_callers_of_project_upsert_still_work():
    project = _project(budget=1000)
    assert project.call is None and project.budget == 1000
