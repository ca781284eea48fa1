"""Limits for the files that come in from outside: the CSV and JSON an import reads.

An import reads a file somebody else made; before any value reaches a model it passes these
checks, so a bad file is refused with a message that names its line (or, in JSON, its path)
instead of ending in a traceback:

* **NUL characters.** PostgreSQL cannot store U+0000 in text (the driver raises), and no
  value in a person's file or a directory ever holds it: a cell or JSON string with one is
  refused.
* **Size.** Python's csv module stops at a value of more than ``csv.field_size_limit()``
  characters (131,072 unless changed; Tandem leaves that process-wide setting alone) with a
  ``csv.Error``, which the importers report on its line; below that, each import sets its own
  maximum per value (``cell_problem``), far above what any of its columns holds.
* **JSON depth and numbers.** ``load_json`` refuses nesting deeper than ``JSON_DEPTH_MAX``
  (Python's parser would otherwise end in a ``RecursionError``), ``NaN`` and ``Infinity``, a
  number too large for a float (``1e400``, which Python reads as infinity) and an integer of
  more digits than Python converts, each with the JSON path where it stands (``$.resources[2]``).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

CELL_MAX = 10_000  # characters in one value of an imported CSV, unless the import says less
JSON_DEPTH_MAX = 32  # nested arrays and objects; a data package descriptor needs five
JSON_INTEGER_DIGITS_MAX = 30
NUL = "\x00"


def nul_message() -> str:
    return _("holds a NUL character (U+0000), which no text may hold; save the file without it")


def too_long_message(length: int, limit: int) -> str:
    return _("%(length)s characters; at most %(limit)s fit") % {"length": length, "limit": limit}


def csv_error_message(error: Exception) -> str:
    """What a ``csv.Error`` means to the person who made the file."""
    if "field limit" in str(error):
        return _("a value is longer than %(limit)s characters; nothing after it was read") % {
            "limit": number_format(csv.field_size_limit(), force_grouping=True)
        }
    return _("cannot be read as CSV: %(e)s") % {"e": error}


def cell_problem(value: str, *, max_length: int = CELL_MAX) -> str | None:
    """Why ``value`` (one cell of an imported file) cannot be taken, or None."""
    if NUL in value:
        return nul_message()
    if len(value) > max_length:
        return too_long_message(len(value), max_length)
    return None


@dataclass(frozen=True)
class JsonProblem(Exception):
    """A JSON document Tandem will not read: ``path`` says where (``$`` is the whole)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class _Refused:
    """A number the parser met that Tandem will not take (kept to name its path)."""

    text: str


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused(text)


def _parse_int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > JSON_INTEGER_DIGITS_MAX:
        return _Refused(text)
    return int(text)


def load_json(text: str, *, max_depth: int = JSON_DEPTH_MAX) -> Any:
    """Parse ``text`` as JSON with the limits above; raise ``JsonProblem`` for a document that
    breaks one, and ``json.JSONDecodeError`` (with its line) for one that is not JSON."""
    try:
        data = json.loads(
            text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_Refused
        )
    except RecursionError:
        raise JsonProblem(
            "$", _("nested more than %(max)s levels deep") % {"max": max_depth}
        ) from None
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= max_depth:
                raise JsonProblem(
                    path, _("nested more than %(max)s levels deep") % {"max": max_depth}
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    raise JsonProblem(path, nul_message())
                where = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
                stack.append((item, where, depth + 1))
        elif isinstance(value, _Refused):
            raise JsonProblem(
                path,
                _("%(value)s is not a finite number Tandem can store") % {"value": value.text[:40]},
            )
        elif isinstance(value, str) and NUL in value:
            raise JsonProblem(path, nul_message())
    return data
