"""Secondary suppression of the group-work figures, on crafted data where a hidden count could
otherwise be worked out from a total, an upcoming group or a complement (and on the CSV of the
hand-computed set of test_figures.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Hashable, Iterable
from typing import Any

import pytest

from tandem.groupwork.figures.selectors import (
    FigureRow,
    GroupWorkFigures,
    _roll_up,
    protect_figures,
)

from .test_figures import URL, world  # noqa: F401  (the fixture)

TODAY = dt.date(2024, 6, 1)
Relation = tuple[Hashable, tuple[Hashable, ...]]


def _derivable(known: dict[Hashable, int], cells: dict[Hashable, int], relations: list[Relation]):
    """Everything a reader can work out from the published ``known`` cells by adding and
    subtracting along the relations (total = sum of parts)."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = (total, *parts)
            missing = [m for m in members if m not in known]
            if len(missing) == 1:
                known[missing[0]] = cells[missing[0]]
                changed = True
    return known


Intake = tuple[int, int, int, bool]  # participants, completed, left, started


def _figures(modules: dict[str, list[Intake]], capacity: int = 15) -> GroupWorkFigures:
    """One programme in Oost-Vlaanderen with the given modules and their intake moments."""
    rows: dict[int, FigureRow] = {}
    module_of: dict[int, int] = {}
    module_info: dict[int, tuple[str, int]] = {}
    for m, (name, intakes) in enumerate(modules.items()):
        module_info[m] = (name, 1)
        for n, (participants, completed, left, started) in enumerate(intakes):
            key = 100 * m + n
            rows[key] = FigureRow(
                name=name,
                starts_on=TODAY + dt.timedelta(days=(n + 1) * (-1 if started else 1)),
                started=started,
                capacity=capacity,
                given=participants,
                participants=participants,
                completed=completed,
                left=left,
            )
            module_of[key] = m

    # Everyone waited 10 days (the waiting time per level, as the database gives it).
    def waited(n: int) -> dict[str, Any]:
        days = 10.0 if n else None
        return {"waited": n, "wait_median_days": days, "wait_mean_days": days}

    everyone = sum(i[0] for intakes in modules.values() for i in intakes)
    levels: dict[tuple[str, Hashable], dict[str, Any]] = {
        ("programme", 1): waited(everyone),
        ("province", "oost_vlaanderen"): waited(everyone),
        ("total", None): waited(everyone),
    }
    for key, row in rows.items():
        levels[("intake", key)] = waited(row.participants)
    for m, intakes in enumerate(modules.values()):
        levels[("module", m)] = waited(sum(i[0] for i in intakes))
    figures = _roll_up(
        rows,
        module_of,
        module_info,
        {1: ("Programma", "oost_vlaanderen")},
        today=TODAY,
        levels=levels,
    )
    protect_figures(figures)
    return figures


def _structure(figures: GroupWorkFigures):
    """The cells (participants P, places given G, completed C, ended E, left L, still S) and the
    sums that hold between them, written out independently of the code under test."""
    cells: dict[Hashable, int] = {}
    published: dict[Hashable, int] = {}
    relations: list[Relation] = []

    def add(label: str, row: FigureRow) -> None:
        values = {
            "P": row.participants,
            "G": row.given,
            "C": row.completed,
            "E": row.ended,
            "L": row.left,
            "S": row.participants - row.ended,
        }
        for name, value in values.items():
            cells[(label, name)] = value
        if row.participants_shown.isdigit():
            published[(label, "P")] = row.participants
        if row.fill_rate is not None:
            published[(label, "G")] = round(row.fill_rate * row.capacity / 100)
        if row.completed_shown.isdigit():
            published[(label, "C")] = row.completed
        if row.ended_shown.isdigit():
            published[(label, "E")] = row.ended
        if row.completion_rate is not None:  # with ended shown, gives completed
            published[(label, "C")] = row.completed
        relations.append(((label, "E"), ((label, "C"), (label, "L"))))
        relations.append(((label, "P"), ((label, "E"), (label, "S"))))

    def sums(total: str, parts: Iterable[str], names: str) -> None:
        for name in names:
            relations.append(((total, name), tuple((p, name) for p in parts)))

    add("all", figures.total)
    add("province", figures.provinces[0])
    (programme,) = figures.programmes
    add("programme", programme.row)
    sums("all", ["province"], "PGCELS")
    sums("province", ["programme"], "PGCELS")
    for m in programme.modules:
        add(m.row.name, m.row)
        started = [f"{m.row.name}/{i.starts_on}" for i in m.intakes]
        upcoming = [f"{m.row.name}/{i.starts_on}" for i in m.upcoming]
        for label, i in zip(started + upcoming, m.intakes + m.upcoming, strict=True):
            add(label, i)
            relations.append(((label, "P"), ((label, "G"),)))
        sums(m.row.name, started + upcoming, "PCELS")
        sums(m.row.name, started, "G")
        relations.append(((m.row.name, "P"), ((m.row.name, "G"), *((u, "P") for u in upcoming))))
    sums("programme", [m.row.name for m in programme.modules], "PGCELS")
    return cells, published, relations


def _leaks(figures: GroupWorkFigures) -> dict[Hashable, int]:
    """The small counts (1–4) a reader can work out from what is published."""
    cells, published, relations = _structure(figures)
    known = _derivable(published, cells, relations)
    return {key: value for key, value in known.items() if 0 < value < 5}


def test_a_small_module_cannot_be_worked_out_from_its_programme():
    # Without secondary suppression: programme 15, Werk 12, Taal "x" → 3.
    f = _figures({"Taal": [(3, 0, 0, True)], "Werk": [(12, 0, 0, True)]})
    rows = {m.row.name: m.row for m in f.programmes[0].modules}
    assert f.total.participants_shown == "15"
    assert rows["Taal"].participants_shown == "x"
    assert rows["Werk"].participants_shown == "x"  # 12, hidden to protect the 3
    # Its waiting time and fill rate go with it (they would tell a hidden 12 from a 3).
    assert rows["Werk"].waiting_median is None and rows["Werk"].waiting_too_few
    assert rows["Werk"].fill_rate is None and rows["Werk"].fill_too_few
    assert _leaks(f) == {}


def test_the_people_who_left_cannot_be_worked_out_from_the_completion_rate():
    # 12 ended, 10 completed: 2 left. Completed and the completion rate are hidden.
    f = _figures({"Werk": [(12, 10, 2, True)]})
    module = f.programmes[0].modules[0].row
    for row in (f.total, module):
        assert (row.ended_shown, row.completed_shown, row.completion_rate) == ("12", "x", None)
        assert row.completion_too_few
    assert _leaks(f) == {}


def test_the_people_still_in_a_group_cannot_be_worked_out():
    # 12 participants, 9 ended: 3 still in the group. Ended is hidden.
    f = _figures({"Werk": [(12, 6, 3, True)]})
    assert f.total.participants_shown == "12"
    assert f.total.ended_shown == "x"
    assert f.total.completion_rate is None
    assert _leaks(f) == {}


def test_an_upcoming_group_cannot_be_worked_out_from_the_fill_rate():
    # Werk: 10 in a started group, 2 in an upcoming one. Module participants 12 and places
    # given 10 (through its fill rate) would give the 2 away.
    f = _figures({"Werk": [(10, 0, 0, True), (2, 0, 0, False)]})
    module = f.programmes[0].modules[0]
    assert module.upcoming[0].participants_shown == "x"
    assert module.upcoming[0].fill_rate is None
    assert module.row.participants_shown == "12"
    assert module.row.fill_rate is None
    assert module.intakes[0].participants_shown == "x"  # 10 = the module's places given
    assert _leaks(f) == {}


def test_nothing_is_hidden_without_small_counts():
    f = _figures({"Taal": [(6, 6, 0, True)], "Werk": [(12, 0, 0, True)]}, capacity=20)
    for row in (f.total, *(m.row for m in f.programmes[0].modules)):
        assert not row.hidden
    assert f.total.participants_shown == "18"
    assert f.total.fill_rate == 45.0


def test_a_mixed_set_leaks_nothing():
    f = _figures(
        {
            "Budget": [(7, 3, 2, True), (9, 5, 0, True), (1, 0, 0, False)],
            "Taal": [(14, 9, 5, True), (6, 0, 1, True)],
            "Werk": [(20, 17, 3, True), (2, 0, 0, False), (8, 0, 0, False)],
        }
    )
    assert _leaks(f) == {}
    # The primary ones are hidden; not everything is.
    assert f.total.participants_shown == "67"


def test_the_threshold_is_configurable(settings):
    settings.TANDEM_DISCLOSURE_THRESHOLD = 3
    f = _figures({"Taal": [(2, 0, 0, True)], "Werk": [(4, 0, 0, True)], "Zorg": [(9, 0, 0, True)]})
    rows = {m.row.name: m.row for m in f.programmes[0].modules}
    assert rows["Taal"].participants_shown == "x"
    assert rows["Werk"].participants_shown == "x"  # 4, the smallest other module: hidden
    assert rows["Zorg"].participants_shown == "9"
    assert rows["Zorg"].waiting_median == 10.0  # 9 ≥ 3 participants


# --- the CSV of the hand-computed set ----------------------------------------------------------


@pytest.mark.django_db
def test_no_hidden_count_in_the_csv_follows_from_the_others(world, client):  # noqa: F811
    """Participants, completed and ended: in every sum of the CSV (all = provinces = programmes,
    province = its programmes, programme = its modules, module = its intake moments) either no
    count is hidden or at least two are."""
    client.force_login(world.manager)
    text = client.get(URL, {"format": "csv"}).content.decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]  # Dutch: as Excel nl-BE reads
    levels = [r[0] for r in rows]
    assert "x" in (r[6] for r in rows)
    total, provinces, programmes = rows[0], [], []
    modules: dict[tuple[str, str], list[list[str]]] = {}
    intakes: dict[tuple[str, str], list[list[str]]] = {}
    module_rows: dict[tuple[str, str], list[str]] = {}
    for level, r in zip(levels, rows, strict=True):
        if level == "Provincie":
            provinces.append(r)
        elif level == "Programma":
            programmes.append(r)
        elif level == "Module":
            modules.setdefault((r[1], r[2]), []).append(r)
            module_rows[(r[2], r[3])] = r
        elif level == "Instapmoment":
            intakes.setdefault((r[2], r[3]), []).append(r)
    groups = [(total, provinces), (total, programmes)]
    groups += [(p, [q for q in programmes if q[1] == p[1]]) for p in provinces]
    groups += [(p, modules[(p[1], p[2])]) for p in programmes]
    groups += [(module_rows[k], v) for k, v in intakes.items()]
    for column in (6, 13, 14):
        for parent, children in groups:
            hidden = [r for r in (parent, *children) if r[column].startswith("<")]
            assert len(hidden) != 1, (column, parent[:5])
