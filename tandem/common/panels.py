"""Pages that gather what several apps hold about one object — the person page, the trajectory
page — get each app's part from a *panel* the app registers, so a low app's page never imports
a higher app's selectors (the layering test, tests/test_layering.py, checks that).

An app registers its panels in its own ``panels.py``, found when the project starts
(``CommonConfig.ready`` autodiscovers the module in every app, as the admin does)::

    @register_panel("trajectory", order=40)
    def group_work(user: User, trajectory: Trajectory) -> dict[str, Any]:
        return {"group_work": trajectory_group_work(user, trajectory.pk)}

The page merges the panels' context in ``order``; two panels may not give the same key. A
panel scopes its own reads through ``tandem.access`` like any selector: it gets the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PAGES = ("person", "trajectory")

Panel = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class RegisteredPanel:
    page: str
    order: int
    name: str
    build: Panel


_panels: dict[str, list[RegisteredPanel]] = {page: [] for page in PAGES}


def register_panel(page: str, *, order: int) -> Callable[[Panel], Panel]:
    """Register ``build(user, obj) -> context`` as a panel of ``page``, shown in ``order``."""
    if page not in _panels:
        raise ValueError(f"unknown page {page!r}; pages with panels: {', '.join(PAGES)}")

    def decorator(build: Panel) -> Panel:
        name = f"{build.__module__}.{build.__qualname__}"
        panels = [p for p in _panels[page] if p.name != name]  # a reload replaces, never doubles
        panels.append(RegisteredPanel(page, order, name, build))
        panels.sort(key=lambda p: (p.order, p.name))
        _panels[page] = panels
        return build

    return decorator


def panels_of(page: str) -> list[RegisteredPanel]:
    return list(_panels[page])


def panel_context(page: str, user: Any, obj: Any) -> dict[str, Any]:
    """The merged context of every panel of ``page`` for ``obj`` as ``user`` sees it."""
    context: dict[str, Any] = {}
    given_by: dict[str, str] = {}
    for panel in _panels[page]:
        part = panel.build(user, obj)
        for key in part:
            if key in given_by:
                raise KeyError(f"{page} panel {panel.name} gives {key!r}, given by {given_by[key]}")
            given_by[key] = panel.name
        context.update(part)
    return context
