"""Benchmark the pages at scale (issue 20): every page as its role opens it, beside a floor.

On PostgreSQL (``TANDEM_BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/tandem_bench): a database per size, ``tandem_bench_<N>``,
made once with ``migrate`` and ``generate_scale --persons N --seed 2026`` and reused while its
comment says it holds that size and seed. Before measuring, every time: ``migrate`` (which
fills the outcome table when it is empty; ``--refresh-outcomes`` rebuilds it) and
``ANALYZE``. Two sizes: ``--persons`` (default ``BENCH_PERSONS`` or 1,000,000) and ``--small``
(default 10,000), so the query count of every page at both can be compared.

Each page is requested through Django's test client (settings ``config.settings.bench``:
DEBUG off, cached templates, sessions in the database, a login confirmed with a second factor)
by the demo login of its role (bench/pages.py): warm-up requests, then ``--repeat`` timed
requests (server time: ``perf_counter`` around ``client.get``/``post``; fewer when they would
take more than ``--budget`` seconds) and the SQL query count of a warm request. Beside it a
floor: one hand-written SQL query (raw cursor) that fetches the rows the page shows — the
scoped rows of its first page with their shown columns, or the same aggregates — timed the
same way.

Goals per page: p50 ≤ 2× its floor, ≤ 12 queries, the same count at both sizes. Every miss is
printed; exit status 1 only with ``--strict``. The figures go to ``var/bench/pages-<N>.json``.

Run with ``make bench`` (1 M persons: generating takes ~7–9 min on a quiet 2-core machine,
once; then the database is reused) or ``make bench-pages PERSONS=100000``.
``--no-generate`` uses the existing ``tandem_bench_<N>`` databases (an error when missing);
``--database-url postgres://…/a_copy`` measures that database as it is (one size, no
comparison of counts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tandem_bench"
SEED = 2026
GOAL_RATIO = 2.0
GOAL_QUERIES = 12


# --- the orchestration (no Django here: it runs manage.py and a measuring child per size) ----


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _psql(url: str, sql: str) -> str:
    """One statement on the server's ``postgres`` database (psycopg, autocommit)."""
    import psycopg

    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        if row is None:
            return ""
        return "" if row[0] is None else str(row[0])


def _manage(url: str, *args: str, quiet: bool = False) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=out
    )


def _has_command(url: str, name: str) -> bool:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    listing = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "help", "--commands"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return name in listing


def _commit() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _generator_hash() -> str:
    """A digest of the generator's code, written in the database's comment: a reused database
    made by another version of the generator is reported (not remade: 1 M persons take
    minutes)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tandem" / "demo" / "scale").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def ensure_database(
    base_url: str, persons: int, seed: int, *, may_generate: bool = True
) -> tuple[str, float | None]:
    """The URL of ``tandem_bench_<persons>``, generated when it does not hold that size and
    seed; returns it and the seconds generation took (None when reused)."""
    name = f"tandem_bench_{persons}"
    url = _with_db(base_url, name)
    marker = f"generate_scale --persons {persons} --seed {seed}"
    exists = _psql(base_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608
    comment = ""
    if exists:
        comment = _psql(
            base_url,
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "  # noqa: S608
            f"WHERE datname = '{name}'",
        )
    generated = None
    if not comment.startswith(marker + ";") and not may_generate:
        raise SystemExit(f"{name} does not hold {marker!r} (--no-generate)")
    if not comment.startswith(marker + ";"):
        if exists:
            print(f"  {name}: comment {comment!r} is not {marker!r}: made again")
            _psql(base_url, f'DROP DATABASE "{name}"')
        _psql(base_url, f'CREATE DATABASE "{name}"')
        _manage(url, "migrate", "--noinput", quiet=True)
        print(f"  {name}: {marker} (once; reused by later runs)")
        started = time.perf_counter()
        _manage(url, "generate_scale", "--persons", str(persons), "--seed", str(seed), quiet=True)
        generated = time.perf_counter() - started
        note = (
            f"{marker}; generator {_generator_hash()}; commit {_commit()}; "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        )
        _psql(base_url, f"COMMENT ON DATABASE \"{name}\" IS '{note}'")
        print(f"  {name}: generated in {generated:.0f} s")
    else:
        print(f"  {name}: reused ({comment})")
        if f"generator {_generator_hash()};" not in comment:
            print(f"  {name}: made by another version of generate_scale (drop it to remake it)")
    _manage(url, "migrate", "--noinput", quiet=True)
    return url, generated


def analyze(url: str) -> None:
    """Fresh planner statistics: COPY leaves none, and autovacuum may not have come by yet
    (a production database has them; without them the plans, the floors' too, are guesses)."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(f"  ANALYZE: {time.perf_counter() - started:.1f} s")


def refresh(url: str, outcomes: bool) -> None:
    """With ``outcomes``, ``refresh_outcomes`` where it exists (``migrate`` already fills the
    outcome table when it is empty, and generate_scale and the writes keep it current: a full
    refresh at 1 M persons takes minutes); then ``ANALYZE``."""
    if outcomes and _has_command(url, "refresh_outcomes"):
        started = time.perf_counter()
        _manage(url, "refresh_outcomes", quiet=True)
        print(f"  refresh_outcomes: {time.perf_counter() - started:.1f} s")
    analyze(url)


def measure_in_child(url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    command = [
        sys.executable,
        __file__,
        "--measure",
        path,
        "--repeat",
        str(args.repeat),
        "--warmup",
        str(args.warmup),
        "--budget",
        str(args.budget),
    ]
    if args.only:
        command += ["--only", args.only]
    subprocess.run(command, env=env, check=True)  # noqa: S603
    try:
        return json.loads(Path(path).read_text())
    finally:
        Path(path).unlink()


# --- the measuring child (Django set up on one database) -------------------------------------


@dataclass
class Fixtures:
    users: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Page:
    key: str
    title: str
    username: str
    url: Callable[[Fixtures], str]
    # The SQL (named parameters from Fixtures.values), or a function of the tables present.
    floor: str | Callable[[set[str]], str]
    post: Callable[[Fixtures], dict[str, str]] | None = None


def _one(sql: str, params: list[Any]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"no row for fixture query: {sql.split()[0:8]}")
    return row


def fixtures() -> Fixtures:
    """The users and the objects the pages open, found the same way at every size."""
    from django.db import connection

    fx = Fixtures()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT username, id, organisation_id FROM accounts_user WHERE username LIKE 'demo%%'"
        )
        for username, pk, org in cursor.fetchall():
            fx.users[username] = pk
            fx.values[f"org:{username}"] = org
    v = fx.values
    mediator = fx.users["demo_mediator"]
    v["mediator"], v["mediator_org"] = mediator, v["org:demo_mediator"]
    # The mediator's first active trajectory (lowest id) and its person.
    traj_id, traj_public, person_id, person_public, insz = _one(
        "SELECT t.id, t.public_id, p.id, p.public_id, p.insz FROM trajectories_trajectory t "
        "JOIN registry_person p ON p.id = t.person_id "
        "WHERE t.lead_mediator_id = %s AND t.status = 'active' AND p.insz IS NOT NULL "
        "ORDER BY t.id LIMIT 1",
        [mediator],
    )
    v.update(
        trajectory=traj_id,
        trajectory_public=str(uuid.UUID(str(traj_public))),  # SQLite gives the hex digits
        person=person_id,
        person_public=str(uuid.UUID(str(person_public))),
        insz=insz,
    )
    v["welfare_org"] = v["org:demo_welfare_partner"]
    v["coach"] = fx.users["demo_group_coach"]
    v["coach_org"] = v["org:demo_group_coach"]
    coach_the_groups(v["coach"])
    # The coach's group with the most participants (then the lowest id).
    (v["intake"],) = _one(
        "SELECT e.intake_id FROM groupwork_enrolment e "
        "JOIN groupwork_module m ON m.id = e.module_id "
        "JOIN groupwork_programme_coaches c ON c.programme_id = m.programme_id "
        "WHERE e.intake_id IS NOT NULL AND c.user_id = %s "
        "GROUP BY e.intake_id ORDER BY count(*) DESC, e.intake_id LIMIT 1",
        [v["coach"]],
    )
    # The project with the most participants (trajectories in it, group-work enrolments).
    v["project"], v["project_code"] = _one(
        "SELECT p.id, p.code FROM programmes_project p JOIN ("
        " SELECT project_id FROM trajectories_trajectory WHERE project_id IS NOT NULL"
        " UNION ALL SELECT g.project_id FROM groupwork_enrolment e"
        " JOIN groupwork_module m ON m.id = e.module_id"
        " JOIN groupwork_programme g ON g.id = m.programme_id) x ON x.project_id = p.id"
        " GROUP BY p.id, p.code ORDER BY count(*) DESC, p.id LIMIT 1",
        [],
    )
    v["dpo_org"] = v["org:demo_data_protection_officer"]
    v["today"] = dt.date.today()
    v["month_start"] = v["today"].replace(day=1)
    v["year_ago"] = v["today"] - dt.timedelta(days=365)
    v["search_text"] = "peeters"
    v["search_like"] = "%peeters%"
    return fx


def coach_the_groups(user_id: int) -> None:
    """generate_scale makes the group-work programme without coaches: the demo coach is made
    one (as the demo does), so the group pages have a coach to open them."""
    from django.db.models import Count

    from tandem.groupwork.models import Programme

    if Programme.objects.filter(coaches=user_id).exists():
        return
    busiest = (
        Programme.objects.annotate(n=Count("modules__enrolments")).order_by("-n", "pk").first()
    )
    if busiest is not None:
        busiest.coaches.add(user_id)
        print(f"    (demo_group_coach made a coach of programme {busiest.pk}, as the demo does)")


def login(client: Any, user_id: int) -> None:
    """Log in as production would: a session in the database and a confirmed second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tandem.accounts.models import User

    user = User.objects.get(pk=user_id)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, name="bench").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _time_floor(
    sql: str, params: dict[str, Any], repeat: int, warmup: int, budget: float
) -> tuple[list[float], int]:
    """The floor's query timed like the page: warm-up, then ``repeat`` runs (fewer when they
    would take more than ``budget`` seconds); the milliseconds and the rows it returned."""
    from django.db import connection

    times: list[float] = []
    first = 0.0
    with connection.cursor() as cursor:
        for _ in range(max(warmup, 1)):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            first = time.perf_counter() - started
        for _ in range(min(repeat, max(1, int(budget / max(first, 1e-6))))):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times, len(rows)


def run_pages(
    pages: list[Page],
    repeat: int,
    warmup: int,
    budget: float,
    progress: Callable[[list[dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """Measure ``pages``; ``progress`` gets the results so far after each page (a run cut
    short keeps what it measured)."""
    from django.db import DatabaseError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    fx = fixtures()
    tables = set(connection.introspection.table_names())
    clients: dict[str, Any] = {}
    results = []
    for page in pages:
        row: dict[str, Any] = {"key": page.key, "title": page.title, "role": page.username}
        try:
            url = page.url(fx)
        except LookupError as exc:
            row.update(status=None, error=str(exc))
            results.append(row)
            continue
        if page.username not in clients:
            client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="nl")
            clients[page.username] = client
            login(clients[page.username], fx.users[page.username])
        client = clients[page.username]
        data = page.post(fx) if page.post else None

        def request(client: Any = client, url: str = url, data: Any = data) -> Any:
            return client.post(url, data) if data is not None else client.get(url)

        counts = []
        status = None
        for _ in range(max(warmup, 1)):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = request()
                first = time.perf_counter() - started
            counts.append(len(captured))
            status = response.status_code
            sql = [q["sql"][:300] for q in captured.captured_queries]
        times: list[float] = []
        spent = 0.0
        # ``repeat`` requests, fewer when they would take more than ``budget`` seconds.
        wanted = min(repeat, max(1, int(budget / max(first, 1e-6))))
        while len(times) < wanted:
            started = time.perf_counter()
            response = request()
            elapsed = time.perf_counter() - started
            times.append(elapsed * 1000)
            spent += elapsed
            if response.status_code != 200:
                status = response.status_code
        # The count once more, after the timed requests: a page's count is its steady one (the
        # first request of a session may do more, e.g. a notification check being set up).
        with CaptureQueriesContext(connection) as captured:
            request()
        counts.append(len(captured))
        row.update(
            url=url if data is None else f"POST {url}",
            status=status,
            bytes=len(response.content),
            queries=counts[-1],
            query_counts=counts,
            queries_vary=len(set(counts[1:])) > 1,
            samples=len(times),
            p50=statistics.median(times),
            p95=_pct(times, 95),
            sql=sql,
        )
        # The floor: the hand-written query, timed the same way.
        floor = page.floor if isinstance(page.floor, str) else page.floor(tables)
        try:
            floor_times, floor_rows = _time_floor(floor, fx.values, repeat, warmup, budget)
        except DatabaseError as exc:
            row.update(floor_p50=None, ratio=None, floor_error=str(exc).split("\n")[0])
            print(f"    {page.key:<22} floor failed: {row['floor_error']}", flush=True)
            results.append(row)
            continue
        row.update(floor_p50=statistics.median(floor_times), floor_rows=floor_rows)
        row["ratio"] = row["p50"] / row["floor_p50"] if row["floor_p50"] else None
        results.append(row)
        if progress is not None:
            progress(results)
        print(
            f"    {page.key:<22} {status} {row['p50']:9.1f} ms p50 {row['p95']:9.1f} ms p95 "
            f"{row['queries']:3d} q  floor {row['floor_p50']:8.2f} ms",
            flush=True,
        )
    return results


def child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.pages import PAGES

    assert not settings.DEBUG, "measured without DEBUG"
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise's warning
    pages = [p for p in PAGES if not args.only or p.key in args.only.split(",")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_person")
        (persons,) = cursor.fetchone()
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()

    def save(results: list[dict[str, Any]]) -> None:
        Path(args.measure).write_text(
            json.dumps(
                {"persons": persons, "postgresql": version, "pages": results},
                default=str,
                indent=1,
            )
        )

    save(run_pages(pages, args.repeat, args.warmup, args.budget, progress=save))
    return 0


# --- the report ----------------------------------------------------------------------------


def verdicts(big: dict[str, Any], small: dict[str, Any] | None) -> list[str]:
    """Mark every page of ``big`` with its misses; return the lines of the summary."""
    small_counts = {p["key"]: p.get("queries") for p in (small or {}).get("pages", [])}
    misses = []
    for page in big["pages"]:
        fails = []
        if page.get("status") != 200:
            fails.append(f"status {page.get('status')} {page.get('error', '')}".strip())
        else:
            if page.get("floor_error"):
                fails.append(f"floor failed: {page['floor_error']}")
            elif page["ratio"] is not None and page["ratio"] > GOAL_RATIO:
                fails.append(f"{page['ratio']:.1f}× its floor (goal ≤ {GOAL_RATIO:.0f}×)")
            if page["queries"] > GOAL_QUERIES:
                fails.append(f"{page['queries']} queries (goal ≤ {GOAL_QUERIES})")
            if small is not None:
                at_small = small_counts.get(page["key"])
                page["queries_small"] = at_small
                if at_small != page["queries"]:
                    fails.append(
                        f"{at_small} queries at {small['persons']:,} persons, "
                        f"{page['queries']} at {big['persons']:,}"
                    )
            if page.get("queries_vary"):
                fails.append("query count varies between requests")
        page["fails"] = fails
        page["verdict"] = "FAIL" if fails else "PASS"
        misses += [f"  {page['key']}: {f}" for f in fails]
    return misses


def print_table(big: dict[str, Any], small: dict[str, Any] | None) -> None:
    header = (
        f"{'page':<22} {'role':<30} {'p50 ms':>9} {'p95 ms':>9} {'q':>3} "
        f"{'q@small':>7} {'floor ms':>9} {'ratio':>6}  verdict"
    )
    print(header)
    print("-" * len(header))
    for p in big["pages"]:
        if p.get("status") != 200:
            print(
                f"{p['key']:<22} {p['role']:<30} FAIL status {p.get('status')} {p.get('error', '')}"
            )
            continue
        ratio = f"{p['ratio']:.1f}" if p["ratio"] is not None else "-"
        q_small = p.get("queries_small")
        print(
            f"{p['key']:<22} {p['role']:<30} {p['p50']:9.1f} {p['p95']:9.1f} {p['queries']:3d} "
            f"{'' if q_small is None else q_small:>7} {p['floor_p50'] or 0:9.2f} {ratio:>6}  "
            f"{p['verdict']}"
        )


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "load": os.getloadavg()}
    try:
        meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
        info["ram_gb"] = round(int(meminfo[1]) / 1024 / 1024, 1)
    except (OSError, IndexError, ValueError):
        pass
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--persons", type=int, default=int(os.environ.get("BENCH_PERSONS", "1000000"))
    )
    parser.add_argument("--small", type=int, default=10_000, help="0: no second size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds of timed requests per page at most"
    )
    parser.add_argument("--only", default="", help="comma-separated page keys")
    parser.add_argument("--database-url", default="", help="measure this database as it is")
    parser.add_argument(
        "--no-generate", action="store_true", help="use the tandem_bench_<N> databases as they are"
    )
    parser.add_argument(
        "--reuse-small",
        action="store_true",
        help="take the small size's counts from var/bench/pages-<small>.json when there",
    )
    parser.add_argument(
        "--refresh-outcomes", action="store_true", help="run refresh_outcomes before measuring"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    if args.measure:
        return child(args)

    base = os.environ.get("TANDEM_BENCH_DATABASE_URL", DEFAULT_URL)
    started = time.perf_counter()
    load_before = os.getloadavg()
    small = None
    if args.database_url:
        url = args.database_url
        _manage(url, "migrate", "--noinput", quiet=True)
        refresh(url, args.refresh_outcomes)
        generated = None
    else:
        earlier = ROOT / "var" / "bench" / f"pages-{args.small}.json"
        if args.small and args.reuse_small and earlier.exists():
            small = json.loads(earlier.read_text())
            print(
                f"== pages at {args.small:,} persons: {earlier.relative_to(ROOT)} (--reuse-small)"
            )
        elif args.small:
            small_url, _ = ensure_database(
                base, args.small, args.seed, may_generate=not args.no_generate
            )
            refresh(small_url, args.refresh_outcomes)
            print(f"== pages at {args.small:,} persons")
            small = measure_in_child(small_url, args)
            _write_report(small, None, args, None, time.perf_counter() - started, load_before)
        url, generated = ensure_database(
            base, args.persons, args.seed, may_generate=not args.no_generate
        )
        refresh(url, args.refresh_outcomes)
    print(
        f"== pages at {'the given database' if args.database_url else f'{args.persons:,} persons'}"
    )
    big = measure_in_child(url, args)
    misses = verdicts(big, small)
    print()
    print(
        f"Pages at {big['persons']:,} persons (PostgreSQL {big['postgresql']}; "
        f"{args.repeat} requests each after {args.warmup} warm-up; floor = one hand-written query)"
    )
    print_table(big, small)
    _write_report(big, small, args, generated, time.perf_counter() - started, load_before)
    if misses:
        print(f"Goals missed ({len(misses)}):")
        print("\n".join(misses))
        return 1 if args.strict else 0
    print("Every page meets its goals.")
    return 0


def _write_report(
    big: dict[str, Any],
    small: dict[str, Any] | None,
    args: argparse.Namespace,
    generated: float | None,
    seconds: float,
    load_before: tuple[float, float, float],
) -> dict[str, Any]:
    """var/bench/pages-<persons>.json: the figures, the machine and the run."""
    report = {
        "persons": big["persons"],
        "small_persons": small["persons"] if small else None,
        "postgresql": big["postgresql"],
        "commit": _commit(),
        "when": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "machine": {**machine(), "load_before": load_before},
        "generated_seconds": generated,
        "total_seconds": seconds,
        "repeat": args.repeat,
        "pages": big["pages"],
    }
    out = ROOT / "var" / "bench" / f"pages-{big['persons']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, default=str, indent=1))
    print(f"\nwritten: {out.relative_to(ROOT)}; {seconds:.0f} s in all")
    return report


if __name__ == "__main__":
    sys.exit(main())
