"""Benchmark the person search by name on an existing database (a copy of a ``generate_scale``
database; never a production one): the search as the page runs it (the count, then the first
25) as the demo mediator, median of repeated runs, beside a hand-written floor (the
organisation's persons matching every word: count and first 25), with the trigram index and
without it (dropped inside a transaction that is rolled back). It writes nothing.

Run: ``DATABASE_URL=postgres://…/scale_copy .venv/bin/python bench/bench_person_search.py``
(without a PostgreSQL ``DATABASE_URL`` it says so and stops).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHO = "demo_mediator"
INDEX = "person_search_key_trgm"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_person_search: skipped (needs DATABASE_URL: a copy of a scale database)")
        return 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection, transaction

    from tandem.accounts.models import User
    from tandem.registry.models import Person
    from tandem.registry.selectors import PersonSearch, person_search

    user = User.objects.get(username=WHO)
    org = user.organisation_id
    rare = (
        Person.objects.filter(organisation_id=org)
        .order_by("pk")
        .values_list("search_key", flat=True)[777]
    )
    texts = ["peeters", "jan peeters", rare]

    def page(text: str) -> int:
        qs = person_search(user, PersonSearch(text=text))
        n = qs.count()
        list(qs[:25])
        return n

    def floor(text: str) -> int:
        words = text.split()
        where = " AND ".join(["search_key LIKE %s"] * len(words))
        params = [org, *(f"%{w}%" for w in words)]
        with connection.cursor() as cursor:
            base = f"FROM registry_person WHERE organisation_id = %s AND {where}"
            cursor.execute(f"SELECT count(*) {base}", params)
            n = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT id, first_name, last_name, birth_date {base} "
                "ORDER BY last_name, first_name, birth_date, id LIMIT 25",
                params,
            )
            cursor.fetchall()
        return n

    def median_ms(fn: Callable[[str], int], text: str) -> float:
        fn(text)
        times = []
        for _i in range(args.repeat):
            start = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    def run(label: str) -> None:
        for text in texts:
            search, hand = median_ms(page, text), median_ms(floor, text)
            print(
                f"{label:<11} {text[:20]:<20} hits {page(text):>6}  search {search:7.1f} ms"
                f"  floor {hand:7.1f} ms  {search / hand:5.1f}×"
            )

    print(f"persons: {Person.objects.count():,}; {WHO} sees its organisation's and assigned")
    run("index")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        run("no index")
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
