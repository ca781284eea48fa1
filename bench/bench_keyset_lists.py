"""Benchmark the lists that grow: the DPO's access-log search on an existing database.

Unlike the other benches this one builds nothing: it opens the access-log search as the demo
data-protection officer on the database DATABASE_URL points at (a copy of a ``generate_scale``
database; never a production one) and prints, per case, the median and p95 server time over
repeated requests, the number of SQL queries, and the slowest query over the access log beside
it (the SQL floor: the one query that fetches the page's rows; with page numbers, the count).

Cases: every row (first page), one month (a filtered page), every row after following
"older" 20 times (a deep page; with page numbers: page 21), one user's reads.

Run: ``DATABASE_URL=postgres://…/scale_copy .venv/bin/python bench/bench_keyset_lists.py``
(``--explain`` prints EXPLAIN ANALYZE of each case's slowest query). Without DATABASE_URL, or
on a database without the demo DPO, it says so and exits 0 (``make bench`` on a fresh clone).
"""

from __future__ import annotations

import argparse
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
from django.core.exceptions import ObjectDoesNotExist  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

URL = "/audit/access/"
DPO = "demo_data_protection_officer"
DEEP = 20


def _post(client: Client, data: dict[str, str]):  # type: ignore[no-untyped-def]
    response = client.post(URL, data)
    assert response.status_code == 200, response.status_code
    return response


def _deep_data(client: Client, data: dict[str, str]) -> dict[str, str]:
    """The posted data that opens the page DEEP pages down (following the pager's buttons)."""
    response = _post(client, data)
    page = response.context["page"]
    if not hasattr(page, "next_cursor"):  # page numbers
        return {**data, "page": str(DEEP + 1)}
    for _i in range(DEEP):
        data = {**data, "cursor": page.next_cursor}
        page = _post(client, data).context["page"]
    return data


def measure(client: Client, name: str, data: dict[str, str], repeat: int, explain: bool) -> None:
    _post(client, data)  # warm
    times: list[float] = []
    queries = 0
    slowest = ("", 0.0)
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            _post(client, data)
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        selects = [q for q in ctx.captured_queries if "audit_accesslog" in q["sql"]]
        selects = [q for q in selects if q["sql"].startswith("SELECT")]
        top = max(selects, key=lambda q: float(q["time"]))
        if float(top["time"]) > slowest[1] or not slowest[0]:
            slowest = (top["sql"], float(top["time"]))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{name:<34} p50 {statistics.median(times) * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"
        f"  {queries:3d} queries  access-log query {slowest[1] * 1000:7.1f} ms"
    )
    if explain and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[0])
            for (line,) in cursor.fetchall():
                print("    " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("skipped: set DATABASE_URL to a copy of a generate_scale database (see docstring)")
        return 0
    try:
        dpo = get_user_model().objects.get(username=DPO)
    except (ObjectDoesNotExist, DatabaseError):
        print(f"skipped: no {DPO} in this database (run generate_scale on a copy first)")
        return 0
    setup_test_environment()
    client = Client()
    client.force_login(dpo)
    month = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    print(f"access-log rows: {_count_estimate()} (estimate), database {connection.vendor}")
    compare_sql(args.repeat)
    measure(client, "access log, every row", {}, args.repeat, args.explain)
    measure(client, "access log, one month", month, args.repeat, args.explain)
    measure(
        client, f"access log, {DEEP} pages older", _deep_data(client, {}), args.repeat, args.explain
    )
    measure(
        client,
        f"one month, {DEEP} pages older",
        _deep_data(client, month),
        args.repeat,
        args.explain,
    )
    return 0


def _timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def compare_sql(repeat: int) -> None:
    """The same run, the selector only (no page around it): the page read with page numbers
    (an exact count, then OFFSET) beside the page read by its keys, first page and page 21."""
    import datetime as dt

    from django.core.paginator import Paginator
    from django.http import QueryDict

    from tandem.common.lists import keyset_page_of
    from tandem.privacy import selectors

    user = get_user_model().objects.get(username=DPO)
    size = 25
    searches = {
        "every row": selectors.AccessLogSearch(),
        "one month": selectors.AccessLogSearch(
            date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)
        ),
    }
    for name, search in searches.items():
        qs = selectors.access_log_search(user, search)
        cursor = QueryDict(mutable=True)
        for _i in range(DEEP):
            page = keyset_page_of(qs, cursor, keys=selectors.ACCESS_LOG_KEYS, per_page=size)
            cursor["cursor"] = page.next_cursor
        for label, number, data in [("page 1", 1, QueryDict()), ("page 21", DEEP + 1, cursor)]:
            numbered = _timed(lambda n=number, q=qs: list(Paginator(q, size).page(n)), repeat)
            keyset = _timed(
                lambda d=data, q=qs: (
                    keyset_page_of(q, d, keys=selectors.ACCESS_LOG_KEYS, per_page=size).object_list
                ),
                repeat,
            )
            print(
                f"SQL {name:<10} {label:<8} page numbers {numbered:8.1f} ms   keyset "
                f"{keyset:6.1f} ms   ratio {numbered / keyset:6.1f}x"
            )


def _count_estimate() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname='audit_accesslog'")
        else:
            cursor.execute("SELECT count(*) FROM audit_accesslog")
        return int(cursor.fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
