"""Person search at scale (issue 20): on PostgreSQL a name is found through a trigram index
(``person_search_key_trgm``, migration registry 0011) and a national number through the unique
index on ``insz``, both combined with the visibility scope; the results are the same on SQLite
(which has no such index and reads the table) and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from tandem.registry.models import Person
from tandem.registry.selectors import PersonSearch, person_search
from tests.factories import make_person

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm and its index are PostgreSQL's"
)

NAMES = [
    ("Jan", "Peeters"),
    ("Els", "Peeters-Özdemir"),
    ("Mehmet", "Özdemir"),
    ("Anna", "Van Peteghem"),
    ("Jana", "Janssens"),
]


@pytest.fixture
def people(mediator, other_mediator):
    made = {first: make_person(mediator, first_name=first, last_name=last) for first, last in NAMES}
    # Same name, other organisation: never found by this mediator.
    make_person(other_mediator, first_name="Jan", last_name="Peeters")
    return made


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("peeters", ["Jan", "Els"]),
        ("PEETERS", ["Jan", "Els"]),
        ("ozdemir", ["Els", "Mehmet"]),
        ("Özdemir", ["Els", "Mehmet"]),
        ("eter", ["Jan", "Els"]),
        ("jan peeters", ["Jan"]),
        ("peeters jan", ["Jan"]),
        ("jan", ["Jan", "Jana"]),
        ("an", ["Jan", "Anna", "Jana"]),  # two letters: no trigram, still found (index or not)
        ("van pet", ["Anna"]),
        ("nobody", []),
    ],
)
def test_name_search_results_are_the_same_on_both_databases(mediator, people, text, expected):
    found = [p.first_name for p in person_search(mediator, PersonSearch(text=text))]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("text", ["e", "peeters", "an"])
def test_name_search_keeps_the_order_by_last_name_first_name(mediator, people, text):
    # The search orders by an expression no index gives (so PostgreSQL does not walk the name
    # index for a page); the order is the columns' own.
    found = person_search(mediator, PersonSearch(text=text))
    assert len(found) >= 2
    by_columns = found.order_by("last_name", "first_name", "birth_date", "pk")
    assert list(found) == list(by_columns)


def test_national_number_search_finds_the_one_person_in_scope(mediator, other_mediator, people):
    jan = people["Jan"]
    dotted = f"{jan.insz[:2]}.{jan.insz[2:4]}.{jan.insz[4:6]}-{jan.insz[6:9]}.{jan.insz[9:]}"
    assert list(person_search(mediator, PersonSearch(insz=dotted))) == [jan]
    assert list(person_search(other_mediator, PersonSearch(insz=jan.insz))) == []


def _many_others(template: Person, organisation_id: int, n: int = 20_000) -> None:
    """``n`` more persons with other names, seven in ten of another organisation, so the
    planner sees what a region looks like: a name is rare, an organisation a large part of the
    table (copies of ``template``; no national number)."""
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Person._meta.concrete_fields
        if f.attname
        not in {
            "id",
            "public_id",
            "insz",
            "first_name",
            "last_name",
            "search_key",
            "organisation_id",
        }
    }
    Person.objects.bulk_create(
        (
            Person(
                **fields,
                organisation_id=template.organisation_id if i % 10 < 3 else organisation_id,
                public_id=uuid.uuid4(),
                first_name=f"Kim{i}",
                last_name=f"Maes{i}",
                search_key=f"kim{i} maes{i}",
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Still a small table: tell the planner that reading a whole table or index costs the
        # earth, and ask which index it has for the query (SET LOCAL: this test's transaction).
        cursor.execute("ANALYZE registry_person")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
def test_the_trigram_index_exists_on_the_searched_column():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_key_trgm'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_key gin_trgm_ops)" in definition


@on_postgresql
def test_name_and_national_number_searches_read_their_indexes(mediator, other_mediator, people):
    _many_others(people["Jan"], other_mediator.organisation_id)  # once: 20,000 rows
    for text in ("peeters", "jan peeters", "ozdemir"):
        plan = _plan(person_search(mediator, PersonSearch(text=text)))
        assert "Bitmap Index Scan on person_search_key_trgm" in plan, plan
        # The first page, as the search page asks for it, too.
        plan = _plan(person_search(mediator, PersonSearch(text=text))[:25])
        assert "Bitmap Index Scan on person_search_key_trgm" in plan, plan
    plan = _plan(person_search(mediator, PersonSearch(insz=people["Jan"].insz)))
    assert "person_insz_unique" in plan, plan
