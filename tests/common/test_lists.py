"""The shared list helper (tandem.common.lists): whatever a user or a crafted link puts in
``?page=``, a list gives its first page (or, past the end, its last), never a server error."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from tandem.common.lists import PAGE_DIGITS_MAX, page_number, page_of


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("2.5", 1),
        ("1e3", 1),
        ("2\x00", 1),  # a NUL character
        ("\x00", 1),
        ("٣", 1),  # an Arabic-Indic three: a digit to Python, no page number to a URL
        ("9" * PAGE_DIGITS_MAX, int("9" * PAGE_DIGITS_MAX)),
        ("9" * (PAGE_DIGITS_MAX + 1), 1),
        ("9" * 5000, 1),  # more digits than Python converts to an int by default
    ],
)
def test_page_number_reads_only_a_plain_positive_number(raw, number):
    assert page_number(raw) == number


def _query(**values: str) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(values)
    return query


def test_a_page_past_the_end_is_the_last_page_and_an_empty_list_has_one_page():
    rows = list(range(7))
    assert list(page_of(rows, _query(page="2"), per_page=3).object_list) == [3, 4, 5]
    assert page_of(rows, _query(page="99999"), per_page=3).number == 3
    assert page_of(rows, _query(page="abc"), per_page=3).number == 1
    empty = page_of([], _query(page="5"), per_page=3)
    assert empty.number == 1 and list(empty.object_list) == []


def test_a_field_that_holds_a_name_is_read_only_when_posted():
    from django.test import RequestFactory

    from tandem.common.lists import list_data

    factory = RequestFactory()
    got = list_data(factory.get("/", {"text": "Yasmine", "status": "new"}), posted_only=("text",))
    assert dict(got.items()) == {"status": "new"}
    posted = list_data(factory.post("/", {"text": "Yasmine"}), posted_only=("text",))
    assert posted["text"] == "Yasmine"
