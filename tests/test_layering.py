"""The layering of Tandem's code, checked on every ``make test`` (issue 15, item 8).

Two orders, read from the imports of every module under ``tandem/`` (migrations aside):

* **Kinds**, bottom to top: *core* (models, rules, exceptions, events, pure computations and
  the shared helpers in ``common``) → *access* (``tandem.access``: who may see and do what) →
  *selectors/services* (reads and writes, and every other module that does work) → *views*
  (views, urls, forms, panels, admin, template tags, management commands, middleware) → *top*
  (the apps ``reporting``, ``privacy``, ``home`` and ``demo``). A module may import its own kind
  or a lower one, never a higher one: a model never imports a selector, a service never a view.
* **Apps**, bottom to top: ``APP_ORDER``. A lower app may import a higher app's core (its models
  and rules: Django models refer to each other), never its selectors, services, views or demo
  code. What a low page shows of a higher app comes through page panels
  (``tandem/common/panels.py``), what a low app's person data adds to the subject-access export
  through ``<app>/privacy.py``, both discovered at start-up.

An app split into sub-domains uses sub-packages (``network/referrals/views.py``), never file-name
suffixes (``views_referral.py``): the last test keeps it so.

``python -m tests.test_layering`` prints the violations of the tree as it stands.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tandem"

APP_ORDER = [
    "audit",  # the one audit write path: models, the event registry, audit_event_record
    "common",  # shared helpers: disclosure, exports, dates, text, transitions, panels, flows
    "accounts",
    "access",
    # notifications (issue 18): right above access, so every app's services may call notify
    "notifications",
    # calls and projects: figures only, no person data; below every app whose work a call funds
    "programmes",
    "registry",
    "screening",
    "trajectories",
    "network",
    "groupwork",
    "outreach",
    "outcomes",
    # the top of the stack: nothing below imports them
    "reporting",
    "privacy",
    "home",
    # the partner API (issue 19): calls the services and selectors of the apps below
    "api",
    "demo",
]
TOP_APPS = {"reporting", "privacy", "home", "api", "demo"}

CORE, ACCESS, LOGIC, WEB, TOP = range(5)
KIND_NAMES = {
    CORE: "core",
    ACCESS: "access",
    LOGIC: "selectors/services",
    WEB: "views",
    TOP: "top of the stack",
}

# Module names (any part below the app) that make a module a view-level one.
WEB_NAMES = ("views", "urls", "forms", "panels", "admin", "admin_site", "decorators")
WEB_EXACT = {"middleware", "context_processors", "errors", "apps", "flows", "templatetags"}
WEB_PACKAGES = {"templatetags", "management"}
LOGIC_NAMES = ("services", "selectors")
# Core: data and pure rules. Everything else that is not named here does work (reads or writes)
# and counts as selectors/services.
CORE_NAMES = {
    "states",
    "models",
    "rules",
    "exceptions",
    "validators",
    "validation",
    "insz",
    "defaults",
    "default_signals",
    "events",
    "formats",
    "nl",
    "en",
    "text",
    "dates",
    "svg",
    "disclosure",
    "exports",
    "pdf",
    "django_words",
    "request_id",
    "csp",
    "household",
    "indicators",
    "spec",
    "domains",
}

SUFFIXED = re.compile(
    r"^(views|services|selectors|forms|urls|panels|demo|importing|rules|models|export)_\w+$"
)


def module_kind(module: str) -> int:
    parts = module.split(".")
    app = parts[1] if len(parts) > 1 else ""
    if app in TOP_APPS:
        return TOP
    if app == "access":
        return ACCESS
    below = parts[2:]
    if any(p in WEB_PACKAGES for p in below):
        return WEB
    for part in below:
        if part in WEB_EXACT or part.startswith(WEB_NAMES):
            return WEB
        if part.startswith(LOGIC_NAMES):
            return LOGIC
    if not below or any(p in CORE_NAMES or p.endswith("_rules") for p in below):
        return CORE
    return LOGIC


def project_sources(root: Path = ROOT) -> dict[str, str]:
    """Module name → source for every module of the project (migrations aside)."""
    sources = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(root.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")] + ".__init__"
        sources[name] = path.read_text()
    return sources


def _package_of(module: str) -> str:
    return module[: -len(".__init__")] if module.endswith(".__init__") else module.rsplit(".", 1)[0]


def _plain(module: str) -> str:
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


def imports_of(module: str, source: str, known: set[str]) -> set[str]:
    """The project modules ``module`` imports (resolved to the longest known module name)."""

    def resolve(target: str) -> str | None:
        parts = target.split(".")
        while parts:
            if ".".join(parts) in known:
                return ".".join(parts)
            parts.pop()
        return None

    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = _package_of(module).split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            targets += [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        for target in targets:
            if target.startswith("tandem."):
                hit = resolve(target)
                if hit and hit != _plain(module):
                    found.add(hit)
    return found


def violations(sources: Mapping[str, str]) -> list[str]:
    known = {_plain(m) for m in sources}
    problems = []
    for module, source in sources.items():
        me = _plain(module)
        if "." not in me:
            continue  # the package tandem itself
        my_app, my_kind = me.split(".")[1], module_kind(me)
        for target in sorted(imports_of(module, source, known)):
            app, kind = target.split(".")[1], module_kind(target)
            if kind > my_kind and not (app == my_app and kind == my_kind):
                problems.append(
                    f"{me} ({KIND_NAMES[my_kind]}) imports {target} ({KIND_NAMES[kind]}): "
                    "a module never imports a higher kind"
                )
            elif (
                app != my_app
                and kind >= LOGIC
                and app in APP_ORDER
                and my_app in APP_ORDER
                and APP_ORDER.index(app) > APP_ORDER.index(my_app)
            ):
                problems.append(
                    f"{me} (app {my_app}) imports {target} ({KIND_NAMES[kind]} of the higher app "
                    f"{app}): use a page panel, a privacy section or move the code up"
                )
    return sorted(set(problems))


def apps_in(root: Path = ROOT) -> set[str]:
    return {p.parent.name for p in root.glob("*/apps.py")}


def suffixed_modules(modules: Iterable[str]) -> list[str]:
    return sorted(m for m in modules if SUFFIXED.match(_plain(m).rsplit(".", 1)[-1]))


# --- the checks ---------------------------------------------------------------------------


def test_every_app_has_its_place_in_the_order():
    assert apps_in() == set(APP_ORDER), "place a new app in APP_ORDER (tests/test_layering.py)"


def test_no_module_imports_a_higher_layer():
    assert violations(project_sources()) == []


def test_sub_domains_are_sub_packages_not_file_name_suffixes():
    assert suffixed_modules(project_sources()) == []


# --- the checker itself can fail ----------------------------------------------------------


def test_the_checker_catches_each_kind_of_violation():
    sources = {
        "tandem.registry.models": "from tandem.registry.selectors import person_get_for\n",
        "tandem.registry.selectors": "from tandem.access.scope import person_queryset_for\n",
        "tandem.registry.views": "from tandem.trajectories.selectors import timeline\n",
        "tandem.trajectories.selectors": "from tandem.registry.models import Person\n",
        "tandem.trajectories.models": "from tandem.network.models import Referral\n",
        "tandem.network.models": "",
        "tandem.access.scope": "from tandem.registry.services import person_create\n",
        "tandem.registry.services": "from ..demo.data import CITIES\n",
        "tandem.demo.data": "from tandem.registry.services import person_create\n",
    }
    found = violations(sources)
    expected_starts = [
        "tandem.registry.models (core) imports tandem.registry.selectors",
        "tandem.access.scope (access) imports tandem.registry.services",
        "tandem.registry.views (app registry) imports tandem.trajectories.selectors",
        "tandem.registry.services (selectors/services) imports tandem.demo.data (top",
    ]
    for start in expected_starts:
        assert any(v.startswith(start) for v in found), start
    # Allowed: a selector reading models of a lower app, models referring to a higher app's
    # models, the top of the stack calling services.
    assert not any(v.startswith(("tandem.trajectories.", "tandem.demo.")) for v in found)
    assert len(found) == 4


def test_the_kinds_of_familiar_modules():
    kinds = {
        "tandem.network.models.referral": CORE,
        "tandem.trajectories.jobcoaching.rules": CORE,
        "tandem.access.scope": ACCESS,
        "tandem.network.referrals.selectors": LOGIC,
        "tandem.outcomes.importing.csv": LOGIC,
        "tandem.groupwork.figures.views": WEB,
        "tandem.network.templatetags.network_tags": WEB,
        "tandem.network.management.commands.hsds_export": WEB,
        "tandem.demo.management.commands.seed_demo": TOP,
    }
    assert {m: module_kind(m) for m in kinds} == kinds


def test_suffixes_are_caught():
    modules = ["tandem.network.views_referral", "tandem.network.referrals.views"]
    assert suffixed_modules(modules) == ["tandem.network.views_referral"]


if __name__ == "__main__":
    for line in violations(project_sources()):
        print(line)
    for module in suffixed_modules(project_sources()):
        print("suffixed:", module)
