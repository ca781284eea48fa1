"""Thin views (issue 15, item 7): a view module takes the request, asks a selector or the access
layer for what it shows, hands a posted form to a service through ``tandem.common.flows.submit``
and renders. It builds no query itself and opens no object by id without the user's scope.

Checked (by reading the source, ``ast``) in the view modules of the apps in ``THIN_APPS``, which
is every app that has views (a test keeps it so):

- no ``get_object_or_404`` on a bare model or a ``.objects`` manager (an id is opened through a
  scoped selector, or ``tandem.access.log.open_person`` / ``open_trajectory``);
- no ``.objects`` and no query building (``.filter(``, ``.select_related(``, ...): queries live
  in the app's selectors;
- no hand-written form flow that ``submit`` covers: a ``try`` / ``except ValidationError``
  followed by ``messages.success``, or a valid form → ``messages.success`` → ``redirect``
  written out. The few flows ``submit`` does not fit are listed in ``NOT_FOR_SUBMIT`` with why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "tandem"

# The apps whose views are thin. An entry is an app ("registry") or a sub-package of one
# ("network.referrals").
THIN_APPS = {
    "api",
    "registry",
    "screening",
    "outreach",
    "accounts",
    "trajectories",
    "network",
    "outcomes",
    "groupwork",
    "privacy",
    "programmes",
    "reporting",
    "home",
    "notifications",
}

# Hand-written flows that ``submit`` does not fit, "module:function" -> why. The list only
# shrinks; an entry whose function no longer writes its flow out by hand fails the test.
NOT_FOR_SUBMIT = {
    "tandem.registry.views:person_create": (
        "a possible duplicate (PossibleDuplicate) shows the candidates, logs them as read and "
        "shows the form again with a confirmation box: another form than the one posted"
    ),
    "tandem.registry.views:household_edit": (
        "four forms and formsets saved by two services in one transaction; the service's "
        "refusal is shown above the formsets, not on a form"
    ),
    "tandem.outreach.views:prospect_convert": (
        "a possible duplicate (PossibleDuplicate) is no ValidationError: the candidates are "
        "listed, logged as read and asked about on the form"
    ),
    "tandem.trajectories.plan.views:action_update": (
        "the small status form beside each action on the trajectory page has no room for "
        "errors: a refusal, like an invalid form, comes back as a message and the page is "
        "always shown again at the goal"
    ),
    "tandem.trajectories.plan.views:contact_status": (
        "the small form beside each planned contact (trajectory page, agenda) has no room for "
        "errors, like an action's: a refusal comes back as a message, on the page it came from"
    ),
    "tandem.groupwork.enrolment.views:pop_input_adopt": (
        "a button without a form beside the coach's POP input: a refusal (already in the POP, "
        "no perspective for a first POP) is a message on the participant page; taken in, it "
        "goes on to the POP"
    ),
    "tandem.trajectories.jobcoaching.views:job_coaching_start": (
        "the rules' refusal (JobCoachingRefused, a ValidationError) lists every reason in "
        "plain words above the form, apart from the form's own errors"
    ),
}

# Query building: a view asks a selector instead.
QUERY_METHODS = {
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "order_by",
    "annotate",
    "aggregate",
    "values_list",
    "distinct",
    "get_or_create",
    "update_or_create",
    "bulk_create",
}


@dataclass(frozen=True)
class Finding:
    line: int
    function: str
    what: str

    def __str__(self) -> str:
        where = f" in {self.function}" if self.function else ""
        return f"line {self.line}{where}: {self.what}"


def _is_view_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return any(p == "views" or p.startswith("views_") for p in parts)


def _module_name(path: Path) -> str:
    return ".".join(("tandem", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(
        ".__init__"
    )


def _in_thin_app(module: str) -> bool:
    return any(module.startswith(f"tandem.{app}.") for app in THIN_APPS)


VIEW_MODULES = sorted(p for p in ROOT.rglob("*.py") if _is_view_module(p))
THIN_VIEW_MODULES = [p for p in VIEW_MODULES if _in_thin_app(_module_name(p))]


def _dotted(node: ast.AST) -> str:
    return ast.unparse(node)


def _is_bare_model(node: ast.AST) -> bool:
    """``Person``, ``models.Person`` or ``Person.objects``: a class or its manager, no scope."""
    if isinstance(node, ast.Attribute) and node.attr == "objects":
        return True
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return bool(name) and name[0].isupper()


def _catches_validation_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_dotted(t).split(".")[-1] == "ValidationError" for t in types)


def _calls(node: ast.AST, name: str) -> list[ast.Call]:
    """Calls of ``name(...)`` or ``x.name(...)`` under ``node``."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if (isinstance(func, ast.Name) and func.id == name) or (
                isinstance(func, ast.Attribute) and func.attr == name
            ):
                found.append(sub)
    return found


def _message_success(node: ast.AST) -> list[ast.Call]:
    return [c for c in _calls(node, "success") if _dotted(c.func) == "messages.success"]


def hand_written_flows(tree: ast.Module) -> list[Finding]:
    """Functions that write out the flow ``submit`` covers."""
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or _calls(fn, "submit"):
            continue
        successes = _message_success(fn)
        if not successes:
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Try) and any(
                _catches_validation_error(h) for h in node.handlers
            ):
                after = [c for c in successes if c.lineno > node.lineno]
                if after:
                    found.append(
                        Finding(
                            after[0].lineno,
                            fn.name,
                            "messages.success after a try/except ValidationError: "
                            "use tandem.common.flows.submit",
                        )
                    )
                    break
        else:
            if _calls(fn, "is_valid") and _calls(fn, "redirect"):
                found.append(
                    Finding(
                        successes[0].lineno,
                        fn.name,
                        "a valid form → messages.success → redirect written out: "
                        "use tandem.common.flows.submit",
                    )
                )
    return found


def _function_of(tree: ast.Module) -> dict[int, str]:
    """The innermost function name of each line."""
    owner: dict[int, str] = {}
    functions = [
        n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for fn in sorted(functions, key=lambda f: f.lineno):
        for line in range(fn.lineno, (fn.end_lineno or fn.lineno) + 1):
            owner[line] = fn.name
    return owner


def thick_spots(source: str) -> list[Finding]:
    """What keeps a view module from being thin (empty: nothing)."""
    tree = ast.parse(source)
    owner = _function_of(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "get_object_or_404" and node.args and _is_bare_model(node.args[0]):
                found.append(
                    Finding(
                        line,
                        owner.get(line, ""),
                        f"get_object_or_404({_dotted(node.args[0])}, …) has no scope: "
                        "open it through a scoped selector or tandem.access.log",
                    )
                )
            elif isinstance(func, ast.Attribute) and name in QUERY_METHODS:
                found.append(
                    Finding(line, owner.get(line, ""), f".{name}(…) builds a query: use a selector")
                )
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(
                Finding(
                    line,
                    owner.get(line, ""),
                    f"{_dotted(node)} reaches a model's manager: use a scoped selector",
                )
            )
    return sorted(found, key=lambda f: (f.line, f.what))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def test_every_app_with_views_is_checked():
    apps_with_views = {
        path.relative_to(ROOT).parts[0]
        for path in ROOT.rglob("views.py")
        if "migrations" not in path.parts
    }
    assert apps_with_views - THIN_APPS == set()


def test_the_thin_apps_have_view_modules():
    apps_found = {
        app
        for app in THIN_APPS
        for p in THIN_VIEW_MODULES
        if _module_name(p).startswith(f"tandem.{app}.")
    }
    assert apps_found == THIN_APPS, f"no view module found for {THIN_APPS - apps_found}"


@pytest.mark.parametrize("path", THIN_VIEW_MODULES, ids=_rel)
def test_a_thin_view_builds_no_query_and_opens_nothing_unscoped(path):
    found = thick_spots(path.read_text())
    assert not found, f"{_rel(path)}:\n  " + "\n  ".join(map(str, found))


@pytest.mark.parametrize("path", THIN_VIEW_MODULES, ids=_rel)
def test_a_thin_view_hands_its_forms_to_submit(path):
    module = _module_name(path)
    found = [
        f
        for f in hand_written_flows(ast.parse(path.read_text()))
        if f"{module}:{f.function}" not in NOT_FOR_SUBMIT
    ]
    assert not found, f"{_rel(path)}:\n  " + "\n  ".join(map(str, found))


def test_every_flow_left_out_of_submit_still_exists_and_is_hand_written():
    written = {
        f"{_module_name(p)}:{f.function}"
        for p in THIN_VIEW_MODULES
        for f in hand_written_flows(ast.parse(p.read_text()))
    }
    stale = set(NOT_FOR_SUBMIT) - written
    assert not stale, f"take these off NOT_FOR_SUBMIT (gone, or now using submit): {stale}"


# --- the checker catches what it should, and nothing else ------------------------------------

BAD_VIEW = """
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from . import models, services
from .models import Person


def person_edit(request, public_id):
    person = get_object_or_404(Person, public_id=public_id)
    other = get_object_or_404(models.Person.objects, pk=1)
    rows = Person.objects.all()
    trajectories = person.trajectories.filter(status="open").select_related("lead_mediator")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("registry:person_detail", public_id=person.public_id)
    return render(request, "x.html", {"form": form})


def screening_create(request):
    form = ScreeningForm(request.POST or None)
    if form.is_valid():
        screening = services.screening_conduct(data=form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("screening:screening_detail", public_id=screening.public_id)
    return render(request, "x.html", {"form": form})
"""

THIN_VIEW = """
from django.shortcuts import get_object_or_404, render

from tandem.access.log import open_person
from tandem.common.flows import submit

from . import selectors, services


def person_edit(request, public_id):
    person = open_person(request, public_id, what="person edit form")
    place = get_object_or_404(selectors.place_queryset_for(request.user), pk=1)
    form = PersonForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.person_update(person=person, data=data),
        message="Saved.",
        then="registry:person_search",
    ):
        return done
    return render(request, "x.html", {"form": form, "cells": {"a": 1}.get("a")})
"""


def test_the_checker_finds_unscoped_lookups_and_queries_in_a_view():
    found = thick_spots(BAD_VIEW)
    assert [(f.line, f.function) for f in found if "get_object_or_404" in f.what] == [
        (11, "person_edit"),
        (12, "person_edit"),
    ]
    assert sorted(f.what.split(" ")[0] for f in found if "get_object_or_404" not in f.what) == [
        ".filter(…)",
        ".select_related(…)",
        "Person.objects",
        "models.Person.objects",
    ]


def test_the_checker_finds_hand_written_form_flows():
    found = hand_written_flows(ast.parse(BAD_VIEW))
    assert [(f.line, f.function) for f in found] == [(22, "person_edit"), (31, "screening_create")]
    assert "try/except ValidationError" in found[0].what
    assert "written out" in found[1].what


def test_the_checker_passes_a_thin_view():
    assert thick_spots(THIN_VIEW) == []
    assert hand_written_flows(ast.parse(THIN_VIEW)) == []


if __name__ == "__main__":  # python -m tests.test_thin_views: every view module, thin or not
    for module_path in VIEW_MODULES:
        source = module_path.read_text()
        spots = thick_spots(source) + hand_written_flows(ast.parse(source))
        if spots:
            print(f"{_rel(module_path)}: {len(spots)}")
            for spot in spots:
                print(f"  {spot}")
