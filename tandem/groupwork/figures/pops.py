"""POPs delivered per group-work partner and per participation perspective (source 004,
evaluation of the previous tender: "Er werden POP's afgeleverd op het niveau van werk en
welzijn waarop de VDAB bemiddelaar verder kon werken", with the perspectives NEC, SEC, LDE,
arbeidszorg or werk niet haalbaar).

In Tandem a partner delivers a POP as the group's *POP input* on an enrolment
(``PopInput``): the coach writes it, the mediator takes it into the POP and agrees it with the
person. A POP delivered is an enrolment with at least one POP input; when a coach wrote more
than one, the latest (by date, then as written) gives the perspective, and an input without
a perspective counts under "not given". The partner is the programme's promoter.

The same programmes and filters as the rest of the page (programme, province, groups starting
in a period: the enrolment's group). Published with row, column and grand totals under
``disclosure.protect_table``. One query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.common.disclosure import HIDDEN, protect_table
from tandem.trajectories.models import Perspective

from ..models import PopInput, Programme

NOT_GIVEN = ""


def perspective_columns() -> list[tuple[str, str]]:
    """The columns: the five perspectives of source 004, then "not given"."""
    return [(code, str(label)) for code, label in Perspective.choices] + [
        (NOT_GIVEN, _("Not given"))
    ]


@dataclass(frozen=True)
class PopCounts:
    """The counts before disclosure control: one row per partner (by name), one column per
    ``perspective_columns()``."""

    partners: list[str]
    columns: list[tuple[str, str]]
    matrix: list[list[int]]


def pop_counts(
    programmes: QuerySet[Programme],
    *,
    programme: Programme | None = None,
    province: str = "",
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
    written_in: int | None = None,
) -> PopCounts:
    """The POPs delivered by the partners of ``programmes`` (already scoped to the user), per
    partner and perspective. ``written_in``: only the POP input written in that year (the
    yearly report). One query."""
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
    if province:
        programmes = programmes.filter(province=province)
    inputs = PopInput.objects.filter(enrolment__module__programme__in=programmes.values("pk"))
    if starts_from is not None:
        inputs = inputs.filter(enrolment__intake__starts_on__gte=starts_from)
    if starts_to is not None:
        inputs = inputs.filter(enrolment__intake__starts_on__lte=starts_to)
    if written_in is not None:
        inputs = inputs.filter(written_on__year=written_in)
    latest: dict[int, tuple[tuple[str, int], str]] = {}  # enrolment → (partner, perspective)
    for enrolment_id, partner_id, partner_name, perspective in (
        inputs.order_by("written_on", "pk")
        .values_list(
            "enrolment_id",
            "enrolment__module__programme__promoter_id",
            "enrolment__module__programme__promoter__name",
            "perspective",
        )
        .iterator()
    ):
        latest[enrolment_id] = ((partner_name, partner_id), perspective or NOT_GIVEN)

    columns = perspective_columns()
    index = {code: n for n, (code, _label) in enumerate(columns)}
    counts: dict[tuple[str, int], list[int]] = {}
    for partner, perspective in latest.values():
        counts.setdefault(partner, [0] * len(columns))[index[perspective]] += 1
    partners = sorted(counts)
    return PopCounts([name for name, _pk in partners], columns, [counts[p] for p in partners])


@dataclass(frozen=True)
class PopRow:
    partner: str
    cells: list[str]  # per perspective column, as published (a number or HIDDEN)
    total: str


@dataclass(frozen=True)
class PopsDelivered:
    columns: list[tuple[str, str]]
    rows: list[PopRow]
    column_totals: list[str]
    total: str

    @property
    def is_empty(self) -> bool:
        return not self.rows


def pops_delivered(
    programmes: QuerySet[Programme],
    *,
    programme: Programme | None = None,
    province: str = "",
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
) -> PopsDelivered:
    """``pop_counts`` as the figures page publishes them: under disclosure control, with row,
    column and grand totals."""
    counts = pop_counts(
        programmes,
        programme=programme,
        province=province,
        starts_from=starts_from,
        starts_to=starts_to,
    )
    columns, table = counts.columns, counts.matrix
    if not table:
        return PopsDelivered(columns, [], ["0"] * len(columns), "0")
    cells, row_totals, column_totals, grand = protect_table(table)

    def show(value: int, hidden: bool) -> str:
        return HIDDEN if hidden else str(value)

    rows = [
        PopRow(
            partner=partner,
            cells=[show(v, (r, c) in cells) for c, v in enumerate(table[r])],
            total=show(sum(table[r]), r in row_totals),
        )
        for r, partner in enumerate(counts.partners)
    ]
    return PopsDelivered(
        columns=columns,
        rows=rows,
        column_totals=[
            show(sum(row[c] for row in table), c in column_totals) for c in range(len(columns))
        ],
        total=show(sum(map(sum, table)), grand),
    )
