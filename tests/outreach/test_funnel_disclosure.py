"""Secondary suppression of the funnel: on crafted data where a hidden count could otherwise be
worked out from a total, from the stage before it, or from a running total per quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

from django.utils import timezone

from tandem.accounts.models import Role
from tandem.outreach import services
from tandem.outreach.funnel import (
    CUMULATIVE,
    STAGES,
    Counts,
    FunnelHidden,
    FunnelRow,
    QuarterRow,
    by_quarter,
    funnel,
    protect_funnel,
)
from tests.factories import make_user

D = dt.date
# Independently written: what a reader can subtract. Engaged and intake are both subsets of
# contacted, trajectory of intake, work or training of trajectory.
NESTED = (
    ("contacted", "engaged"),
    ("contacted", "intake"),
    ("intake", "trajectory"),
    ("trajectory", "outcome"),
)


def _counts(*values: int) -> Counts:
    return Counts(*values)


def _leaks(
    total: Counts,
    tables: list[list[Counts]],
    hidden: FunnelHidden,
    quarters: list[QuarterRow] = (),  # type: ignore[assignment]
) -> dict[Hashable, int]:
    """The small counts (1–4, drop-outs included) a reader can work out from what is shown."""
    cells: dict[Hashable, int] = {}
    known: dict[Hashable, int] = {}
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []

    def row(label: Hashable, counts: Counts, shown: set[str]) -> None:
        for stage in STAGES:
            cells[(label, stage)] = getattr(counts, stage)
            if stage not in shown:
                known[(label, stage)] = getattr(counts, stage)
        for whole, part in NESTED:
            cells[(label, whole, part)] = getattr(counts, whole) - getattr(counts, part)
            relations.append(((label, whole), ((label, part), (label, whole, part))))

    row("total", total, hidden.total)
    for t, table in enumerate(tables):
        for r, counts in enumerate(table):
            row((t, r), counts, hidden.tables[t][r])
        for stage in STAGES:
            relations.append((("total", stage), tuple(((t, r), stage) for r in range(len(table)))))
        for whole, part in NESTED:
            relations.append(
                (("total", whole, part), tuple(((t, r), whole, part) for r in range(len(table))))
            )
    for q, quarter in enumerate(quarters):
        for stage in STAGES:
            cells[(("q", q), stage)] = getattr(quarter.counts, stage)
            if stage not in hidden.quarters[q]:
                known[(("q", q), stage)] = getattr(quarter.counts, stage)
        cells[(("q", q), CUMULATIVE)] = quarter.outcome_cumulative
        if CUMULATIVE not in hidden.quarters[q]:
            known[(("q", q), CUMULATIVE)] = quarter.outcome_cumulative
        before = ((("q", q - 1), CUMULATIVE),) if q else ()
        relations.append(((("q", q), CUMULATIVE), (*before, (("q", q), "outcome"))))
    if quarters:
        for stage in STAGES:
            relations.append(
                (("total", stage), tuple((("q", q), stage) for q in range(len(quarters))))
            )
    changed = True
    while changed:
        changed = False
        for whole, parts in relations:
            missing = [m for m in (whole, *parts) if m not in known]
            if len(missing) == 1:
                known[missing[0]] = cells[missing[0]]
                changed = True
    return {key: value for key, value in known.items() if 0 < value < 5}


def test_a_small_team_cannot_be_worked_out_from_the_total():
    # Without secondary suppression: total 15, Jes 12, IN-Z "x" → 3.
    total = _counts(15, 10, 0, 0, 0)
    teams = [_counts(12, 10, 0, 0, 0), _counts(3, 0, 0, 0, 0)]
    hidden = protect_funnel(total, [teams])
    assert "contacted" in hidden.tables[0][1]
    assert "contacted" in hidden.tables[0][0]  # 12, hidden to protect the 3
    assert "contacted" not in hidden.total
    assert _leaks(total, [teams], hidden) == {}


def test_a_small_drop_out_cannot_be_worked_out_from_two_stages():
    # 20 contacted, 18 engaged: the 2 who did not come back follow from the two.
    total = _counts(20, 18, 0, 0, 0)
    hidden = protect_funnel(total, [[total]])
    assert hidden.total & {"contacted", "engaged"}
    assert _leaks(total, [[total]], hidden) == {}
    # 12 registered, 10 with a trajectory, 10 at work: the 2 without a trajectory.
    total = _counts(30, 20, 12, 10, 10)
    hidden = protect_funnel(total, [[total]])
    assert hidden.total & {"intake", "trajectory"}
    assert _leaks(total, [[total]], hidden) == {}


def test_a_quarter_cannot_be_worked_out_from_the_running_total():
    rows = [
        FunnelRow(
            "Jes", "", "School", (D(2021, 1, 5),), D(2021, 1, 6), D(2021, 1, 7), D(2021, 2, 1)
        )
        for _ in range(10)
    ] + [
        FunnelRow(
            "Jes", "", "School", (D(2021, 4, 5),), D(2021, 4, 6), D(2021, 4, 7), D(2021, 5, 1)
        )
        for _ in range(2)
    ]
    quarters = by_quarter(rows)
    assert [(q.counts.outcome, q.outcome_cumulative) for q in quarters] == [(10, 10), (2, 12)]
    result = funnel(rows, lambda r: r.team)
    tables = [list(result.groups.values())]
    hidden = protect_funnel(result.total, tables, quarters)
    assert "outcome" in hidden.quarters[1]
    # 12 − 10 would give the 2 away: one of the running totals goes too.
    assert CUMULATIVE in hidden.quarters[0] or CUMULATIVE in hidden.quarters[1]
    assert _leaks(result.total, tables, hidden, quarters) == {}


def test_a_mixed_funnel_leaks_nothing():
    total = _counts(61, 40, 25, 16, 9)
    teams = [_counts(30, 20, 12, 9, 5), _counts(28, 19, 13, 7, 4), _counts(3, 1, 0, 0, 0)]
    places = [
        _counts(20, 15, 10, 7, 3),
        _counts(22, 12, 8, 5, 5),
        _counts(19, 13, 7, 4, 1),
    ]
    hidden = protect_funnel(total, [teams, places])
    assert _leaks(total, [teams, places], hidden) == {}
    assert "contacted" not in hidden.total


def test_nothing_is_hidden_without_small_counts():
    total = _counts(40, 30, 20, 10, 5)
    teams = [_counts(20, 15, 10, 5, 0), _counts(20, 15, 10, 5, 5)]
    hidden = protect_funnel(total, [teams])
    assert hidden.total == set() and hidden.tables == [[set(), set()]]


def test_the_threshold_is_configurable(settings):
    settings.TANDEM_DISCLOSURE_THRESHOLD = 3
    total = _counts(14, 10, 0, 0, 0)
    teams = [_counts(10, 10, 0, 0, 0), _counts(4, 0, 0, 0, 0)]
    assert protect_funnel(total, [teams]).tables == [[set(), set()]]
    settings.TANDEM_DISCLOSURE_THRESHOLD = 5
    assert "contacted" in protect_funnel(total, [teams]).tables[0][0]


def test_the_page_hides_a_place_that_follows_from_the_total(client, worker, place, settings):
    today = timezone.localdate()
    other = services.place_save(
        acting_user=worker, kind="street", name="Straathoek", municipality="Gent"
    )
    for n in range(12):
        services.contact_log(
            acting_user=worker, place=place, nickname=f"S{n}", on=today - dt.timedelta(days=3)
        )
    for n in range(3):
        services.contact_log(
            acting_user=worker, place=other, nickname=f"T{n}", on=today - dt.timedelta(days=3)
        )
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    response = client.get("/outreach/funnel/")
    places = dict(response.context["places"])
    assert places["Schoolpoort De Vlieger (Gent)"][0] == "x"  # 12 = 15 − 3
    assert places["Straathoek (Gent)"][0] == "x"
    assert response.context["total"][0] == "15"
    body = response.content.decode()
    assert 'id="disclosure-note"' in body
    # The team sees its own counts.
    client.force_login(worker)
    places = dict(client.get("/outreach/funnel/").context["places"])
    assert places["Schoolpoort De Vlieger (Gent)"][0] == "12"
    # The configured threshold is the one shown.
    settings.TANDEM_DISCLOSURE_THRESHOLD = 3
    client.force_login(make_user(Role.PROGRAMME_MANAGER, username="manager-2"))
    places = dict(client.get("/outreach/funnel/").context["places"])
    assert places == {
        "Schoolpoort De Vlieger (Gent)": ["12", "0", "0", "0", "0"],
        "Straathoek (Gent)": ["3", "0", "0", "0", "0"],
    }


def test_the_quarters_are_the_same_whatever_the_period(client, worker, place):
    today = timezone.localdate()
    for n in range(7):
        services.contact_log(
            acting_user=worker, place=place, nickname=f"S{n}", on=today - dt.timedelta(days=2)
        )
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    everything = client.get("/outreach/funnel/").context["quarters"]
    period = {"start": (today - dt.timedelta(days=1)).isoformat(), "end": today.isoformat()}
    response = client.get("/outreach/funnel/", period)
    assert response.context["quarters"] == everything
    assert response.context["total"] == ["0", "0", "0", "0", "0"]
