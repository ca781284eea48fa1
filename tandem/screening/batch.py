"""The vectorised twin of the population-level indicators, and streaming CSV reading.

``indicators.py`` defines the rules person by person; this module applies the same rules to a
whole population at once with NumPy and is tested to agree with it bit for bit. A population
is read from a CSV with one row per person, in chunks, and household and group ids are
interned to integer codes. A plain file (no quotes, the same number of fields on every line,
every number readable) is parsed by NumPy's C reader (``np.loadtxt``) and its ids interned
with a hash in NumPy; any other file, and any file with an error, goes through Python's
``csv`` module row by row, which names the line and column of the first error. Both read the
same values: ``np.loadtxt`` accepts a subset of what ``float()`` accepts, parsed the same way.
For 1 M persons the array work takes about 0.25 s (``make bench``).

Errors name the line (1-based, the header is line 1) and the column. Line numbers are worked
out again from the file only when there is an error, so the happy path pays nothing for them.
"""

from __future__ import annotations

import csv
import gc
import io
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from itertools import count, islice
from operator import itemgetter
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from tandem.common.exports import CsvFormat, csv_writer

from .indicators import AROP_SHARE, MIN_AGE, MODIFIED_OECD, TIE_RTOL, EquivalenceScale

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CHUNK_ROWS = 100_000
PER_PERSON_COLUMNS = ("equivalised_size", "equivalised_income", "at_risk")


class BatchInputError(ValueError):
    """Bad input, with the line (1-based, header = 1) and column it was found at."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None):
        self.line = line
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


# --- the vectorised rules --------------------------------------------------------------------


def equivalised_sizes(
    households: npt.ArrayLike, ages: npt.ArrayLike, scale: EquivalenceScale = MODIFIED_OECD
) -> FloatArray:
    """Return each person's household equivalised size (twin of ``equivalised_size``).

    ``households`` holds any hashable ids (strings or integer codes), one per person; members
    need not be contiguous. Sizes are computed exactly in integers over the common
    denominator of the scale's weights and divided once, so they equal the pure function's.
    """
    age = np.asarray(ages, dtype=np.float64)
    ids = np.asarray(households)
    if age.shape != ids.shape or age.ndim != 1:
        raise ValueError("households and ages must be 1-D and of the same length")
    if age.size == 0:
        raise ValueError("no persons")
    if not np.isfinite(age).all() or (age < MIN_AGE).any():
        raise ValueError(f"ages must be finite numbers of at least {MIN_AGE}")
    _, inverse = np.unique(ids, return_inverse=True)
    inverse = inverse.reshape(-1)
    return _sizes_of_codes(inverse, int(inverse.max()) + 1, age, scale)


def _sizes_of_codes(
    inverse: IntArray, count: int, age: FloatArray, scale: EquivalenceScale
) -> FloatArray:
    """Sizes for dense household codes 0 … count - 1 (one per person)."""
    members = np.bincount(inverse, minlength=count)
    adults = np.bincount(inverse[age >= scale.adult_age], minlength=count)
    children = members - adults
    weights = (scale.first_adult, scale.other_adult, scale.child)
    denominator = reduce(math.lcm, (Fraction(w).denominator for w in weights))
    first, other, child = (int(Fraction(w) * denominator) for w in weights)
    numerator = np.where(
        adults > 0,
        first + other * (adults - 1) + child * children,
        first + child * (children - 1),
    ).astype(np.int64)
    # int / int: one correctly rounded division, as float(Fraction) does in the pure function.
    return (numerator / denominator)[inverse]


def _values_and_weights(
    values: npt.ArrayLike, weights: npt.ArrayLike | None
) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size == 0:
        raise ValueError("no values")
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != x.shape:
        raise ValueError(f"{x.size} values but {w.size} weights")
    if not np.isfinite(x).all():
        raise ValueError("values must be finite")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and not negative")
    return x, w


def weighted_median(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Return the Eurostat weighted median (twin of ``indicators.weighted_median``).

    Zero weights left out, then a stable sort, a sequential float64 cumulative sum
    (``np.cumsum``: the same additions in the same order as the pure function), and a tie when
    Cⱼ is within ``TIE_RTOL × W`` of W/2.
    """
    x, w = _values_and_weights(values, weights)
    if not (w > 0).all():
        # Rows with weight 0 represent nobody (and would make the rule order-dependent).
        x, w = x[w > 0], w[w > 0]
        if x.size == 0:
            raise ValueError("the weights sum to zero")
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order])
    total = float(cumulative[-1])
    half, tolerance = total / 2, TIE_RTOL * total
    j = int(np.searchsorted(cumulative, half - tolerance, side="left"))
    if cumulative[j] <= half + tolerance:
        return (float(x[order[j]]) + float(x[order[j + 1]])) / 2
    return float(x[order[j]])


def poverty_rate(values: npt.ArrayLike, weights: npt.ArrayLike | None, threshold: float) -> float:
    """Return the weighted percentage strictly below the threshold (twin of the pure one).

    ``math.fsum`` gives exactly rounded sums, so the result does not depend on row order and
    equals the pure function's.
    """
    x, w = _values_and_weights(values, weights)
    total = math.fsum(w.tolist())
    if total <= 0:
        raise ValueError("the weights sum to zero")
    return 100 * (math.fsum(w[x < threshold].tolist()) / total)


# --- reading a population from CSV -----------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """Which CSV columns hold what. ``income`` is household income unless equivalised."""

    household: str
    age: str
    income: str
    income_is_equivalised: bool = False
    weight: str | None = None
    by: str | None = None

    def names(self) -> tuple[str, ...]:
        """Return the named columns in output order, without repeats."""
        names = (self.household, self.age, self.income, self.weight, self.by)
        return tuple(dict.fromkeys(n for n in names if n is not None))


@dataclass(frozen=True)
class Population:
    """Persons read from a CSV: numeric columns and integer codes for ids."""

    path: Path
    delimiter: str
    header: tuple[str, ...]
    columns: Columns
    household: IntArray  # codes 0 … households - 1, in order of first appearance
    household_first: IntArray  # the row of each household's first member
    age: FloatArray
    income: FloatArray
    weight: FloatArray
    group: IntArray | None
    household_ids: tuple[str, ...]
    group_names: tuple[str, ...]

    @property
    def persons(self) -> int:
        return int(self.household.size)

    @property
    def households(self) -> int:
        return len(self.household_ids)


def _open(path: Path) -> IO[str]:
    # utf-8-sig drops a byte-order mark when there is one (Excel writes it).
    return path.open(encoding="utf-8-sig", newline="")


def _sniff_delimiter(header_line: str) -> str:
    """Choose ';' or ',' from the header line: whichever occurs more (',' on a tie)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _is_blank(row: list[str]) -> bool:
    return not any(field.strip() for field in row)


def _data_rows(handle: IO[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, row) for each non-blank row after the header line."""
    reader = csv.reader(handle, delimiter=delimiter)
    previous = 0
    for row in reader:
        start, previous = previous + 2, reader.line_num  # +1 for 1-based, +1 for the header
        if not _is_blank(row):
            yield start, row


def line_of(path: Path, delimiter: str, index: int) -> int:
    """Return the line on which the data row with this 0-based index starts (slow path)."""
    with _open(path) as handle:
        handle.readline()
        for n, (line, _row) in enumerate(_data_rows(handle, delimiter)):
            if n == index:
                return line
    raise ValueError(f"the file has no data row {index}")


def _undecodable_line(path: Path) -> int:
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _column_indices(header: list[str], columns: Columns) -> dict[str, int]:
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        seen.setdefault(name, index)
    for name in columns.names():
        if name not in seen:
            available = ", ".join(repr(h) for h in header)
            raise BatchInputError(
                f"there is no column {name!r}; the header has: {available}", line=1
            )
        if header.count(name) > 1:
            raise BatchInputError(f"the column {name!r} appears more than once", line=1)
    return {name: seen[name] for name in columns.names()}


@dataclass(frozen=True)
class _Chunk:
    household: IntArray
    age: FloatArray
    income: FloatArray
    weight: FloatArray | None
    group: IntArray | None


class _Reader:
    """One pass over the CSV that turns chunks of rows into NumPy arrays."""

    def __init__(self, path: Path, columns: Columns, delimiter: str, header: list[str]):
        self.path = path
        self.columns = columns
        self.delimiter = delimiter
        self.width = len(header)
        self.index = _column_indices(header, columns)
        self.households: dict[str, int] = {}
        self.groups: dict[str, int] = {}
        self.rows = 0  # data rows read so far

    def fail(self, message: str, row: int, column: str | None = None) -> BatchInputError:
        return BatchInputError(message, line=line_of(self.path, self.delimiter, row), column=column)

    def _clean(self, chunk: list[list[str]]) -> list[list[str]]:
        """Drop blank rows and check the field count (only when something looks off)."""
        household = itemgetter(self.index[self.columns.household])
        if (
            all(chunk)
            and set(map(len, chunk)) == {self.width}
            and all(map(str.strip, map(household, chunk)))
        ):
            return chunk
        chunk = [r for r in chunk if not _is_blank(r)]
        for k, row in enumerate(chunk):
            if len(row) != self.width:
                raise self.fail(
                    f"the row has {len(row)} fields but the header has {self.width}",
                    self.rows + k,
                )
            if not household(row).strip():
                raise self.fail("the household id is empty", self.rows + k, self.columns.household)
        return chunk

    def _numbers(self, rows: list[list[str]], column: str) -> FloatArray:
        """Parse one column as float64; on failure, find the row and say what is wrong."""
        cell = itemgetter(self.index[column])
        text: Iterable[str] = map(cell, rows)
        if self.delimiter == ";" and "," in "".join(map(cell, rows)):
            # A ';' file from a Dutch-language spreadsheet writes decimal commas.
            text = (value.replace(",", ".") for value in map(cell, rows))
        try:
            array = np.fromiter(map(float, text), dtype=np.float64, count=len(rows))
        except ValueError:
            for k, row in enumerate(rows):
                try:
                    float(cell(row).replace(",", ".") if self.delimiter == ";" else cell(row))
                except ValueError:
                    raise self.fail(
                        f"{cell(row)!r} is not a number", self.rows + k, column
                    ) from None
            raise
        finite = np.isfinite(array)
        if not finite.all():
            k = int(np.argmin(finite))
            raise self.fail(f"{cell(rows[k])!r} is not a finite number", self.rows + k, column)
        return array

    def _intern(self, rows: list[list[str]], column: str, table: dict[str, int]) -> IntArray:
        """Map ids to integer codes: the row index where each id first appeared.

        One dict lookup per row; the codes are made dense once at the end.
        """
        ids = map(str.strip, map(itemgetter(self.index[column]), rows))
        codes = map(table.setdefault, ids, count(self.rows))
        return np.fromiter(codes, dtype=np.int64, count=len(rows))

    def _check(
        self, values: FloatArray, bad: npt.NDArray[np.bool_], column: str, rule: str
    ) -> None:
        if bad.any():
            k = int(np.argmax(bad))
            raise self.fail(rule % {"value": values[k]}, self.rows + k, column)

    def chunk(self, rows: list[list[str]]) -> _Chunk:
        rows = self._clean(rows)
        cols = self.columns
        household = self._intern(rows, cols.household, self.households)
        age = self._numbers(rows, cols.age)
        self._check(
            age,
            age < MIN_AGE,
            cols.age,
            f"age %(value)g is negative; ages start at 0 (EU-SILC's {MIN_AGE}, a baby born "
            "after the income year, is accepted)",
        )
        income = self._numbers(rows, cols.income)
        weight = group = None
        if cols.weight is not None:
            weight = self._numbers(rows, cols.weight)
            self._check(
                weight,
                weight < 0,
                cols.weight,
                "weight %(value)g is negative; weights are 0 or more",
            )
        if cols.by is not None:
            group = self._intern(rows, cols.by, self.groups)
        self.rows += len(rows)
        return _Chunk(household, age, income, weight, group)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while chunks of row lists are built.

    Every csv row is a fresh list the collector tracks; with 100,000 of them alive per chunk
    it runs over and over for nothing (nothing here makes cycles). Halves the reading time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_HASH_FACTOR = np.uint64(1_000_003)


@dataclass(frozen=True)
class _Interned:
    codes: IntArray  # dense, 0 … n - 1 in order of first appearance
    first: IntArray  # the row of each id's first appearance
    names: tuple[str, ...]


def _intern_all(ids: npt.NDArray[np.str_]) -> _Interned:
    """Intern a column of ids in order of first appearance, in NumPy.

    Each id's UTF-32 code units are hashed to 64 bits (a polynomial, wrapping), the hashes
    made unique (a sort of integers, far cheaper than one of strings); every row is then
    compared with its hash's first id, and on a collision the strings themselves are made
    unique instead.
    """
    n = ids.size
    width = ids.dtype.itemsize // 4
    if width == 0:  # every id is empty: one id
        return _Interned(np.zeros(n, np.int64), np.zeros(1, np.int64), ("",))
    units = np.ascontiguousarray(ids).view(np.uint32).reshape(n, width)
    hashed = np.zeros(n, np.uint64)
    for k in range(width):
        hashed *= _HASH_FACTOR
        hashed += units[:, k]
    _, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    if not (ids == ids[first][inverse]).all():
        _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(order.size, np.int64)
    rank[order] = np.arange(order.size)
    first = first[order]
    return _Interned(rank[inverse.reshape(-1)], first, tuple(ids[first].tolist()))


@dataclass(frozen=True)
class _Read:
    household: _Interned
    age: FloatArray
    income: FloatArray
    weight: FloatArray | None
    group: _Interned | None
    rows: int


def _read_vectorised(
    path: Path,
    reader: _Reader,
    chunk_rows: int,
    progress: Callable[[int], None] | None,
) -> _Read | None:
    """Read a plain file with NumPy's C parser; None when the file needs the careful reader.

    Plain means: UTF-8, no double quote, no NUL, no line ending other than LF or CRLF, the same
    number of fields on every non-empty line as in the header, and every value valid (numbers
    finite, ages and weights in range, household ids not empty). A file that is not plain is
    read again by the csv reader, which accepts what it may and names the first error.
    """
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None
    delimiter = reader.delimiter
    if '"' in text or "\x00" in text or text.count("\r") != text.count("\r\n"):
        return None
    cols = reader.columns
    index = reader.index
    numeric = list(dict.fromkeys(index[c] for c in (cols.age, cols.income, cols.weight) if c))
    # The last column is read too, so that a line with too few fields fails.
    keys = list(dict.fromkeys([index[cols.household], *([index[cols.by]] if cols.by else [])]))
    keys = list(dict.fromkeys([*keys, reader.width - 1]))
    lines = io.StringIO(text)
    lines.readline()  # the header
    numbers: list[FloatArray] = []
    texts: list[npt.NDArray[np.str_]] = []
    rows = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a chunk of empty lines
            while chunk := list(islice(lines, chunk_rows)):
                part = np.loadtxt(chunk, np.float64, None, delimiter, usecols=numeric, ndmin=2)
                ids = np.loadtxt(chunk, np.str_, None, delimiter, usecols=keys, ndmin=2)
                if part.shape[0] != ids.shape[0]:
                    return None
                numbers.append(part)
                texts.append(np.strings.strip(ids))
                rows += part.shape[0]
                if progress is not None and part.shape[0]:
                    progress(rows)
    except (ValueError, IndexError, TypeError):
        return None
    if rows == 0 or text.count(delimiter) != (reader.width - 1) * (rows + 1):
        return None  # no data, or a line with more fields than the header
    values = np.concatenate(numbers)
    if not np.isfinite(values).all():
        return None

    def column(name: str) -> FloatArray:
        return np.ascontiguousarray(values[:, numeric.index(index[name])])

    age = column(cols.age)
    weight = column(cols.weight) if cols.weight else None
    if (age < MIN_AGE).any() or (weight is not None and (weight < 0).any()):
        return None
    ids = np.concatenate(texts)
    households = ids[:, keys.index(index[cols.household])]
    if (np.strings.str_len(households) == 0).any():
        return None
    group = _intern_all(ids[:, keys.index(index[cols.by])]) if cols.by else None
    return _Read(_intern_all(households), age, column(cols.income), weight, group, rows)


def _dense(raw: IntArray, table: dict[str, int]) -> tuple[IntArray, IntArray]:
    """Renumber first-appearance codes 0, 1, 2, … in order; also return each id's first row.

    The raw code of an id is the row where it first appeared, and the table holds those rows
    in insertion order: one gather, no sort.
    """
    first_rows = np.fromiter(table.values(), dtype=np.int64, count=len(table))
    lookup = np.empty(raw.size, dtype=np.int64)
    lookup[first_rows] = np.arange(first_rows.size)
    return lookup[raw], first_rows


def read_population(
    path: Path | str,
    columns: Columns,
    *,
    chunk_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Population:
    """Read one row per person from a CSV (UTF-8, optional BOM, ',' or ';' separated).

    Raise :class:`BatchInputError` naming the line and column on bad input. ``progress`` is
    called with the number of rows read after each chunk of ``chunk_rows`` (default
    :data:`CHUNK_ROWS`) rows.
    """
    path = Path(path)
    chunk_rows = chunk_rows or CHUNK_ROWS
    parts: list[_Chunk] = []
    try:
        with _open(path) as handle:
            header_line = handle.readline()
            if not header_line.strip():
                raise BatchInputError("the file is empty: there is no header line", line=1)
            delimiter = _sniff_delimiter(header_line)
            header = [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))]
            reader = _Reader(path, columns, delimiter, header)
            fast = _read_vectorised(path, reader, chunk_rows, progress)
            if fast is not None:
                return _finish(path, delimiter, header, columns, fast)
            rows = csv.reader(handle, delimiter=delimiter)
            try:
                while True:
                    with _gc_paused():
                        chunk = list(islice(rows, chunk_rows))
                        if not chunk:
                            break
                        parts.append(reader.chunk(chunk))
                        del chunk
                    if progress is not None:
                        progress(reader.rows)
            except csv.Error as error:
                raise BatchInputError(
                    f"the row cannot be read: {error}", line=rows.line_num + 1
                ) from None
    except UnicodeDecodeError:
        raise BatchInputError(
            "the file is not UTF-8 text; save it as CSV UTF-8", line=_undecodable_line(path)
        ) from None
    if reader.rows == 0:
        raise BatchInputError("the file has a header but no data rows", line=1)

    household, household_first = _dense(
        np.concatenate([p.household for p in parts]), reader.households
    )
    weights = [p.weight for p in parts if p.weight is not None]
    groups = [p.group for p in parts if p.group is not None]
    group = None
    if groups:
        codes, first = _dense(np.concatenate(groups), reader.groups)
        group = _Interned(codes, first, tuple(reader.groups))
    read = _Read(
        household=_Interned(household, household_first, tuple(reader.households)),
        age=np.concatenate([p.age for p in parts]),
        income=np.concatenate([p.income for p in parts]),
        weight=np.concatenate(weights) if weights else None,
        group=group,
        rows=reader.rows,
    )
    return _finish(path, delimiter, header, columns, read)


def _finish(
    path: Path, delimiter: str, header: list[str], columns: Columns, read: _Read
) -> Population:
    """The population of the columns read, with the checks across rows."""
    weight = read.weight if read.weight is not None else np.ones(read.rows, np.float64)
    population = Population(
        path=path,
        delimiter=delimiter,
        header=tuple(header),
        columns=columns,
        household=read.household.codes,
        household_first=read.household.first,
        age=read.age,
        income=read.income,
        weight=weight,
        group=read.group.codes if read.group is not None else None,
        household_ids=read.household.names,
        group_names=read.group.names if read.group is not None else (),
    )
    _check_household_income(population)
    if columns.weight and not weight.any():
        raise BatchInputError("all weights are zero", column=columns.weight)
    return population


def _check_household_income(population: Population) -> None:
    """Every member of a household must carry the same (household or equivalised) income."""
    first = population.household_first
    reference = population.income[first][population.household]
    differs = np.flatnonzero(population.income != reference)
    if differs.size == 0:
        return
    k = int(differs[0])
    code = int(population.household[k])
    other = int(first[code])
    path, delimiter = population.path, population.delimiter
    column = population.columns.income
    kind = "equivalised" if population.columns.income_is_equivalised else "household"
    raise BatchInputError(
        f"household {population.household_ids[code]!r} has {population.income[k]:g} here but "
        f"{population.income[other]:g} on line {line_of(path, delimiter, other)}; every member "
        f"of a household must carry the same {kind} income",
        line=line_of(path, delimiter, k),
        column=column,
    )


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    persons: int
    households: int
    weighted_population: float
    arop_rate: float


@dataclass(frozen=True)
class Summary:
    """Population figures: the threshold and the at-risk-of-poverty rate, overall and by group.

    Group rates use the overall threshold, as Eurostat's breakdowns do.
    """

    persons: int
    households: int
    weighted_population: float
    median: float
    threshold: float
    arop_rate: float
    by: dict[str, GroupFigures]


@dataclass(frozen=True)
class PersonFigures:
    equivalised_size: FloatArray
    equivalised_income: FloatArray
    at_risk: npt.NDArray[np.bool_]


def summarise(
    population: Population,
    threshold: float | None = None,
    *,
    share: float = AROP_SHARE,
    scale: EquivalenceScale = MODIFIED_OECD,
) -> tuple[Summary, PersonFigures]:
    """Compute the figures; ``threshold=None`` means ``share`` × the weighted median."""
    sizes = _sizes_of_codes(population.household, population.households, population.age, scale)
    if population.columns.income_is_equivalised:
        incomes = population.income
    else:
        incomes = population.income / sizes
    weight = population.weight
    median = weighted_median(incomes, weight)
    limit = share * median if threshold is None else threshold
    at_risk = incomes < limit
    total = math.fsum(weight.tolist())
    rate = 100 * (math.fsum(weight[at_risk].tolist()) / total)
    by: dict[str, GroupFigures] = {}
    if population.group is not None:
        by = _group_figures(population, weight, at_risk)
    summary = Summary(
        persons=population.persons,
        households=population.households,
        weighted_population=total,
        median=median,
        threshold=limit,
        arop_rate=rate,
        by=by,
    )
    return summary, PersonFigures(sizes, incomes, at_risk)


def _group_figures(
    population: Population, weight: FloatArray, at_risk: npt.NDArray[np.bool_]
) -> dict[str, GroupFigures]:
    assert population.group is not None
    group = population.group
    count = len(population.group_names)
    persons = np.bincount(group, minlength=count)
    # Exactly rounded sums per group (fsum over each group's slice): independent of row order,
    # and a subset never sums above its whole, so every rate stays within [0, 100].
    # A stable sort of int16 keys is a radix sort: linear time.
    keys = group.astype(np.int16) if count < 2**15 else group
    order = np.argsort(keys, kind="stable")
    bounds = np.cumsum(persons)[:-1]
    weight_parts = np.split(weight[order], bounds)
    risk_parts = np.split(at_risk[order], bounds)
    weighted = [math.fsum(part.tolist()) for part in weight_parts]
    weighted_at_risk = [
        math.fsum(part[risk].tolist()) for part, risk in zip(weight_parts, risk_parts, strict=True)
    ]
    pairs = np.unique(group * np.int64(population.households) + population.household)
    households = np.bincount(pairs // population.households, minlength=count)
    figures = {}
    for code, name in enumerate(population.group_names):
        w = weighted[code]
        figures[name] = GroupFigures(
            persons=int(persons[code]),
            households=int(households[code]),
            weighted_population=w,
            arop_rate=100 * (weighted_at_risk[code] / w) if w > 0 else math.nan,
        )
    return dict(sorted(figures.items()))


# --- per-person output -----------------------------------------------------------------------


def _atomic_write(path: Path, write: Callable[[IO[str]], None]) -> None:
    """Write to a temporary file beside ``path`` and rename it only when all went well."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_per_person(population: Population, figures: PersonFigures, out: Path | str) -> None:
    """Write each input row's key columns plus the computed figures, all or nothing.

    The key columns are copied as they stand in the input (a second pass over the file), through
    Tandem's one CSV writer (``common.exports.csv_writer``: a value that starts like a formula
    gets an apostrophe); the file uses the input's separator.
    """
    index = _column_indices(list(population.header), population.columns)
    keys = [name for name in population.columns.names() if name not in PER_PERSON_COLUMNS]
    pick = itemgetter(*(index[name] for name in keys))
    width = len(population.header)
    household = index[population.columns.household]

    def rows(source: Iterable[list[str]]) -> Iterator[list[object]]:
        sizes = figures.equivalised_size.tolist()
        incomes = figures.equivalised_income.tolist()
        risks = figures.at_risk.astype(np.int8).tolist()
        # Pass 1 validated the file, so a row is data exactly when it is full and has an id.
        data = (r for r in source if len(r) == width and r[household].strip())
        for row, size, income, risk in zip(data, sizes, incomes, risks, strict=True):
            picked = pick(row)
            yield [*(picked if len(keys) > 1 else (picked,)), size, income, risk]

    def write(handle: IO[str]) -> None:
        writer = csv_writer(
            handle, format=CsvFormat(delimiter=population.delimiter), lineterminator="\n"
        )
        writer.writerow([*keys, *PER_PERSON_COLUMNS])
        with _open(population.path) as source:
            source.readline()
            writer.writerows(rows(csv.reader(source, delimiter=population.delimiter)))

    _atomic_write(Path(out), write)
