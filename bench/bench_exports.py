"""Benchmark a big export, in memory and streamed: every person the demo mediator sees, as CSV
and as XLSX, on an existing database (a copy of a ``generate_scale`` database; never a
production one — the run writes one access-log row per person exported).

Each way runs in a process of its own, so its peak resident memory (``ru_maxrss``) is its
own; the figure printed is the growth over the process's memory before the export started.
Ways: ``csv-memory`` (the rows in a list, ``log_persons_shown`` then ``csv_download``: how a
list export would be written with the small-table path), ``csv-stream``
(``queryset.iterator()`` → ``access.log.stream_logged`` → ``csv_streaming_download``),
``xlsx-memory`` (an ordinary workbook, ``to_bytes``), ``xlsx-stream`` (``write_only``,
``file_response``). The floor: PostgreSQL's ``COPY (the same query) TO STDOUT WITH CSV``.

Run: ``DATABASE_URL=postgres://…/scale_copy .venv/bin/python bench/bench_exports.py``
(without ``DATABASE_URL`` it says so and stops: the default SQLite database has no such data).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHO = "demo_mediator"
FIELDS = [
    "last_name",
    "first_name",
    "birth_date",
    "insz",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "phone",
    "email",
]
WAYS = ("csv-memory", "csv-stream", "xlsx-memory", "xlsx-stream")


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(way: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory

    from tandem.access.log import log_persons_shown, stream_logged
    from tandem.access.scope import person_queryset_for
    from tandem.accounts.models import User
    from tandem.common.exports import (
        csv_download,
        csv_streaming_download,
        xlsx_workbook,
    )

    user = User.objects.get(username=WHO)
    request = RequestFactory().get("/export/")
    request.user = user
    visible = person_queryset_for(user).order_by("last_name", "first_name", "pk")
    before = _rss_kb()
    start = time.perf_counter()
    size = 0
    rows = 0
    if way == "floor":
        sql, params = visible.values_list(*FIELDS).query.sql_with_params()
        raw = connection.cursor().connection
        with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV", params) as cp:
            for block in cp:
                size += len(block)
        rows = visible.count()
    elif way.endswith("memory"):
        persons = list(visible.only("pk", *FIELDS))
        log_persons_shown(request, persons, what="bench export")
        values = [[getattr(p, f) for f in FIELDS] for p in persons]
        rows = len(values)
        if way == "csv-memory":
            size = len(csv_download(values, FIELDS, filename="x.csv").content)
        else:
            book = xlsx_workbook()
            sheet = book.sheet("persons")
            sheet.append(FIELDS, bold=True)
            for row in values:
                sheet.append(row)
            size = len(book.to_bytes())
    else:
        persons = stream_logged(
            request,
            visible.only("pk", *FIELDS).iterator(chunk_size=2000),
            person_of=lambda p: p,
            what="bench export",
        )
        values_iter = ([getattr(p, f) for f in FIELDS] for p in persons)
        if way == "csv-stream":
            response = csv_streaming_download(values_iter, FIELDS, filename="x.csv")
            for chunk in response.streaming_content:
                size += len(chunk)
        else:
            book = xlsx_workbook(write_only=True)
            sheet = book.sheet("persons")
            sheet.append(FIELDS, bold=True)
            for row in values_iter:
                sheet.append(row)
            response = book.file_response("x.xlsx")
            for chunk in response.streaming_content:
                size += len(chunk)
            response.file_to_stream.close()
        rows = -1
    seconds = time.perf_counter() - start
    growth = (_rss_kb() - before) / 1024
    return {"seconds": seconds, "bytes": size, "rows": rows, "rss_growth_mb": growth}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=("floor", *WAYS))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_exports: skipped (needs DATABASE_URL: a copy of a generate_scale database)")
        return 0
    results: dict[str, list[dict[str, float]]] = {}
    for _i in range(args.repeat):
        for way in ("floor", *WAYS):
            out = subprocess.run(  # noqa: S603 (this script, a fixed argument list)
                [sys.executable, __file__, "--child", way],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.setdefault(way, []).append(json.loads(out.strip().splitlines()[-1]))
    floor = statistics.median(r["seconds"] for r in results["floor"])
    rows = int(results["floor"][0]["rows"])
    print(f"export of every person {WHO} sees: {rows:,} rows, {len(FIELDS)} columns")
    print(f"{'way':<12} {'median':>9} {'× floor':>8} {'peak RSS growth':>16} {'bytes':>12}")
    for way in ("floor", *WAYS):
        runs = results[way]
        seconds = statistics.median(r["seconds"] for r in runs)
        rss = max(r["rss_growth_mb"] for r in runs)
        print(
            f"{way:<12} {seconds * 1000:7.0f} ms {seconds / floor:7.1f}× {rss:13.1f} MB "
            f"{int(runs[0]['bytes']):>12,}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
