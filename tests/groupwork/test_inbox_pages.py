"""The coach's requests and waiting lists grow with the programme (issue 18, "Lists that
scale"): each comes in pages of ``TANDEM_PAGE_SIZE`` with the shared pager, the requests with
``?page=`` and the waiting lists with ``?waiting=``, one not moving the other; a place on a
waiting list is counted over the whole list; only the persons on the pages shown are logged;
the page costs the same number of queries however long the lists are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.groupwork.models import Enrolment

from .conftest import enrol

pytestmark = pytest.mark.django_db
URL = reverse("groupwork:request_inbox")


@pytest.fixture
def lists(settings, mediator, coach, module):
    settings.TANDEM_PAGE_SIZE = 2
    # No group planned: an accepted request waits (the module's waiting list, in order).
    waiting = [enrol(mediator, coach, module) for _ in range(3)]
    requests = [enrol(mediator, coach, module, accept=False) for _ in range(3)]
    assert {e.status for e in waiting} == {"waiting"}
    assert {e.status for e in requests} == {"requested"}
    return requests, waiting


def _shown(body: str, enrolments: list[Enrolment]) -> list[str]:
    return [e.trajectory.person.first_name for e in enrolments if f"{e.public_id}" in body]


def test_requests_and_waiting_lists_page_apart(client, coach, lists):
    requests, waiting = lists
    client.force_login(coach)
    first = client.get(URL).content.decode()
    assert len(_shown(first, requests)) == 2 and len(_shown(first, waiting)) == 2
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="next" href="?waiting=2#waiting-title"' in first
    # The second page of requests keeps the waiting lists' first page, and the other way round.
    second = client.get(URL, {"page": 2}).content.decode()
    assert _shown(second, requests) == [requests[2].trajectory.person.first_name]
    assert len(_shown(second, waiting)) == 2
    moved = client.get(URL, {"page": 2, "waiting": 2}).content.decode()
    assert _shown(moved, waiting) == [waiting[2].trajectory.person.first_name]
    assert _shown(moved, requests) == [requests[2].trajectory.person.first_name]
    # Its place is counted over the whole list: the third on the list, on page 2.
    assert '<td class="num" data-label="Plaats">3</td>' in moved


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99", "9" * 50])
def test_a_bad_page_number_is_a_page(client, coach, lists, number):
    client.force_login(coach)
    assert client.get(URL, {"page": number, "waiting": number}).status_code == 200


def test_only_the_persons_shown_are_logged(client, coach, lists):
    requests, waiting = lists
    client.force_login(coach)
    client.get(URL, {"page": 2})
    logged = set(AccessLog.objects.filter(user=coach).values_list("person_id", flat=True))
    expected = {requests[2].trajectory.person_id} | {e.trajectory.person_id for e in waiting[:2]}
    assert logged == expected


def test_the_page_costs_the_same_however_long_the_lists(client, coach, mediator, module, lists):
    client.force_login(coach)
    client.get(URL)
    with CaptureQueriesContext(connection) as short:
        client.get(URL)
    for _ in range(4):
        enrol(mediator, coach, module)
        enrol(mediator, coach, module, accept=False)
    with CaptureQueriesContext(connection) as long:
        client.get(URL)
    assert len(long) == len(short)
