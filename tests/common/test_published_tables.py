"""Every published table goes through the one disclosure module, and none gives a hidden
count away (issue 14, "small counts that can be worked out").

``tandem.common.disclosure.PUBLISHERS`` is the register: every page, download and command that
publishes counts of persons registers itself with ``@publishes``. The first test runs every
registered publisher, on every surface (page, CSV, XLSX, PDF, command output), on demo data
small enough that counts of 1 to 4 are everywhere, records each ``protect`` call it makes and
audits it exactly: every declared relation holds on the counts, no small count is shown, and
no hidden cell follows from the shown cells and the totals (Gaussian elimination in fractions).

The second test proves the register complete: every page a programme manager may open (the
role that sees figures but never a person), the home page and every management command is
either registered or listed below with the reason it publishes no count of persons.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import tandem
from tandem.access.capabilities import role_has
from tandem.accounts.models import Role
from tandem.common import disclosure
from tandem.common.disclosure import HIDDEN, PUBLISHERS, audit, recording
from tandem.groupwork.models import Programme
from tandem.programmes.models import Project

pytestmark = pytest.mark.django_db

PERSONS = 60


def _project_urls() -> list[str]:
    urls = []
    for project in Project.objects.order_by("code"):
        url = reverse("reporting:project_indicators", kwargs={"code": project.code})
        urls += [url, f"{url}?format=csv", f"{url}?format=xlsx"]
    return urls


def _report_urls() -> list[str]:
    year = timezone.localdate().year
    urls = []
    for name in ("reporting:report_pdf", "reporting:report_xlsx"):
        for y in (year - 1, year):
            urls.append(f"{reverse(name)}?year={y}")
    return urls


def _figure_urls() -> list[str]:
    url = reverse("groupwork:figures")
    first = Programme.objects.order_by("pk").first()
    urls = [url, f"{url}?format=csv"]
    if first is not None:
        urls.append(f"{url}?programme={first.pk}&format=csv")
    return urls


def _outcome_urls() -> list[str]:
    url = reverse("reporting:outcomes_dashboard")
    return [url, f"{url}?months=12", f"{url}?months=6&by=type"]


def _funnel_urls() -> list[str]:
    url = reverse("outreach:funnel")
    start = timezone.localdate() - dt.timedelta(days=365)
    return [url, f"{url}?start={start.isoformat()}"]


def _outcomes_report() -> None:
    for by in ("", "type", "gender,province", "group_work"):
        for fmt in ("json", "csv"):
            call_command("outcomes_report", "--by", by, "--format", fmt, stdout=StringIO())


def _check_data_quality() -> None:
    for fmt in ("text", "json"):
        with pytest.raises(SystemExit):  # the demo has findings: exit code 1
            call_command("check_data_quality", "--format", fmt, stdout=StringIO())


def _api(path: str, urls: Callable[[], list[str]]) -> Callable[[], None]:
    """An API publisher (tandem.api.aggregates): its URLs read with an aggregates:read token."""

    def run() -> None:
        from rest_framework.test import APIClient

        from tandem.accounts.models import Organisation
        from tests.api.helpers import api_client_for

        organisation = Organisation.objects.order_by("pk").first()
        _client, token = api_client_for(
            organisation, role=Role.MEDIATOR, scopes=["aggregates:read"], name=f"Tables {path}"
        )
        for url in urls():
            response = APIClient().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200, url

    return run


# How to run each registered publisher: the URLs of its surfaces, or a function.
SCENARIOS: dict[str, Callable[[], list[str]] | Callable[[], None]] = {
    "tandem.reporting.views.project_indicators_view": _project_urls,
    "tandem.reporting.views.programme_dashboard": lambda: [
        reverse("reporting:programme_dashboard")
    ],
    "tandem.home.views.home": lambda: [reverse("home:home")],
    "tandem.groupwork.figures.views.group_work_figures_view": _figure_urls,
    "tandem.outreach.views.funnel_view": _funnel_urls,
    "tandem.network.referrals.views.referral_figures": lambda: [
        reverse("network:referral_figures"),
        reverse("network:referral_figures") + "?from=2000-01-01&to=2035-12-31&format=csv",
    ],
    "tandem.reporting.outcomes_dashboard.dashboard": _outcome_urls,
    "tandem.reporting.yearly_report.views.report_pdf": lambda: _report_urls()[:2],
    "tandem.reporting.yearly_report.views.report_xlsx": lambda: _report_urls()[2:],
    "tandem.reporting.management.commands.outcomes_report.Command.handle": _outcomes_report,
    "tandem.outcomes.quality.views.quality": lambda: [reverse("outcomes:quality")],
    "tandem.programmes.views.project_detail": lambda: [
        reverse("programmes:project_detail", kwargs={"code": code})
        for code in Project.objects.order_by("code").values_list("code", flat=True)
    ],
    "tandem.outcomes.management.commands.check_data_quality.Command.handle": _check_data_quality,
    "tandem.api.aggregates.views.Outflow.get": _api(
        "outflow",
        lambda: [
            "/api/v1/aggregates/outflow/",
            "/api/v1/aggregates/outflow/?months=12&by=province",
            "/api/v1/aggregates/outflow/?months=6&by=group_work",
        ],
    ),
    "tandem.api.aggregates.views.EsfIndicators.get": _api(
        "esf",
        lambda: [
            f"/api/v1/aggregates/projects/{pk}/esf-indicators/"
            for pk in Project.objects.order_by("code").values_list("pk", flat=True)
        ],
    ),
    "tandem.api.aggregates.views.ReferralFigures.get": _api(
        "referral figures",
        lambda: [
            "/api/v1/aggregates/referrals/",
            "/api/v1/aggregates/referrals/?date_from=2000-01-01&date_to=2035-12-31",
        ],
    ),
    "tandem.api.aggregates.views.GroupWork.get": _api(
        "group work", lambda: ["/api/v1/aggregates/group-work/"]
    ),
}

# Pages a programme manager may open that publish no count of persons, and why.
NOT_PUBLISHING = {
    "tandem.programmes.views.call_list": "calls and projects: euro amounts and targets "
    "(planned numbers, not counts of persons), projects in Tandem (counts of projects)",
    "tandem.programmes.funding.views.funding_exception_create": "a form",
    "tandem.groupwork.views.programme_list": "the group-work catalogue: programmes and how "
    "many modules they have",
    "tandem.groupwork.views.programme_detail": "the catalogue a mediator places people from: "
    "each module's free places in its next group and its waiting-list length must be exact to "
    "enrol someone; they carry nothing about the people but that they wait or take part",
    "tandem.groupwork.views.module_create": "a form",
    "tandem.groupwork.views.module_edit": "a form",
    "tandem.groupwork.enrolment.views.intake_create": "a form",
    "tandem.groupwork.enrolment.views.session_edit": "a form",
}

# Management commands that publish no count of persons from Tandem's data, and why.
COMMANDS_NOT_PUBLISHING = {
    "send_digests": "e-mails each user the count of their own unread notifications per kind: "
    "their own inbox, no figures about persons",
    "enrolment_code": "prints one user's one-time enrolment code for the operator; no figures",
    "migrate": "Django's migrate, connecting as the database owner when one is set",
    "db_roles": "prints or applies the database grants; no figures",
    "apply_retention": "deletes what is past its retention period; prints what it removed",
    "seed_demo": "builds the demo data",
    "refresh_outcomes": "rebuilds the derived outcome table (issue 20); prints only how many "
    "rows it wrote, the figures are published by outcomes_report and the pages",
    "generate_scale": "generates synthetic data at scale (refused with production settings); "
    "prints the rows it wrote per table and its speed, no figures about persons",
    "hsds_export": "the services directory (organisations and services, no persons)",
    "hsds_import": "the services directory",
    "import_status": "imports labour-market status events; reports rows read and refused",
    "import_trajectories": "imports legacy trajectories; reports rows read and refused",
    "indicators": "poverty threshold and rate of a CSV the operator supplies and already "
    "holds row by row (survey microdata); it reads nothing from Tandem's database",
}


@pytest.fixture
def demo(django_db_blocker):
    call_command("seed_demo", "--seed", "3", "--persons", str(PERSONS), stdout=StringIO())


def _run(client: Client, scenario: Callable[[], object]) -> list[bytes]:
    """Run one scenario; return what its pages and downloads sent."""
    urls = scenario()
    bodies = []
    for url in urls or []:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content)
    return bodies


def test_every_published_table_hides_what_could_be_worked_out(demo, client):
    from tandem.accounts.models import User

    client.force_login(User.objects.get(username="demo_programme_manager"))
    _import_every_publisher()
    assert set(PUBLISHERS) == set(SCENARIOS), "a registered publisher without a scenario"
    hidden_total = tables_total = 0
    for name in sorted(PUBLISHERS):
        with recording() as calls:
            bodies = _run(client, SCENARIOS[name])
        # Every protect call was made inside a registered publisher: its own.
        assert calls, f"{name} published no table under disclosure control"
        assert {c.publisher for c in calls} == {name}
        for call in calls:
            finding = audit(call)
            assert not finding, f"{name}: {finding}"
            tables_total += 1
            hidden_total += len(call.hidden)
        # One mark everywhere: the old "<5" is gone from every page and download.
        for body in bodies:
            assert b"&lt;5" not in body and b'"<5"' not in body and b",<5," not in body
    # The demo's small counts did make the control work (the test is not vacuous).
    assert tables_total >= len(PUBLISHERS) and hidden_total > 0


def test_the_audit_finds_what_a_single_pass_misses():
    """The audit is exact: it finds a hidden cell that several sums pin down together."""
    cells = {"a": 10, "b": 2, "c": 8, "t": 20}
    relations = [disclosure.Relation("t", ("a", "b", "c"))]
    leaky = disclosure.Protection("", cells, relations, set(), {"b"}, 5)
    assert audit(leaky).derivable == ["b"]
    protected = disclosure.Protection(
        "", cells, relations, set(), disclosure.protect(cells, relations), 5
    )
    assert not audit(protected)
    wrong = disclosure.Protection("", {**cells, "t": 21}, relations, set(), {"b", "c"}, 5)
    assert audit(wrong).false_relations == relations
    shown_small = disclosure.Protection("", cells, relations, set(), set(), 5)
    assert audit(shown_small).small_shown == ["b"]


def _commands() -> Iterator[tuple[str, object]]:
    """Every management command of Tandem: its name and its module (imported)."""
    root = Path(tandem.__file__).parent
    for app in sorted(root.iterdir()):
        folder = app / "management" / "commands"
        if folder.is_dir():
            package = f"tandem.{app.name}.management.commands"
            for info in pkgutil.iter_modules([str(folder)]):
                yield info.name, importlib.import_module(f"{package}.{info.name}")


def _import_every_publisher() -> None:
    """Registration happens on import: import every page's module and every command."""
    list(_views())
    list(_commands())


# --- the register is complete ------------------------------------------------------------------


def _views() -> Iterator[tuple[str, object]]:
    def walk(patterns: list) -> Iterator[object]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p.callback

    for view in walk(get_resolver().url_patterns):
        if view.__module__.startswith("tandem."):
            yield f"{view.__module__}.{view.__qualname__}", view
        cls = getattr(view, "cls", None)  # an API view (DRF): registered by its method
        if cls is not None and cls.__module__.startswith("tandem."):
            method = getattr(cls, "get", None)
            if method is not None and getattr(method, "publishes", None):
                yield f"{cls.__module__}.{cls.__qualname__}.get", method


def test_every_page_with_figures_is_registered():
    checked = set()
    for name, view in _views():
        capability = getattr(view, "capability", None)  # set by @capability_required
        open_to_manager = capability is not None and role_has(Role.PROGRAMME_MANAGER, capability)
        if not open_to_manager and name != "tandem.home.views.home":
            continue
        checked.add(name)
        registered = getattr(view, "publishes", None)
        assert registered == name or name in NOT_PUBLISHING, (
            f"{name} is open to programme managers but neither registered with "
            "@disclosure.publishes nor listed in NOT_PUBLISHING with a reason"
        )
    assert set(NOT_PUBLISHING) <= checked, "NOT_PUBLISHING names a page that is gone"
    # Every registered view is a real page (a command is registered by its handle).
    views = {name for name, _view in _views()}
    assert {n for n in PUBLISHERS if ".management.commands." not in n} <= views


def test_every_command_is_registered_or_excused():
    commands = set()
    for name, module in _commands():
        commands.add(name)
        registered = getattr(module.Command.handle, "publishes", None)
        assert registered in PUBLISHERS or name in COMMANDS_NOT_PUBLISHING, (
            f"command {name} neither registered with @disclosure.publishes nor excused"
        )
    assert set(COMMANDS_NOT_PUBLISHING) <= commands


def test_the_hidden_mark_is_one_mark():
    assert HIDDEN == "x"
    assert disclosure.shown(3, True) == disclosure.shown(30, True) == HIDDEN
