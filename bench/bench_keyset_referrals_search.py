"""Benchmark the referral inbox, the sent list and the person search (issue 20, lists that grow)
on an existing database: keyset pages beside the page numbers they replaced.

Like ``bench_keyset_lists.py`` it builds nothing: DATABASE_URL points at a copy of a
``generate_scale`` database (never a production one). Per case it prints the median server time
of the page (as the demo user opens it, with the test client; its SQL queries are pinned in
the tests), and beside
it the selector alone read both ways in the same run: page numbers (``Paginator``: the exact
COUNT, then OFFSET) and keyset (``keyset_page_of``), for the first page and for the page 20
pages down (page 21; with keyset, after following "next" 20 times).

Run: ``DATABASE_URL=postgres://…/copy .venv/bin/python bench/bench_keyset_referrals_search.py``
Without the demo users it says so and exits 0.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tandem.common.lists import keyset_page_of  # noqa: E402
from tandem.network.referrals import selectors as rsel  # noqa: E402
from tandem.registry import selectors as psel  # noqa: E402

DEEP, RUNS = 20, 7


def _ms(f) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _deep_cursor(qs, keys, size) -> str:  # type: ignore[no-untyped-def]
    data = QueryDict(mutable=True)
    for _ in range(DEEP):
        page = keyset_page_of(qs, data, keys=keys, per_page=size)
        if not page.next_cursor:
            break
        data["cursor"] = page.next_cursor
    return data.get("cursor", "")


def _case(name, client, method, url, data, qs, keys, size) -> None:  # type: ignore[no-untyped-def]
    cursor = _deep_cursor(qs, keys, size)
    print(f"{name}: {qs.count()} rows")
    for label, extra, number in (("first", {}, 1), (f"{DEEP} deep", {"cursor": cursor}, DEEP + 1)):
        send = client.post if method == "post" else client.get
        response = send(url, {**data, **extra})  # warm
        assert response.status_code == 200
        page_ms = _ms(lambda: send(url, {**data, **extra}))  # noqa: B023
        q = QueryDict(mutable=True)
        q.update(extra)
        keyset_ms = _ms(lambda: list(keyset_page_of(qs, q, keys=keys, per_page=size)))  # noqa: B023

        def numbered() -> None:
            paginator = Paginator(qs, size)
            list(paginator.page(min(number, paginator.num_pages)).object_list)  # noqa: B023

        numbered_ms = _ms(numbered)
        print(
            f"{name:28} {label:9} page {page_ms:7.1f} ms"
            f" | selector: page numbers {numbered_ms:7.1f} ms, keyset {keyset_ms:7.1f} ms"
        )


def main() -> int:
    setup_test_environment()
    users = get_user_model().objects
    try:
        receiver = users.get(username="demo_welfare_partner")
        sender = users.get(username="demo_mediator")
    except get_user_model().DoesNotExist:
        print("no demo users on this database: nothing measured")
        return 0
    with connection.cursor() as c:
        c.execute("select count(*) from network_referral")
        print(f"referrals: {c.fetchone()[0]}")
    for user, view in ((receiver, "inbox"), (sender, "sent")):
        client = Client()
        client.force_login(user)
        for status in ("open", ""):
            if view == "inbox":
                qs, keys = rsel.inbox_queryset_for(user, status=status), rsel.INBOX_KEYS
            else:
                qs, keys = rsel.sent_for(user, status=status), rsel.sent_keys(status)
            url = f"/referrals/{view}/"
            _case(
                f"{view} status={status or 'all'}",
                client,
                "get",
                url,
                {"status": status},
                qs,
                keys,
                50,
            )
    client = Client()
    client.force_login(sender)
    for text in ("peeters", "jan"):
        search = psel.PersonSearch(text=text, insz="", municipality="")
        _case(
            f"search {text!r}",
            client,
            "post",
            "/persons/",
            {"text": text},
            psel.person_search(sender, search),
            psel.person_search_keys(search),
            25,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
