"""The team's prospects as a list that scales (issue 18, "lists that scale"): posted search
(a nickname never in a URL), filters, pages, scope kept, bad input refused on its field, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.outreach import services
from tandem.outreach.rules import FOLLOW_UP_DAYS, follow_up_due
from tests.factories import OrganisationFactory, make_user

TODAY = timezone.localdate()
URL = "/outreach/prospects/"


def _meet(worker, place, nickname, *, days_ago=1, times=1, need="werk"):
    moment = services.contact_log(
        acting_user=worker,
        place=place,
        on=TODAY - dt.timedelta(days=days_ago),
        nickname=nickname,
        need=need,
    )
    for _ in range(times - 1):
        services.contact_log(
            acting_user=worker,
            place=place,
            prospect=moment.prospect,
            on=TODAY - dt.timedelta(days=days_ago),
        )
    return moment.prospect


@pytest.fixture
def other_worker(db):
    team = OrganisationFactory(
        name="vzw Straathoekwerk", code="shw-t", kind=OrganisationKind.OUTREACH_PARTNER
    )
    return make_user(Role.OUTREACH_WORKER, organisation=team, username="outreach_other")


@pytest.fixture
def other_place(other_worker):
    return services.place_save(
        acting_user=other_worker, kind="street", name="Dampoort", municipality="Gent"
    )


def _nicknames(response):
    return [p.nickname for p in response.context["page"].object_list]


def test_the_url_is_no_personal_data():
    # The search is posted; the page's route carries nothing.
    assert reverse("outreach:prospect_list") == URL


def test_pages_show_the_next_rows_and_a_page_past_the_end_the_last(client, worker, place, settings):
    settings.TANDEM_PAGE_SIZE = 2
    for i in range(5):
        _meet(worker, place, f"Buur {i}", days_ago=i + 1)
    client.force_login(worker)
    assert _nicknames(client.get(URL)) == ["Buur 0", "Buur 1"]
    assert _nicknames(client.get(URL, {"page": "2"})) == ["Buur 2", "Buur 3"]
    assert _nicknames(client.get(URL, {"page": "99999999"})) == ["Buur 4"]
    # Posted with the filters, as the pager does.
    assert _nicknames(client.post(URL, {"text": "buur", "page": "3"})) == ["Buur 4"]
    body = client.get(URL, {"page": "2"}).content.decode()
    assert 'aria-label="Resultaatpagina\'s"' in body and 'aria-current="page"' in body
    assert "Pagina 2 van 3" in body


@pytest.mark.parametrize("page", ["abc", "-3", "0", "1\x00", "9" * 5000, ""])
def test_a_bad_page_number_is_the_first_page(client, worker, place, settings, page):
    settings.TANDEM_PAGE_SIZE = 2
    for i in range(3):
        _meet(worker, place, f"Buur {i}", days_ago=i + 1)
    client.force_login(worker)
    for response in (client.get(URL, {"page": page}), client.post(URL, {"page": page})):
        assert response.status_code == 200
        assert response.context["page"].number == 1


def test_search_narrows_to_nickname_or_need(client, worker, place):
    _meet(worker, place, "Mama Yasmine", need="kinderopvang")
    _meet(worker, place, "Kevin", need="werk")
    _meet(worker, place, "Oma Rita", need="een cursus Nederlands")
    client.force_login(worker)
    assert _nicknames(client.post(URL, {"text": "yasm"})) == ["Mama Yasmine"]
    assert _nicknames(client.post(URL, {"text": "CURSUS"})) == ["Oma Rita"]
    assert _nicknames(client.post(URL, {"text": "nobody"})) == []


def test_a_nickname_in_a_query_string_is_no_search(client, worker, place):
    _meet(worker, place, "Mama Yasmine")
    _meet(worker, place, "Kevin")
    client.force_login(worker)
    response = client.get(URL, {"text": "Yasmine", "status": "new"})
    assert sorted(_nicknames(response)) == ["Kevin", "Mama Yasmine"]
    assert 'method="post"' in response.content.decode()


def test_a_search_never_reaches_another_team(client, worker, place, other_worker, other_place):
    _meet(other_worker, other_place, "Yasmine van de Dampoort")
    _meet(worker, place, "Kevin")
    client.force_login(worker)
    response = client.post(URL, {"text": "Yasmine"})
    assert _nicknames(response) == []
    assert "Yasmine" not in response.content.decode().replace('value="Yasmine"', "")
    # Another team's find place is no choice: posting its id is refused on the field.
    response = client.post(URL, {"place": str(other_place.pk)})
    assert "place" in response.context["form"].errors
    assert _nicknames(response) == ["Kevin"]


def test_a_nul_character_or_an_unknown_choice_is_refused_on_its_field(client, worker, place):
    _meet(worker, place, "Kevin")
    client.force_login(worker)
    response = client.post(URL, {"text": "Ke\x00vin", "status": "bogus"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text", "status"}
    # The other filters still apply; the refused ones are left out.
    assert _nicknames(response) == ["Kevin"]


def test_filters_status_place_and_follow_up(client, worker, place):
    second = services.place_save(
        acting_user=worker, kind="street", name="Pleintje", municipality="Gent"
    )
    _meet(worker, place, "Once", days_ago=2)
    _meet(worker, place, "Twice", days_ago=3, times=2)
    _meet(worker, second, "Long ago", days_ago=FOLLOW_UP_DAYS + 5)
    _meet(worker, second, "Just in time", days_ago=FOLLOW_UP_DAYS)
    client.force_login(worker)
    assert _nicknames(client.post(URL, {"status": "engaged"})) == ["Twice"]
    assert set(_nicknames(client.post(URL, {"status": "new"}))) == {
        "Once",
        "Long ago",
        "Just in time",
    }
    assert _nicknames(client.post(URL, {"place": str(second.pk)})) == [
        "Just in time",
        "Long ago",
    ]
    assert _nicknames(client.post(URL, {"follow_up": "on"})) == ["Long ago"]
    # The filters that hold no name also work as a query string.
    assert _nicknames(client.get(URL, {"status": "engaged"})) == ["Twice"]


@pytest.mark.parametrize(
    ("registered", "days_ago", "due"),
    [
        (False, None, True),  # never met: nothing to go on
        (False, FOLLOW_UP_DAYS + 1, True),
        (False, FOLLOW_UP_DAYS, False),
        (False, 0, False),
        (True, FOLLOW_UP_DAYS + 30, False),  # registered: the mediator follows up now
    ],
)
def test_follow_up_due_rule(registered, days_ago, due):
    last_on = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    assert follow_up_due(registered=registered, last_on=last_on, today=TODAY) is due


@pytest.mark.parametrize("n", [3, 15])
def test_the_list_costs_a_constant_number_of_queries(
    client, worker, place, settings, n, django_assert_max_num_queries
):
    settings.TANDEM_PAGE_SIZE = 10
    for i in range(n):
        _meet(worker, place, f"Buur {i}", times=2)
    client.force_login(worker)
    client.get(URL)
    # Session, user and roles, the places (the filter's choices), the count, the page.
    with django_assert_max_num_queries(6):
        client.get(URL)
    with django_assert_max_num_queries(7):  # and the posted place checked against the team's
        client.post(URL, {"text": "buur", "place": str(place.pk), "page": "2"})
