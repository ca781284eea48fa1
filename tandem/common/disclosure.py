"""Statistical disclosure control for figures shown to people who may not see persons.

Primary suppression hides counts from 1 to ``threshold - 1`` (1–4 by default): small enough
to point at a person. Secondary suppression then hides more cells wherever a published sum
would let a reader work a hidden one out: in every additive relation (a total and its parts,
such as a row of a table and its row total) that holds a hidden count, at least two cells
must be hidden. The extra cell is the smallest non-zero part (least information lost), or the
total when no part can go. Shares of hidden counts are not shown either (the callers do that).

Checking each relation on its own is not enough: several sums together can still pin a
hidden cell down (row 0 + row 1 = grand total − row 2, ...). So the result is then audited
exactly: the published relations are solved as a linear system over the hidden cells
(Gaussian elimination in fractions) and, while any hidden cell is determined by it, one more
cell next to it is hidden. Bounds from counts being non-negative (interval disclosure) are
not audited.

Every hidden cell, small or hidden second, shows the same mark, ``HIDDEN`` ("x"): a separate
mark for the cells hidden second would say they are 5 or more, and with a total that can pin
the small one down.

Every page, download and command that publishes counts registers itself here
(``publishes``); ``recording`` collects what each ``protect`` call decided, so a test can
audit every published table exactly (``audit``).

Zeros are not hidden: "nobody" points at no one. Cells that are never published (a
complement such as "still unemployed" = measured − out of unemployment) take part in the
relations as already unknown, but are checked too: a small complement that a reader could
derive forces a second cell to be hidden.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

DISCLOSURE_THRESHOLD = 5
# The one mark for a hidden count, on every page, download and command output.
HIDDEN = "x"
K = TypeVar("K", bound=Hashable)
F = TypeVar("F", bound=Callable[..., Any])


def threshold() -> int:
    """The configured threshold (``TANDEM_DISCLOSURE_THRESHOLD``, 5 unless set)."""
    return int(getattr(settings, "TANDEM_DISCLOSURE_THRESHOLD", DISCLOSURE_THRESHOLD))


def is_small(count: int, limit: int | None = None) -> bool:
    limit = threshold() if limit is None else limit
    return 0 < count < limit


def shown(count: int, hidden: bool) -> str:
    """A count as published: the number, or ``HIDDEN`` when ``protect`` hid it."""
    return HIDDEN if hidden else str(count)


def note(limit: int | None = None) -> str:
    """The sentence that explains the mark, for every page and download that shows it."""
    limit = threshold() if limit is None else limit
    return _(
        "x: hidden. Counts from 1 to %(max)d are hidden, and so are some other cells, so "
        "that a hidden count cannot be worked out from totals. Shares of hidden counts are "
        "not shown."
    ) % {"max": limit - 1}


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts``: a reader who sees all but one of them knows the last."""

    total: Any
    parts: tuple[Any, ...]


def protect(
    cells: Mapping[K, int],
    relations: Iterable[Relation],
    *,
    unpublished: Iterable[K] = (),
    limit: int | None = None,
) -> set[K]:
    """The published cells to hide: the small ones and enough others that no relation gives a
    hidden count away. ``cells`` maps every cell (published or not) to its count."""
    limit = threshold() if limit is None else limit
    relations = list(relations)
    unknown = set(unpublished)
    suppressed = _protect(cells, relations, unknown, limit)
    _record(cells, relations, unknown, suppressed, limit)
    return suppressed


def protect_one_way(
    counts: Mapping[K, int], *, total: bool = True, limit: int | None = None
) -> tuple[set[K], bool]:
    """Protect a list of counts published with their total (``total``) or without one.
    Returns the hidden items and whether the total is hidden."""
    cells: dict[Hashable, int] = {("item", key): n for key, n in counts.items()}
    relations = []
    if total:
        cells["total"] = sum(counts.values())
        relations.append(Relation("total", tuple(("item", key) for key in counts)))
    hidden = protect(cells, relations, limit=limit)
    return {key for key in counts if ("item", key) in hidden}, "total" in hidden


def _protect(
    cells: Mapping[K, int], relations: list[Relation], unknown: set[K], limit: int
) -> set[K]:
    suppressed = {
        key for key, value in cells.items() if key not in unknown and is_small(value, limit)
    }
    # Cells a reader must not learn: small ones (published or not) and those hidden already.
    sensitive = {key for key, value in cells.items() if is_small(value, limit)}
    while True:
        _per_relation(cells, relations, suppressed, unknown, sensitive)
        exposed = [
            key
            for key in _determined(relations, suppressed | unknown)
            if key in suppressed or key in sensitive
        ]
        if not exposed:
            return suppressed
        choice = _neighbour(cells, relations, exposed[0], suppressed | unknown)
        if choice is None:
            return suppressed
        suppressed.add(choice)


def _per_relation(
    cells: Mapping[K, int],
    relations: list[Relation],
    suppressed: set[K],
    unknown: set[K],
    sensitive: set[K],
) -> None:
    """Hide a second cell in every relation where exactly one hidden cell needs protection."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            members = (relation.total, *relation.parts)
            hidden = [key for key in members if key in suppressed or key in unknown]
            if len(hidden) != 1 or (hidden[0] not in sensitive and hidden[0] not in suppressed):
                continue
            choice = _second_cell(cells, relation, suppressed | unknown)
            if choice is not None:
                suppressed.add(choice)
                changed = True


def _determined(relations: list[Relation], hidden: set[Any]) -> list[Any]:
    """The hidden cells a reader can work out exactly from the published relations: those
    whose unit vector lies in the row space of the system over the hidden cells.

    Gauss-Jordan elimination kept in reduced form: a pivot's row holds no other pivot, so a
    new row is reduced by the pivots it holds (in the order they were made) and a new pivot is
    taken out of the rows that hold it (``holders``) — never a pass over every pivot, which
    made a table of thousands of groups take minutes (issue 20). The rows, their key order and
    the pivots' order are the same as a pass over every pivot would give."""
    pivots: dict[Any, dict[Any, Fraction]] = {}  # pivot cell -> reduced row (pivot coeff 1)
    made: dict[Any, int] = {}  # pivot cell -> when it became one
    holders: dict[Any, set[Any]] = {}  # cell -> the pivots whose row holds it
    for relation in relations:
        row: dict[Any, Fraction] = {}
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + sign
        row = {key: value for key, value in row.items() if value}
        for pivot in sorted((key for key in row if key in pivots), key=made.__getitem__):
            factor = row[pivot]
            for key, value in pivots[pivot].items():
                row[key] = row.get(key, Fraction(0)) - factor * value
            row = {key: value for key, value in row.items() if value}
        if not row:
            continue
        lead = next(iter(row))
        scale = row[lead]
        row = {key: value / scale for key, value in row.items()}
        for pivot in tuple(holders.get(lead, ())):
            pivot_row = pivots[pivot]
            factor = pivot_row[lead]
            for key, value in row.items():
                pivot_row[key] = pivot_row.get(key, Fraction(0)) - factor * value
            reduced = {key: value for key, value in pivot_row.items() if value}
            for key in pivot_row.keys() - reduced.keys():
                holders[key].discard(pivot)
            for key in reduced:
                holders.setdefault(key, set()).add(pivot)
            pivots[pivot] = reduced
        pivots[lead] = row
        made[lead] = len(made)
        for key in row:
            holders.setdefault(key, set()).add(lead)
    return [pivot for pivot, row in pivots.items() if len(row) == 1]


def _neighbour(
    cells: Mapping[K, int], relations: list[Relation], exposed: K, hidden: set[K]
) -> K | None:
    """A published non-zero cell to hide so that ``exposed`` can no longer be worked out:
    the smallest in a relation holding it, else in a relation holding one of its hidden
    neighbours, else the smallest anywhere."""
    holding = [r for r in relations if exposed in (r.total, *r.parts)]
    neighbours = {key for r in holding for key in (r.total, *r.parts) if key in hidden}
    for circle in (holding, [r for r in relations if neighbours & {r.total, *r.parts}]):
        candidates = {
            key for r in circle for key in (r.total, *r.parts) if key not in hidden and cells[key]
        }
        if candidates:
            return min(candidates, key=lambda key: (cells[key], str(key)))
    rest = [key for key in cells if key not in hidden and cells[key]]
    return min(rest, key=lambda key: (cells[key], str(key))) if rest else None


def _second_cell(cells: Mapping[K, int], relation: Relation, hidden: set[K]) -> K | None:
    candidates = [key for key in relation.parts if key not in hidden and cells[key] > 0]
    if candidates:
        return min(candidates, key=lambda key: cells[key])
    if relation.total not in hidden:
        return relation.total
    zeros = [key for key in relation.parts if key not in hidden]
    return zeros[0] if zeros else None


def protect_table(
    table: Sequence[Sequence[int]], *, limit: int | None = None
) -> tuple[set[tuple[int, int]], set[int], set[int], bool]:
    """Protect a two-way table published with its row totals, column totals and grand total.

    Returns the hidden inner cells (row, column), hidden row totals, hidden column totals and
    whether the grand total is hidden.
    """
    rows, cols = len(table), len(table[0]) if table else 0
    cells: dict[Hashable, int] = {}
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            cells[(r, c)] = value
        cells[("row", r)] = sum(row)
    for c in range(cols):
        cells[("col", c)] = sum(table[r][c] for r in range(rows))
    cells["grand"] = sum(sum(row) for row in table)
    relations = [Relation(("row", r), tuple((r, c) for c in range(cols))) for r in range(rows)] + [
        Relation(("col", c), tuple((r, c) for r in range(rows))) for c in range(cols)
    ]
    relations.append(Relation("grand", tuple(("row", r) for r in range(rows))))
    relations.append(Relation("grand", tuple(("col", c) for c in range(cols))))
    hidden = protect(cells, relations, limit=limit)
    return (
        {key for key in hidden if isinstance(key, tuple) and isinstance(key[0], int)},
        {key[1] for key in hidden if isinstance(key, tuple) and key[0] == "row"},
        {key[1] for key in hidden if isinstance(key, tuple) and key[0] == "col"},
        "grand" in hidden,
    )


# --- the register of published tables and the exact audit ----------------------------------


@dataclass(frozen=True)
class Publisher:
    """A page, download or command that publishes counts under disclosure control."""

    name: str  # the view's or command's dotted path
    tables: str  # what it publishes, in a few words


PUBLISHERS: dict[str, Publisher] = {}


@dataclass
class Protection:
    """One ``protect`` call as it was made: every cell, the relations, what was hidden."""

    publisher: str  # "" when made outside any registered publisher
    cells: dict[Any, int]
    relations: list[Relation]
    unpublished: set[Any]
    hidden: set[Any]
    limit: int


_publisher: contextvars.ContextVar[str] = contextvars.ContextVar("publisher", default="")
_recorded: contextvars.ContextVar[list[Protection] | None] = contextvars.ContextVar(
    "recorded", default=None
)


def publishes(tables: str) -> Callable[[F], F]:
    """Register a view function or a command's ``handle`` as publishing ``tables``, and tag
    the ``protect`` calls made while it runs with its name."""

    def decorator(function: F) -> F:
        name = f"{function.__module__}.{function.__qualname__}"
        PUBLISHERS[name] = Publisher(name, tables)

        @functools.wraps(function)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = _publisher.set(name)
            try:
                return function(*args, **kwargs)
            finally:
                _publisher.reset(token)

        wrapped.publishes = name  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


@contextmanager
def recording() -> Iterator[list[Protection]]:
    """Collect every ``protect`` call made inside the block (for the audit in the tests)."""
    calls: list[Protection] = []
    token = _recorded.set(calls)
    try:
        yield calls
    finally:
        _recorded.reset(token)


def _record(
    cells: Mapping[Any, int],
    relations: list[Relation],
    unknown: set[Any],
    hidden: set[Any],
    limit: int,
) -> None:
    calls = _recorded.get()
    if calls is not None:
        publisher = _publisher.get()
        calls.append(
            Protection(publisher, dict(cells), list(relations), set(unknown), set(hidden), limit)
        )


@dataclass
class Finding:
    """What ``audit`` found wrong with one protection (empty lists: nothing)."""

    false_relations: list[Relation] = field(default_factory=list)
    small_shown: list[Any] = field(default_factory=list)
    derivable: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.false_relations or self.small_shown or self.derivable)


def audit(protection: Protection) -> Finding:
    """Check a protection exactly: every declared relation holds on the counts, no small
    count is shown, and no hidden cell (nor any small unpublished one) can be worked out from
    the shown cells through the relations (Gaussian elimination in fractions)."""
    cells, limit = protection.cells, protection.limit
    unknown = protection.hidden | protection.unpublished
    finding = Finding()
    finding.false_relations = [
        r for r in protection.relations if cells[r.total] != sum(cells[p] for p in r.parts)
    ]
    finding.small_shown = [
        key for key, value in cells.items() if key not in unknown and is_small(value, limit)
    ]
    finding.derivable = [
        key
        for key in _determined(protection.relations, unknown)
        if key in protection.hidden or is_small(cells[key], limit)
    ]
    return finding
