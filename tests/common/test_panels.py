"""Page panels (tandem/common/panels.py): registered per app, merged in order, no key twice."""

from __future__ import annotations

import pytest

from tandem.common import panels


@pytest.fixture
def scratch_page(monkeypatch):
    monkeypatch.setitem(panels._panels, "person", [])
    return "person"


def test_panels_merge_in_their_order(scratch_page):
    calls = []

    @panels.register_panel(scratch_page, order=20)
    def second(user, obj):
        calls.append("second")
        return {"b": (user, obj)}

    @panels.register_panel(scratch_page, order=10)
    def first(user, obj):
        calls.append("first")
        return {"a": 1}

    assert panels.panel_context(scratch_page, "u", "o") == {"a": 1, "b": ("u", "o")}
    assert calls == ["first", "second"]


def test_two_panels_may_not_give_the_same_key(scratch_page):
    panels.register_panel(scratch_page, order=1)(lambda user, obj: {"x": 1})

    def other(user, obj):
        return {"x": 2}

    panels.register_panel(scratch_page, order=2)(other)
    with pytest.raises(KeyError, match="'x'"):
        panels.panel_context(scratch_page, None, None)


def test_registering_again_replaces(scratch_page):
    def build(user, obj):
        return {"y": 1}

    panels.register_panel(scratch_page, order=1)(build)
    panels.register_panel(scratch_page, order=5)(build)
    assert [p.order for p in panels.panels_of(scratch_page)] == [5]


def test_unknown_page_is_refused():
    with pytest.raises(ValueError, match="unknown page"):
        panels.register_panel("nowhere", order=1)
