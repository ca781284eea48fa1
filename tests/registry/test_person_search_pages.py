"""Person search results a page at a time (issue 18, "lists that scale"; keyset pages since
issue 20): the pager re-posts the search and the cursor (no name in a URL), a bad or stale cursor
is the first page, no total is counted, only the persons on the page are logged as read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _names(response):
    return [p.first_name for p in response.context["page"].object_list]


def test_pages_of_search_results(mediator_client, mediator, other_mediator, settings):
    settings.TANDEM_PAGE_SIZE = 2
    for name in ("Els", "Bert", "Dirk", "Anna", "Cem"):
        make_person(mediator, first_name=name, last_name="Janssens")
    make_person(other_mediator, first_name="Fien", last_name="Janssens")
    url = reverse("registry:person_search")
    first = mediator_client.post(url, {"text": "janssens"})
    assert _names(first) == ["Anna", "Bert"]
    page = first.context["page"]
    assert page.is_keyset and page.next_cursor and not page.has_previous
    body = first.content.decode()
    # The pager posts the search again with the cursor: no name, no cursor in a URL.
    assert 'name="text" value="janssens"' in body and 'name="cursor"' in body
    assert "cursor=" not in body
    before = AccessLog.objects.filter(what="search result").count()
    second = mediator_client.post(url, {"text": "janssens", "cursor": page.next_cursor})
    logged = AccessLog.objects.filter(what="search result").order_by("pk")[before:]
    assert sorted(r.person.first_name for r in logged) == sorted(_names(second))
    assert _names(second) == ["Cem", "Dirk"]
    third = mediator_client.post(
        url, {"text": "janssens", "cursor": second.context["page"].next_cursor}
    )
    assert _names(third) == ["Els"]  # never the other organisation's Fien
    assert not third.context["page"].has_next
    back = mediator_client.post(
        url, {"text": "janssens", "cursor": third.context["page"].previous_cursor}
    )
    assert _names(back) == ["Cem", "Dirk"]
    # A cursor of a search by name does not open a search without one (other keys).
    response = mediator_client.post(url, {"municipality": "Gent", "cursor": page.next_cursor})
    assert response.status_code == 200 and not response.context["page"].has_previous
    for bad in ("abc", "\x00", "-4", "9" * 5000, page.next_cursor[:-3]):
        response = mediator_client.post(url, {"text": "janssens", "cursor": bad})
        assert response.status_code == 200 and _names(response) == ["Anna", "Bert"]
    for bad in ("abc", "\x00", "-4", "9" * 5000, "3"):
        response = mediator_client.post(url, {"text": "janssens", "page": bad})
        assert response.status_code == 200 and _names(response) == ["Anna", "Bert"]


def test_the_same_names_page_by_birth_date_and_id(mediator_client, mediator, settings):
    settings.TANDEM_PAGE_SIZE = 2

    for day in (3, 1, 2, 1, 2):
        make_person(
            mediator, first_name="Jan", last_name="Peeters", birth_date=dt.date(1980, 1, day)
        )
    url = reverse("registry:person_search")
    seen, cursor = [], ""
    for _ in range(4):
        response = mediator_client.post(url, {"text": "peeters jan", "cursor": cursor})
        seen += [(p.birth_date.day, p.pk) for p in response.context["page"].object_list]
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == 5
