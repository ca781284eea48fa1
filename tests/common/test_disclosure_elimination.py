"""The disclosure module's elimination (``_determined``) against the plain one it replaced
(issue 20: a pass over every pivot per row took minutes on the group-work figures of a
region). The old code is kept here, word for word, as the oracle: the same cells worked out,
in the same order — the order decides which cell is hidden next, so the published tables stay
exactly as they were."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.common.disclosure import Relation, _determined


def _determined_oracle(relations: list[Relation], hidden: set[Any]) -> list[Any]:
    pivots: dict[Any, dict[Any, Fraction]] = {}
    for relation in relations:
        row: dict[Any, Fraction] = {}
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + sign
        row = {key: value for key, value in row.items() if value}
        for pivot, pivot_row in pivots.items():
            factor = row.get(pivot)
            if factor:
                for key, value in pivot_row.items():
                    row[key] = row.get(key, Fraction(0)) - factor * value
                row = {key: value for key, value in row.items() if value}
        if not row:
            continue
        lead = next(iter(row))
        scale = row[lead]
        row = {key: value / scale for key, value in row.items()}
        for pivot, pivot_row in pivots.items():
            factor = pivot_row.get(lead)
            if factor:
                for key, value in row.items():
                    pivot_row[key] = pivot_row.get(key, Fraction(0)) - factor * value
                pivots[pivot] = {key: value for key, value in pivot_row.items() if value}
        pivots[lead] = row
    return [pivot for pivot, row in pivots.items() if len(row) == 1]


@st.composite
def systems(draw: st.DrawFn) -> tuple[list[Relation], set[int]]:
    cells = draw(st.integers(min_value=2, max_value=14))
    relations = [
        Relation(
            draw(st.integers(0, cells - 1)),
            tuple(draw(st.lists(st.integers(0, cells - 1), min_size=1, max_size=6))),
        )
        for _ in range(draw(st.integers(1, 10)))
    ]
    hidden = set(draw(st.lists(st.integers(0, cells - 1), max_size=cells)))
    return relations, hidden


@settings(max_examples=400, deadline=None)
@given(systems())
def test_the_same_cells_in_the_same_order_as_the_plain_elimination(system):
    relations, hidden = system
    assert _determined(relations, hidden) == _determined_oracle(relations, hidden)


def test_a_hierarchy_of_groups_as_the_group_work_figures_publish_it():
    # total <- provinces <- programmes <- modules <- intake moments, with every other moment
    # and module hidden: the shape that took minutes at 1 M persons.
    relations: list[Relation] = []
    hidden: set[Any] = set()
    provinces = []
    for p in range(3):
        programmes = []
        for g in range(4):
            modules = []
            for m in range(3):
                moments = [("i", p, g, m, i) for i in range(5)]
                relations.append(Relation(("m", p, g, m), tuple(moments)))
                hidden.update(moments[::2])
                if m % 2:
                    hidden.add(("m", p, g, m))
                modules.append(("m", p, g, m))
            relations.append(Relation(("g", p, g), tuple(modules)))
            programmes.append(("g", p, g))
        relations.append(Relation(("p", p), tuple(programmes)))
        provinces.append(("p", p))
    relations.append(Relation("total", tuple(provinces)))
    assert _determined(relations, hidden) == _determined_oracle(relations, hidden)
    assert _determined(relations, hidden)  # some cells are worked out: the case is not empty
