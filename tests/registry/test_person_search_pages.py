"""Person search results a page at a time (issue 18, "lists that scale"): the pager re-posts
the search (no name in a URL), a bad page number is the first page (it emptied the results
before: the page was a form field), only the persons on the page are logged as read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _names(response):
    return [p.first_name for p in response.context["page"].object_list]


def test_pages_of_search_results(mediator_client, mediator, other_mediator, settings):
    settings.TANDEM_PAGE_SIZE = 2
    for name in ("Anna", "Bert", "Cem", "Dirk", "Els"):
        make_person(mediator, first_name=name, last_name="Janssens")
    make_person(other_mediator, first_name="Fien", last_name="Janssens")
    url = reverse("registry:person_search")
    first = mediator_client.post(url, {"text": "janssens"})
    assert first.context["page"].paginator.count == 5  # never the other organisation's
    body = first.content.decode()
    assert 'name="text" value="janssens"' in body and 'aria-current="page"' in body
    before = AccessLog.objects.filter(what="search result").count()
    second = mediator_client.post(url, {"text": "janssens", "page": "2"})
    logged = AccessLog.objects.filter(what="search result").order_by("pk")[before:]
    assert sorted(r.person.first_name for r in logged) == sorted(_names(second))
    assert len(_names(second)) == 2 and not set(_names(second)) & set(_names(first))
    assert len(_names(mediator_client.post(url, {"text": "janssens", "page": "900"}))) == 1
    for bad in ("abc", "\x00", "-4", "9" * 5000):
        response = mediator_client.post(url, {"text": "janssens", "page": bad})
        assert response.status_code == 200 and response.context["page"].number == 1
