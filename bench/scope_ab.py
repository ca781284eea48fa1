"""The visibility scope before and after issue 20, measured side by side on a generated database.

Before: ``person_queryset_for`` as an ``OR`` of ``EXISTS`` over the person table and the home
page's three ``COUNT`` queries (the oracle kept in tests/test_visibility_scope.py). After: the
union of indexed branches and one ``COUNT … FILTER`` query. Both run in one process, the
requests alternating before/after, so a busy machine slows both alike; each page is requested
``--repeat`` times per side (after a warm-up) as the demo user, with the Django test client and
DEBUG off, and its median server time and SQL query count printed. Then the scope's own count
query is explained for each user (``EXPLAIN (ANALYZE)``): the scans of ``registry_person``.

Not part of ``make bench`` (it needs generated data): copy a generated database and point
``DATABASE_URL`` at the copy, e.g.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE scale_scope TEMPLATE scale_100k'
    psql -h 127.0.0.1 -U postgres -d scale_scope -c 'ANALYZE'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_scope \\
        .venv/bin/python bench/scope_ab.py --repeat 7
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.access import scope  # noqa: E402
from tandem.access.scope import person_queryset_for  # noqa: E402
from tandem.accounts.models import User  # noqa: E402
from tandem.registry import selectors as registry_selectors  # noqa: E402
from tests.test_visibility_scope import old_person_queryset_for  # noqa: E402

PAGES: list[tuple[str, str, str, dict[str, str] | None]] = [
    ("mediator home", "demo_mediator", "/", None),
    ("mediator caseload", "demo_mediator", "/trajectories/caseload/", None),
    ("mediator person search 'peeters'", "demo_mediator", "/persons/", {"text": "peeters"}),
    ("mediator person search Gent", "demo_mediator", "/persons/", {"municipality": "Gent"}),
    ("welfare-partner home", "demo_welfare_partner", "/", None),
    ("welfare-partner caseload", "demo_welfare_partner", "/trajectories/caseload/", None),
    ("welfare-partner search 'peeters'", "demo_welfare_partner", "/persons/", {"text": "peeters"}),
    ("welfare-partner referral inbox", "demo_welfare_partner", "/referrals/inbox/", None),
]


def _old_counts(user: User, today: Any) -> dict[str, int]:
    """The home page's figures as three ``COUNT`` queries (before issue 20)."""
    import datetime as dt

    from django.utils import timezone

    visible = person_queryset_for(user)
    month_start = dt.datetime.combine(
        today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return {
        "persons": visible.count(),
        "new_this_month": visible.filter(created_at__gte=month_start).count(),
        "non_active": visible.filter(registration="non_active").count(),
    }


@contextmanager
def before() -> Iterator[None]:
    """Run the code of before issue 20: the callers import the functions by name, so the
    functions' code is swapped, not the module attributes."""
    swaps: list[tuple[Callable[..., Any], Any]] = [
        (scope.person_queryset_for, old_person_queryset_for.__code__),
        (registry_selectors.person_counts_for, _old_counts.__code__),
    ]
    # The old code's names (Exists, OuterRef, the models) are looked up in the globals of the
    # module of the function swapped, which imports them all.
    saved = [(f, f.__code__) for f, _ in swaps]
    for f, code in swaps:
        f.__code__ = code
    try:
        yield
    finally:
        for f, code in saved:
            f.__code__ = code


def _request(client: Client, url: str, data: dict[str, str] | None) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.post(url, data) if data else client.get(url)
        ms = (time.perf_counter() - start) * 1000
    return ms, len(ctx.captured_queries), response.status_code


def pages(repeat: int) -> None:
    print(f"{'page':36} {'before ms':>10} {'q':>3} {'after ms':>10} {'q':>3} {'ratio':>6}")
    for label, username, url, data in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        times: dict[str, list[float]] = {"before": [], "after": []}
        queries: dict[str, int] = {}
        with before():
            _request(client, url, data)
        _request(client, url, data)
        for _ in range(repeat):
            for side in ("before", "after"):
                if side == "before":
                    with before():
                        ms, n, status = _request(client, url, data)
                else:
                    ms, n, status = _request(client, url, data)
                assert status == 200, (label, side, status)
                times[side].append(ms)
                queries[side] = n
        b, a = statistics.median(times["before"]), statistics.median(times["after"])
        print(
            f"{label:36} {b:10.1f} {queries['before']:3d} {a:10.1f} {queries['after']:3d} "
            f"{b / a:5.1f}×",
            flush=True,
        )


def explain(username: str) -> None:
    user = User.objects.get(username=username)
    for side in ("before", "after"):
        qs_of = old_person_queryset_for if side == "before" else scope.person_queryset_for
        qs = qs_of(user).order_by().values("pk")
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            explain_sql = f"EXPLAIN (ANALYZE, COSTS OFF) SELECT COUNT(*) FROM ({sql}) s"  # noqa: S608
            cursor.execute(explain_sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        scans = [
            re.sub(r"\s+\(actual.*", "", line.strip().removeprefix("->  "))
            for line in plan
            if "registry_person " in line and "Scan" in line
        ]
        removed = [line.strip() for line in plan if "Rows Removed by Filter" in line]
        total = plan[-1].strip()
        print(f"  {username:22} {side:6} {total}; person scans: {scans}; {removed[:1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor != "postgresql":
        sys.exit("scope_ab.py measures a generated PostgreSQL database (DATABASE_URL)")
    print(f"database {connection.settings_dict['NAME']}, {args.repeat} requests per side")
    pages(args.repeat)
    print("The scope's count, EXPLAIN ANALYZE:")
    for username in ("demo_mediator", "demo_welfare_partner"):
        explain(username)


if __name__ == "__main__":
    main()
