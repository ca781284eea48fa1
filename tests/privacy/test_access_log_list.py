"""The DPO's access log as a list that scales (issue 18, "lists that scale"): a purpose
filter beside person, user and period; pages posted with the search (a national number never
in a URL); only the persons on the page logged; another organisation's person never found."""

from __future__ import annotations

import pytest

from tandem.audit.models import AccessLog, Purpose
from tests.factories import make_person

from .test_access_pages import SEARCH_URL, _reads

pytestmark = pytest.mark.django_db


def _read_as(person, user, purpose, n):
    # The log is append-only (PostgreSQL refuses UPDATE): the rows are written with their purpose.
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            roles="welfare_partner",
            organisation=user.organisation,
            person=person,
            what="person file",
            purpose=purpose,
            ip_address="10.0.0.8",
        )
        for _i in range(n)
    )


def test_the_purpose_filter_narrows(dpo_client, mediator, partner):
    person = make_person(mediator)
    _reads(person, mediator, 3)
    _read_as(person, partner, Purpose.SUBJECT_ACCESS, 2)
    response = dpo_client.post(SEARCH_URL, {"purpose": Purpose.SUBJECT_ACCESS})
    rows = list(response.context["page"].object_list)
    assert len(rows) == 2 and {r.purpose for r in rows} == {Purpose.SUBJECT_ACCESS}
    everything = dpo_client.post(SEARCH_URL, {"person": person.insz})
    # 3 + 2, and the DPO's own read of the person from the first search (data protection).
    assert len(everything.context["page"].object_list) == 6
    bogus = dpo_client.post(SEARCH_URL, {"purpose": "gossip"})
    assert "purpose" in bogus.context["form"].errors and bogus.context["page"] is None


def test_pages_are_posted_with_the_search_and_only_the_page_is_logged(
    dpo_client, dpo, mediator, settings
):
    settings.TANDEM_PAGE_SIZE = 2
    people = [make_person(mediator, first_name=f"P{i}") for i in range(5)]
    for person in people:
        _reads(person, mediator, 1)
    first = dpo_client.post(SEARCH_URL, {"username": mediator.username})
    body = first.content.decode()
    # The pager re-posts the search: hidden fields, no query string; no page numbers.
    assert 'name="username" value="' + mediator.username + '"' in body
    assert 'name="cursor"' in body and "?page=" not in body and "?cursor=" not in body
    before = AccessLog.objects.filter(user=dpo).count()
    cursor = first.context["page"].next_cursor
    second = dpo_client.post(SEARCH_URL, {"username": mediator.username, "cursor": cursor})
    shown = {r.person for r in second.context["page"].object_list}
    assert len(shown) == 2 and shown.isdisjoint(r.person for r in first.context["page"])
    logged = AccessLog.objects.filter(user=dpo).order_by("pk")[before:]
    assert {r.person for r in logged} == shown
    for bad in ("abc", "\x00", "9" * 5000, "-1"):
        response = dpo_client.post(SEARCH_URL, {"username": mediator.username, "cursor": bad})
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == list(first.context["page"])


def test_another_organisations_person_is_not_found(dpo_client, other_mediator):
    theirs = make_person(other_mediator)
    _reads(theirs, other_mediator, 3)
    response = dpo_client.post(SEARCH_URL, {"person": theirs.insz})
    assert "person" in response.context["form"].errors
    assert response.context["page"] is None
    everything = dpo_client.post(SEARCH_URL, {})
    assert len(everything.context["page"].object_list) == 0


@pytest.mark.parametrize("n", [3, 12])
def test_a_page_costs_a_constant_number_of_queries(
    dpo_client, mediator, settings, n, django_assert_max_num_queries
):
    settings.TANDEM_PAGE_SIZE = 4
    for i in range(n):
        _reads(make_person(mediator, first_name=f"P{i}"), mediator, 1)
    data = {"purpose": Purpose.CASE_WORK, "page": "2"}
    dpo_client.post(SEARCH_URL, data)
    with django_assert_max_num_queries(14):
        response = dpo_client.post(SEARCH_URL, data)
    assert len(response.context["page"].object_list) == min(4, n)
