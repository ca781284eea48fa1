"""bench/bench_pages.py's page list (issue 20) on a small generated region: every page opens
for the role the bench opens it as, and on PostgreSQL every floor runs and returns rows. No
timing here: the figures are the bench's (docs/benchmarks.md, "Pages at scale")."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.bench_pages import fixtures, login
from bench.pages import PAGES
from tandem.demo.scale.generate import generate

pytestmark = pytest.mark.django_db


def test_every_page_of_the_bench_opens_and_every_floor_runs() -> None:
    generate(persons=300, seed=2026, write=io.StringIO().write)
    call_command("refresh_outcomes", stdout=io.StringIO())  # as the bench does before measuring
    fx = fixtures()
    tables = set(connection.introspection.table_names())
    clients: dict[str, Client] = {}
    failed = []
    for page in PAGES:
        if page.username not in clients:
            clients[page.username] = Client(raise_request_exception=False)
            login(clients[page.username], fx.users[page.username])
        client = clients[page.username]
        url = page.url(fx)
        response = client.post(url, page.post(fx)) if page.post else client.get(url)
        if response.status_code != 200:
            failed.append((page.key, response.status_code))
        if connection.vendor == "postgresql":
            sql = page.floor if isinstance(page.floor, str) else page.floor(tables)
            with connection.cursor() as cursor:
                cursor.execute(sql, fx.values)
                if not cursor.fetchall():
                    failed.append((page.key, "floor returned no rows"))
    assert failed == []
    assert len({p.key for p in PAGES}) == len(PAGES)
