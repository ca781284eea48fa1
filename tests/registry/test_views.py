import datetime as dt
import re

import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.registry.models import Person
from tandem.registry.services import person_assign
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def _person_urls(person):
    return [
        reverse("registry:person_detail", kwargs={"public_id": person.public_id}),
        reverse("registry:person_edit", kwargs={"public_id": person.public_id}),
        reverse("registry:household_edit", kwargs={"public_id": person.public_id}),
    ]


def _form_data(**overrides):
    data = {
        "first_name": "Sara",
        "last_name": "Peeters",
        "insz": "85.07.30-034.27",  # a woman's number (even sequence), as "gender" says
        "birth_date": "1985-07-30",
        "gender": "F",
        "languages": ["nl", "fr"],
        "street": "Sleepstraat",
        "house_number": "3",
        "postal_code": "9000",
        "municipality": "Gent",
        "province": "oost_vlaanderen",
        "phone": "",
        "email": "",
        "education": "isced_0_2",
        "registration": "registered",
        "benefit": "leefloon",
        "nationality_group": "belgian",
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_login(client, mediator):
    person = make_person(mediator)
    for url in [reverse("registry:person_search"), *_person_urls(person)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_another_organisations_person_is_not_found(mediator_client, other_mediator):
    person = make_person(other_mediator, first_name="Verborgen", last_name="Persoon")
    for url in _person_urls(person):
        response = mediator_client.get(url)
        assert response.status_code == 404
        assert b"Verborgen" not in response.content
    assert mediator_client.post(_person_urls(person)[1], _form_data()).status_code == 404
    assert not AccessLog.objects.exists()


def test_an_assigned_organisation_sees_the_person(client, mediator, other_mediator):
    person = make_person(other_mediator, first_name="Gedeeld")
    person_assign(
        acting_user=other_mediator, person=person, organisation=mediator.organisation, reason="duo"
    )
    client.force_login(mediator)
    response = client.get(_person_urls(person)[0])
    assert response.status_code == 200
    assert b"Gedeeld" in response.content


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.ADMIN])
def test_aggregate_and_admin_roles_never_open_a_person(client, organisation, role, mediator):
    person = make_person(mediator)
    user = make_user(role, organisation=organisation)
    client.force_login(user)
    assert client.get(reverse("registry:person_search")).status_code == 403
    for url in _person_urls(person):
        assert client.get(url).status_code == 403


def test_search_by_name_insz_and_municipality(mediator_client, mediator, other_mediator):
    sara = make_person(mediator, first_name="Sara", last_name="Özdemir", municipality="Gent")
    make_person(mediator, first_name="Tom", last_name="Peeters", municipality="Aalst")
    make_person(other_mediator, first_name="Sara", last_name="Özdemir-Elders")
    url = reverse("registry:person_search")

    response = mediator_client.post(url, {"text": "ozdemir sara"})
    assert list(response.context["page"].object_list) == [sara]

    response = mediator_client.post(url, {"insz": sara.insz_formatted})
    assert list(response.context["page"].object_list) == [sara]

    response = mediator_client.post(url, {"municipality": "aalst"})
    assert [p.first_name for p in response.context["page"].object_list] == ["Tom"]


def test_search_results_mask_the_insz_and_link_without_it(mediator_client, mediator):
    sara = make_person(mediator, last_name="Janssens")
    response = mediator_client.post(reverse("registry:person_search"), {"text": "janssens"})
    body = response.content.decode()
    assert sara.insz not in body
    assert sara.insz_formatted not in body
    assert sara.insz_masked in body
    hrefs = re.findall(r'href="([^"]+)"', body)
    assert all(sara.insz not in h and "Janssens" not in h for h in hrefs)
    assert str(sara.public_id) in body


def test_search_is_never_a_query_string(mediator_client):
    response = mediator_client.get(reverse("registry:person_search"), {"text": "Peeters"})
    assert response.context["page"] is None
    form = response.content.decode()
    assert 'method="post"' in form


def test_search_needs_a_criterion_and_a_valid_insz(mediator_client):
    url = reverse("registry:person_search")
    response = mediator_client.post(url, {})
    assert "Vul een naam" in response.content.decode()
    response = mediator_client.post(url, {"insz": "85073003327"})
    assert response.context["form"].errors["insz"]


def test_each_search_result_and_file_view_writes_an_access_log_row(mediator_client, mediator):
    a = make_person(mediator, last_name="Claes")
    b = make_person(mediator, last_name="Claes")
    mediator_client.post(reverse("registry:person_search"), {"text": "claes"})
    assert AccessLog.objects.filter(what="search result").count() == 2
    mediator_client.get(_person_urls(a)[0])
    mediator_client.get(_person_urls(a)[0])
    row = AccessLog.objects.filter(what="person file").first()
    assert AccessLog.objects.filter(what="person file", person=a).count() == 2
    assert not AccessLog.objects.filter(what="person file", person=b).exists()
    assert (row.user, row.organisation, row.roles, row.ip_address) == (
        mediator,
        mediator.organisation,
        "mediator",
        "127.0.0.1",
    )


def test_person_file_shows_full_insz_and_household(mediator_client, mediator):
    person = make_person(mediator, first_name="Sara", birth_date=dt.date(1985, 7, 30))
    response = mediator_client.get(_person_urls(person)[0])
    body = response.content.decode()
    assert person.insz_formatted in body
    assert "Huishouden" in body
    assert response["Cache-Control"] == "no-store"


def test_person_file_costs_a_constant_number_of_queries(
    mediator_client, mediator, django_assert_max_num_queries
):
    from tandem.registry.services import IncomeData, MemberData, household_update

    person = make_person(mediator)
    household_update(
        acting_user=mediator,
        household=person.household,
        members=[
            MemberData(relation="child", first_name=f"Kind{i}", birth_date=dt.date(2015, 1, i + 1))
            for i in range(6)
        ],
        incomes=[IncomeData(kind="child_benefit", monthly_amount=180) for _ in range(6)],
    )
    mediator_client.get(_person_urls(person)[0])  # the first request of a session writes it
    with django_assert_max_num_queries(12):
        assert mediator_client.get(_person_urls(person)[0]).status_code == 200


def test_register_a_person_through_the_form(mediator_client, mediator):
    response = mediator_client.post(reverse("registry:person_create"), _form_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    assert person.insz == "85073003427"
    assert person.languages == ["nl", "fr"]
    assert person.organisation == mediator.organisation


def test_form_names_the_field_that_is_wrong(mediator_client):
    response = mediator_client.post(
        reverse("registry:person_create"),
        _form_data(insz="85073003327", postal_code="90000", birth_date="2099-01-01"),
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"insz", "postal_code", "birth_date"}
    assert not Person.objects.exists()


def test_insz_must_match_the_birth_date(mediator_client):
    response = mediator_client.post(
        reverse("registry:person_create"), _form_data(birth_date="1985-07-31")
    )
    assert "insz" in response.context["form"].errors
    assert not Person.objects.exists()


def test_duplicate_insz_through_the_form_names_the_field(mediator_client, other_mediator):
    make_person(other_mediator, insz="85073003427", birth_date=dt.date(1985, 7, 30))
    response = mediator_client.post(reverse("registry:person_create"), _form_data())
    assert "insz" in response.context["form"].errors
    assert Person.objects.count() == 1


def test_possible_duplicate_warns_then_creates_when_confirmed(mediator_client, mediator):
    existing = make_person(
        mediator,
        first_name="Sara",
        last_name="Peeters",
        birth_date=dt.date(1985, 7, 30),
        with_insz=False,
    )
    response = mediator_client.post(reverse("registry:person_create"), _form_data(insz=""))
    assert response.status_code == 200
    assert response.context["candidates"] == [existing]
    assert str(existing.public_id) in response.content.decode()
    assert Person.objects.count() == 1
    response = mediator_client.post(
        reverse("registry:person_create"), _form_data(insz="", confirmed_distinct="on")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_edit_a_person(mediator_client, mediator):
    person = make_person(mediator, municipality="Gent")
    data = _form_data(
        insz=person.insz,
        birth_date=person.birth_date.isoformat(),
        municipality="Aalst",
        postal_code="9300",
    )
    response = mediator_client.post(_person_urls(person)[1], data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.municipality == "Aalst"


def test_household_form_adds_a_member_and_an_income(mediator_client, mediator):
    person = make_person(mediator)
    url = _person_urls(person)[2]
    page = mediator_client.get(url)
    assert page.status_code == 200
    reference = person.household.members.get()
    data = {
        "reference-pk": str(reference.pk),
        "reference-activity": "unemployed",
        "reference-months_worked": "2",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
        "members-0-relation": "child",
        "members-0-first_name": "Lina",
        "members-0-birth_date": "2019-05-05",
        "members-0-activity": "child",
        "incomes-TOTAL_FORMS": "2",
        "incomes-INITIAL_FORMS": "0",
        "incomes-MIN_NUM_FORMS": "0",
        "incomes-MAX_NUM_FORMS": "30",
        "incomes-0-kind": "leefloon",
        "incomes-0-member": "",
        "incomes-0-monthly_amount": "1314.42",
        # An untouched empty row is ignored.
        "incomes-1-kind": "",
        "incomes-1-member": "",
        "incomes-1-monthly_amount": "",
    }
    response = mediator_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["incomes_fs"].errors
    assert person.household.members.count() == 2
    assert str(person.household.monthly_net_income) == "1314.42"
    reference.refresh_from_db()
    assert (reference.activity, reference.months_worked) == ("unemployed", 2)


def test_household_form_reports_a_bad_amount_and_writes_nothing(mediator_client, mediator):
    person = make_person(mediator)
    data = {
        "reference-pk": str(person.household.members.get().pk),
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
        "members-0-relation": "child",
        "members-0-first_name": "Lina",
        "members-0-birth_date": "2019-05-05",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-MIN_NUM_FORMS": "0",
        "incomes-MAX_NUM_FORMS": "30",
        "incomes-0-kind": "wages",
        "incomes-0-member": "",
        "incomes-0-monthly_amount": "-5",
    }
    response = mediator_client.post(_person_urls(person)[2], data)
    assert response.status_code == 200
    assert response.context["incomes_fs"].forms[0].errors["monthly_amount"]
    assert person.household.members.count() == 1


def test_a_user_without_an_organisation_is_refused_registering_not_given_a_500(client, mediator):
    """The service refuses with PermissionError; the page is the 403 page, nothing is written."""
    mediator.organisation = None
    mediator.save(update_fields=["organisation"])
    client.force_login(mediator)
    client.raise_request_exception = False
    response = client.post(reverse("registry:person_create"), _form_data())
    assert response.status_code == 403
    assert not Person.objects.exists()
