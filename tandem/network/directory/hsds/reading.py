"""Read a tabular data package: ``datapackage.json`` and the CSV files of the resources Tandem
holds, each cell checked on its own (required, UUID, number, enumeration) and duplicate ids.
Problems are collected, not raised, so one run reports all of them."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tandem.common.exports import restore_cell
from tandem.common.untrusted import NUL, JsonProblem, csv_error_message, load_json, nul_message

from .spec import SPECS_BY_NAME, SPECS_BY_PATH, UUID_RE, Problem, ResourceSpec


@dataclass
class Row:
    line: int
    values: dict[str, str]
    bad: set[str] = field(default_factory=set)  # columns whose value failed a check

    def get(self, name: str) -> str:
        return "" if name in self.bad else self.values.get(name, "")

    def uuid(self, name: str) -> uuid.UUID | None:
        value = self.get(name)
        return uuid.UUID(value) if value else None


@dataclass
class Table:
    spec: ResourceSpec
    file: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Package:
    directory: Path
    tables: dict[str, Table] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # resources Tandem does not hold
    problems: list[Problem] = field(default_factory=list)

    def rows(self, spec: ResourceSpec) -> list[Row]:
        table = self.tables.get(spec.name)
        return table.rows if table else []

    def file(self, spec: ResourceSpec) -> str:
        table = self.tables.get(spec.name)
        return table.file if table else spec.path


def read_package(directory: Path) -> Package:
    """Parse the package in ``directory`` and check every cell; problems are collected."""
    package = Package(directory=directory)
    descriptor = _read_descriptor(directory, package.problems)
    if descriptor is None:
        return package
    root = directory.resolve()
    for number, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict):
            package.problems.append(
                Problem(
                    "datapackage.json",
                    None,
                    "",
                    _("resource %(n)s is not an object") % {"n": number},
                )
            )
            continue
        name = str(resource.get("name") or "")
        path = resource.get("path")
        spec = SPECS_BY_NAME.get(name) or (
            SPECS_BY_PATH.get(Path(path).name) if isinstance(path, str) else None
        )
        if spec is None:
            package.ignored.append(path if isinstance(path, str) else name)
            continue
        table = _read_resource(root, spec, resource, package.problems)
        if table is None:
            continue
        if spec.name in package.tables:
            package.problems.append(
                Problem(
                    "datapackage.json",
                    None,
                    "",
                    _("the resource %(name)s is listed twice") % {"name": spec.name},
                )
            )
            continue
        package.tables[spec.name] = table
    return package


def _read_descriptor(directory: Path, problems: list[Problem]) -> dict[str, Any] | None:
    path = directory / "datapackage.json"
    if not directory.is_dir():
        problems.append(Problem(str(directory), None, "", _("no such folder")))
        return None
    if not path.is_file():
        problems.append(
            Problem("datapackage.json", None, "", _("not found: a tabular data package needs it"))
        )
        return None
    try:
        data = load_json(path.read_text(encoding="utf-8-sig"))
    except JsonProblem as problem:
        problems.append(Problem("datapackage.json", None, "", str(problem)))
        return None
    except UnicodeDecodeError:
        problems.append(Problem("datapackage.json", None, "", _("not valid UTF-8")))
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                "datapackage.json",
                exc.lineno,
                "",
                _("not valid JSON: %(msg)s (character %(col)s)")
                % {"msg": exc.msg, "col": exc.colno},
            )
        )
        return None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        problems.append(Problem("datapackage.json", None, "", _('it has no list of "resources"')))
        return None
    return data


def _read_resource(
    root: Path, spec: ResourceSpec, resource: dict[str, Any], problems: list[Problem]
) -> Table | None:
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        problems.append(
            Problem(
                "datapackage.json",
                None,
                "",
                _("the resource %(name)s needs one file name as its path") % {"name": spec.name},
            )
        )
        return None
    file = (root / path).resolve()
    if not file.is_relative_to(root):
        problems.append(Problem(path, None, "", _("the path points outside the package folder")))
        return None
    encoding = str(resource.get("encoding") or "utf-8").lower().replace("_", "-")
    if encoding not in {"utf-8", "utf8", "utf-8-sig"}:
        problems.append(
            Problem(
                path,
                None,
                "",
                _("encoding %(enc)s is not supported; use UTF-8") % {"enc": encoding},
            )
        )
        return None
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    delimiter = str((dialect or {}).get("delimiter") or ",")
    if len(delimiter) != 1:
        problems.append(
            Problem("datapackage.json", None, "", _("the delimiter must be one character"))
        )
        return None
    if not file.is_file():
        problems.append(
            Problem(path, None, "", _("listed in datapackage.json, but the file is missing"))
        )
        return None
    return _read_table(spec, file.read_bytes(), path, delimiter, problems)


def _read_table(
    spec: ResourceSpec, raw: bytes, display: str, delimiter: str, problems: list[Problem]
) -> Table | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(display, line, "", _("not valid UTF-8 text; save the file as UTF-8"))
        )
        return None
    table = Table(spec=spec, file=display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(display, None, "", _("the file is empty: it needs a header line")))
        return None
    except csv.Error as exc:
        problems.append(Problem(display, 1, "", _("cannot be read as CSV: %(e)s") % {"e": exc}))
        return None
    errors_before = len(problems)
    for name in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(display, 1, name, _("the column appears twice in the header")))
    for column in spec.columns:
        if column.required and column.name not in header:
            problems.append(Problem(display, 1, column.name, _("the column is missing")))
    if len(problems) > errors_before:
        return None
    first_line: dict[str, int] = {}
    last = reader.line_num
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        display,
                        start,
                        "",
                        _("%(n)s values, but the header has %(m)s columns")
                        % {"n": len(cells), "m": len(header)},
                    )
                )
                continue
            row = Row(
                start, {h: restore_cell(c.strip()) for h, c in zip(header, cells, strict=True)}
            )
            _check_cells(spec, row, display, problems)
            row_id = row.get("id")
            if row_id:
                if row_id in first_line:
                    problems.append(
                        Problem(
                            display,
                            start,
                            "id",
                            _("the id %(id)s is already on line %(first)s")
                            % {"id": row_id, "first": first_line[row_id]},
                        )
                    )
                    continue
                first_line[row_id] = start
            table.rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(display, reader.line_num, "", csv_error_message(exc)))
    return table


def _check_cells(spec: ResourceSpec, row: Row, file: str, problems: list[Problem]) -> None:
    for name, value in row.values.items():
        if NUL in value:
            row.bad.add(name)
            problems.append(Problem(file, row.line, name, nul_message()))
    for column in spec.columns:
        value = row.values.get(column.name, "")
        message = ""
        if column.name in row.bad:
            continue
        if not value:
            if column.required:
                message = _("required, but empty")
        elif column.kind == "uuid":
            if UUID_RE.fullmatch(value):
                row.values[column.name] = value.lower()
            else:
                message = _(
                    "“%(value)s” is not a UUID (like d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610)"
                ) % {"value": value}
        elif column.kind == "number":
            try:
                number: Decimal | None = Decimal(value)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                message = _("“%(value)s” is not a number") % {"value": value}
            elif column.range and not column.range[0] <= number <= column.range[1]:
                # 1e400 is a number, but no latitude: said here, not emptied on the way in.
                message = _("%(value)s lies outside %(low)s to %(high)s") % {
                    "value": value[:40],
                    "low": column.range[0],
                    "high": column.range[1],
                }
        elif column.enum and value not in column.enum:
            message = _("“%(value)s” is not one of: %(allowed)s") % {
                "value": value,
                "allowed": ", ".join(column.enum),
            }
        if message:
            # The model's own check would say the same again: it skips this column.
            row.bad.add(column.name)
            problems.append(Problem(file, row.line, column.name, message))
