"""Aggregates the figures pages compute in the database (issue 20): a median as PostgreSQL's
``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``, and the days between two moments, so a
figure is one ``GROUP BY`` rather than rows pulled into Python.

SQLite (the tests run on both) has neither; there the median is an aggregate function of our
own, registered on the connection when the query is compiled, that computes exactly what
PostgreSQL computes (``percentile_cont``: the linear interpolation between the two middle
values, ``first + (second - first) × 0.5``), and the days come from Django's own
``django_timestamp_diff`` in microseconds. Both give the days as
``seconds / 86400`` in double precision, as ``timedelta.total_seconds() / 86400`` does, so the
two databases agree to the last bit and agree with ``percentile_cont`` computed in Python
(``percentile_cont`` below, which the tests use as the independent reference).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Aggregate, FloatField, Func, IntegerField

SQLITE_MEDIAN = "tandem_median"


def percentile_cont(values: Iterable[float], fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont``: over the sorted values, the value at position
    ``fraction × (n − 1)``, interpolated linearly between its neighbours; None for no values."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    row = fraction * (len(ordered) - 1)
    first_row, second_row = math.floor(row), math.ceil(row)
    first, second = ordered[first_row], ordered[second_row]
    if first_row == second_row:
        return float(first)
    return float(first + (second - first) * (row - first_row))


class _SqliteMedian:
    """The median as an SQLite aggregate (``step`` per row, ``finalize`` per group)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return percentile_cont(self.values, 0.5)


class Median(Aggregate):
    """The median of an expression over each group (NULLs ignored; NULL over none):
    ``percentile_cont(0.5) WITHIN GROUP (ORDER BY expr)`` on PostgreSQL, ``tandem_median``
    on SQLite."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False
    empty_result_set_value = None

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        connection.ensure_connection()
        connection.connection.create_aggregate(SQLITE_MEDIAN, 1, _SqliteMedian)
        return self.as_sql(
            compiler,
            connection,
            function=SQLITE_MEDIAN,
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


class DaysBetween(Func):
    """``later − earlier`` in days (a float; NULL when either is NULL)."""

    arity = 2
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            arg_joiner=" - ",
            template="(EXTRACT(EPOCH FROM (%(expressions)s))::double precision / 86400.0)",
            **extra_context,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(django_timestamp_diff(%(expressions)s) / 1000000.0 / 86400.0)",
            **extra_context,
        )


class DaysBetweenDates(Func):
    """``later − earlier`` in whole days for two dates (an integer; NULL when either is NULL),
    as Python's ``(later - earlier).days``: PostgreSQL's ``date - date``; on SQLite the
    difference of their Julian day numbers (whole for dates, so exact)."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, arg_joiner=" - ", template="(%(expressions)s)", **extra_context
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            arg_joiner=") - julianday(",
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            **extra_context,
        )
