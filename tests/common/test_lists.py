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


# --- keyset pages (lists that grow) ---------------------------------------------------------


@pytest.fixture
def reads(db, mediator, person):
    """Eleven access-log rows, five of them at the same instant: the second key (the id)
    orders those."""
    import datetime as dt

    from django.utils import timezone

    from tandem.audit.models import AccessLog

    base = timezone.now()
    times = [base - dt.timedelta(minutes=i) for i in range(6)] + [base] * 5
    AccessLog.objects.bulk_create(
        AccessLog(
            at=at,
            user=mediator,
            roles="mediator",
            organisation=mediator.organisation,
            person=person,
            what="person file",
            purpose="case work",
        )
        for at in times
    )
    return AccessLog.objects.filter(person=person)


KEYS = ("-at", "-pk")


def _walk(items, per_page=3):
    from tandem.common.lists import keyset_page_of

    pages = [keyset_page_of(items, _query(), keys=KEYS, per_page=per_page)]
    while pages[-1].has_next:
        pages.append(
            keyset_page_of(
                items, _query(cursor=pages[-1].next_cursor), keys=KEYS, per_page=per_page
            )
        )
    return pages


def test_keyset_pages_follow_the_keys_without_a_row_twice_or_missed(reads):
    pages = _walk(reads)
    walked = [row.pk for page in pages for row in page.object_list]
    assert walked == list(reads.order_by(*KEYS).values_list("pk", flat=True))
    assert [len(p.object_list) for p in pages] == [3, 3, 3, 2]
    assert not pages[0].has_previous and pages[1].has_previous and not pages[-1].has_next
    assert all(p.newest_first for p in pages)


def test_keyset_previous_goes_back_page_by_page_to_a_whole_first_page(reads):
    from tandem.common.lists import keyset_page_of

    pages = _walk(reads)
    page = pages[-1]
    back = []
    while page.has_previous:
        page = keyset_page_of(reads, _query(cursor=page.previous_cursor), keys=KEYS, per_page=3)
        back.append([row.pk for row in page.object_list])
    assert back == [[row.pk for row in p.object_list] for p in pages[-2::-1]]
    assert not page.has_previous and page.has_next


def test_keyset_reads_one_query_per_page(reads, django_assert_num_queries):
    from tandem.common.lists import keyset_page_of

    second = _walk(reads)[1]
    with django_assert_num_queries(1):
        keyset_page_of(reads, _query(cursor=second.next_cursor), keys=KEYS, per_page=3)


def test_a_cursor_that_is_not_tandems_opens_the_first_page(reads):
    from django.core import signing

    from tandem.common.lists import CURSOR_CHARS_MAX, keyset_page_of

    first = [row.pk for row in reads.order_by(*KEYS)[:3]]
    good = _walk(reads)[0].next_cursor
    salt = "tandem.common.lists.keyset:" + ",".join(KEYS)
    garbage = [
        "",
        "abc",
        "2",
        "\x00",
        good + "\x00",
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # its signature no longer matches
        good[: len(good) // 2],
        "x" * (CURSOR_CHARS_MAX + 1),
        "é" + good,
        signing.dumps({"d": "n", "k": ["2026-01-01T00:00:00+00:00", "1"]}, salt="other"),
        signing.dumps({"d": "n", "k": ["no date", "1"]}, salt=salt),
        signing.dumps({"d": "n", "k": ["2026-01-01T00:00:00+00:00", "9" * 50]}, salt=salt),
        signing.dumps({"d": "x", "k": ["2026-01-01T00:00:00+00:00", "1"]}, salt=salt),
        signing.dumps({"d": "n", "k": ["2026-01-01T00:00:00+00:00"]}, salt=salt),
        signing.dumps(["n", "2026-01-01"], salt=salt),
    ]
    for raw in garbage:
        page = keyset_page_of(reads, _query(cursor=raw), keys=KEYS, per_page=3)
        assert [row.pk for row in page.object_list] == first, raw
    # A cursor of another list (other keys) is no cursor of this one.
    other = keyset_page_of(reads, _query(), keys=("at", "pk"), per_page=3).next_cursor
    page = keyset_page_of(reads, _query(cursor=other), keys=KEYS, per_page=3)
    assert [row.pk for row in page.object_list] == first


def test_a_cursor_past_the_end_of_a_list_that_shrank_opens_the_first_page(reads):
    from tandem.common.lists import keyset_page_of

    # The cursor to the last page, then the list keeps only its two newest rows.
    cursor = _walk(reads)[-2].next_cursor
    newest = list(reads.order_by(*KEYS).values_list("pk", flat=True)[:2])
    page = keyset_page_of(reads.filter(pk__in=newest), _query(cursor=cursor), keys=KEYS)
    assert [row.pk for row in page.object_list] == newest and not page.has_other_pages


def test_keyset_keys_must_never_be_null(reads):
    from tandem.common.lists import keyset_page_of

    with pytest.raises(ValueError, match="never NULL"):
        keyset_page_of(reads, _query(), keys=("-person", "-pk"))
