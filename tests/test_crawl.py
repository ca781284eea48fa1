"""Every demo login follows every link it can reach: no server error, no dead link.

For each of the ten demo logins (``demo_<role>``, seeded by ``seed_demo``) the crawl logs in
through the login form (two-factor is off in the test settings, as in the demo), starts at the
home page and follows, breadth first, every same-site link (``<a href>``), every GET form sent
as it stands (a search or filter with its defaults) and every redirect. HTML pages are read for
more links; downloads (CSV, XLSX, PDF, …) are fetched in full but not read. Nothing is skipped
but static files: a GET must never change state, and the crawl checks that the login survives.

To stay within a minute or two, a kind of page is visited at most ``PER_KIND`` times: a URL's
kind is its path with ids and numbers as placeholders (the query does not count: another page,
order or filter of a list is the same kind). Which pages of a kind are visited is fixed by the
order of the links, so a run is repeatable. The demo data of two seeds are crawled, since
crashes hide in the data: one in three duo trajectories once crashed the trajectory page for
the welfare partner, which seed 1 shows here. The figures (pages per login, time) are printed
in every run.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.demo.organisations import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SEEDS = (1, 2)
PERSONS = 80
# Pages of one kind (see kind_of): five people's files, five trajectories, … For a deeper run:
# TANDEM_CRAWL_PER_KIND=1000 TANDEM_CRAWL_PER_ADMIN_KIND=20 pytest tests/test_crawl.py -s
PER_KIND = int(os.environ.get("TANDEM_CRAWL_PER_KIND", "5"))
# Django's admin draws every model's pages with the same code.
PER_ADMIN_KIND = int(os.environ.get("TANDEM_CRAWL_PER_ADMIN_KIND", "2"))
PER_DOWNLOAD_KIND = 1  # a PDF or spreadsheet is slow to make and not read
PAGE_BUDGET = 5000  # per login and seed: a safety stop, far above what the demo reaches
SKIP_PREFIXES = ("/static/", "/media/")

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HEX = re.compile(r"^[0-9a-f]{16,}$", re.I)
_NUMBER = re.compile(r"^-?\d+([.,-]\d+)*$")


class _Links(HTMLParser):
    """The ``<a href>`` targets of a page, and its GET forms as submitted unchanged (a search
    or filter form sent with what it holds: its defaults, as a user pressing its button)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "form":
            get = a.get("method", "get").lower() == "get"
            self._form = (a.get("action", ""), []) if get else None
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form[1].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = (a["name"], [], [])
        elif tag == "textarea":
            self._form[1].append((a["name"], ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            if selected or options:
                self._form[1].append((name, (selected or options)[0]))
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            self.hrefs.append(f"{action.split('?')[0]}?{urlencode(fields)}" if fields else action)
            self._form = None


def links_of(html: str, base: str) -> list[str]:
    """The same-site URLs (path and query, no fragment) the page links to or sends a GET form
    to."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href.strip()))
        if url.scheme not in ("http", "https") or url.netloc not in ("testserver", ""):
            continue
        if url.path.startswith(SKIP_PREFIXES):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def kind_of(url: str) -> str:
    """What sort of page a URL is: its path with ids and numbers as placeholders, without the
    query (another page, sort order or filter of the same list is the same sort of page)."""
    path = urlsplit(url).path
    return "/".join(
        "{id}" if _UUID.fullmatch(s) or _HEX.match(s) else "{n}" if _NUMBER.match(s) else s
        for s in path.split("/")
    )


@dataclass
class Crawl:
    role: str
    visited: int = 0
    downloads: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _limit(kind: str, download_kinds: set[str]) -> int:
    if kind in download_kinds:
        return PER_DOWNLOAD_KIND
    return PER_ADMIN_KIND if kind.startswith("/admin/") else PER_KIND


def crawl(client: Client, role: str, start: str, also: Sequence[str] = ()) -> Crawl:
    """Breadth first from ``start`` (and ``also``): every same-site link, GET form and redirect,
    within the limits."""
    result = Crawl(role)
    began = time.monotonic()
    queue: deque[str] = deque([start, *also])
    found_on = dict.fromkeys(queue, "(start)")  # the page each URL was first linked from
    download_kinds: set[str] = set()
    while queue and result.visited < PAGE_BUDGET:
        url = queue.popleft()
        kind = kind_of(url)
        if result.kinds[kind] >= _limit(kind, download_kinds):
            continue
        result.kinds[kind] += 1
        response = client.get(url)
        result.visited += 1
        result.statuses[response.status_code] += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            what = f"{exc[0].__name__}: {exc[1]}" if exc else response.reason_phrase
            result.errors.append(f"{response.status_code} {url} — {what} (from {found_on[url]})")
            continue
        if response.status_code >= 400:
            result.refused.append(f"{response.status_code} {url} (from {found_on[url]})")
        if response.status_code in (301, 302, 303, 307, 308):
            targets = links_of(f'<a href="{response["Location"]}">', "http://testserver" + url)
        elif response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode(response.charset or "utf-8", "replace")
            targets = links_of(body, "http://testserver" + url)
        else:  # a download: fetched in full, not read
            result.downloads += 1
            download_kinds.add(kind)
            if response.streaming:
                b"".join(response.streaming_content)
            continue
        for target in targets:
            if target not in found_on:
                found_on[target] = url
                queue.append(target)
    result.seconds = time.monotonic() - began
    return result


def search_results(client: Client) -> list[str]:
    """The person search is a POST form (names stay out of URLs), so no link leads to a person
    found by it: the crawl searches once for the letter e and starts from what it finds too (a
    job coach or an experience expert reaches their people only this way)."""
    url = reverse("registry:person_search")
    if client.get(url).status_code != 200:
        return []
    response = client.post(url, {"text": "e"})
    assert response.status_code == 200, f"the person search answered {response.status_code}"
    return links_of(response.content.decode(), f"http://testserver{url}")


def _log_in(client: Client, role: str) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": f"demo_{role}", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"demo_{role} cannot log in"


@pytest.mark.parametrize("seed", SEEDS)
def test_every_demo_login_reaches_no_server_error_and_no_dead_link(seed, capsys):
    began = time.monotonic()
    call_command("seed_demo", "--seed", str(seed), "--persons", str(PERSONS), stdout=StringIO())
    seeded = time.monotonic() - began
    home = reverse("home:home")
    results = []
    for role in Role.values:
        client = Client(raise_request_exception=False)
        _log_in(client, role)
        result = crawl(client, role, home, also=search_results(client))
        # No GET logged the user out (or changed anything else that ends the session).
        assert client.get(home).status_code == 200, f"demo_{role} was logged out by a GET"
        results.append(result)
    with capsys.disabled():  # the figures, in every run (pytest shows them without -s)
        crawled = sum(r.seconds for r in results)
        print(
            f"\ncrawl of seed_demo --seed {seed} --persons {PERSONS}: seeding {seeded:.1f} s, "
            f"{sum(r.visited for r in results)} pages in {crawled:.1f} s"
        )
        for r in results:
            codes = " ".join(f"{code}×{n}" for code, n in sorted(r.statuses.items()))
            print(
                f"  demo_{r.role:<29}{r.visited:4} pages, {r.downloads:2} downloads, "
                f"{len(r.kinds):3} kinds, {r.seconds:5.1f} s  [{codes}]"
            )
    errors = [f"demo_{r.role}: {e}" for r in results for e in r.errors]
    assert not errors, "Server errors:\n" + "\n".join(errors)
    # A link the page offers must work for whoever it is offered to.
    dead = [f"demo_{r.role}: {e}" for r in results for e in r.refused]
    assert not dead, "Links to a refusal or a missing page:\n" + "\n".join(dead)


def test_the_crawler_reads_links_and_get_forms_of_this_site_only():
    page = (
        '<a href="/x/?a=1#top">x</a><a href="http://example.org/">e</a><a href="mailto:a@b">m</a>'
        '<a href="/static/css/tandem.css">css</a><a href="../y/">y</a>'
        '<form><input name="q"><select name="s"><option value="a">A</option>'
        '<option value="b" selected>B</option></select><input type="checkbox" name="c">'
        '<input type="checkbox" name="d" checked><button name="go">Zoek</button></form>'
        '<form method="post" action="/change/"><input name="z"></form>'
    )
    assert links_of(page, "http://testserver/p/q/") == ["/x/?a=1", "/p/y/", "/p/q/?q=&s=b&d=on"]
    assert kind_of("/persons/3f1c7a52-8d0e-4b7a-9c1e-2a5b6c7d8e9f/?page=2") == "/persons/{id}/"
    assert kind_of("/groupwork/sessions/12/edit/") == "/groupwork/sessions/{n}/edit/"
