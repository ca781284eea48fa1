"""Import trajectories from a legacy system into ``ImportedTrajectory``.

Columns: ``insz, first_name, last_name, birth_date, gender, province, organisation, type,
start_date, end_date, closure_reason, group_work, project``. Trajectories are far fewer than
status events, so rows are checked in Python against lookups loaded up front (organisations,
projects, persons and existing trajectories in a few chunked queries) and written with
``bulk_create``/``bulk_update``, all in one transaction.

A person is matched by INSZ and never overwritten; an unknown INSZ creates a person owned by
the row's organisation or else the default organisation, from the first row that names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Organisation
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.dates import DateKind
from tandem.common.models import Province
from tandem.programmes.models import Project
from tandem.registry import insz as insz_rules
from tandem.registry.models import (
    Benefit,
    Gender,
    NationalityGroup,
    Person,
    Registration,
)
from tandem.registry.services import person_search_key, persons_bulk_create
from tandem.registry.validation import person_field_errors
from tandem.trajectories.models import ClosureReason, TrajectoryType

from ..models import ImportedTrajectory
from ..services import refresh_outcomes
from .csv import (
    PROGRESS_EVERY,
    CsvRows,
    ErrorList,
    ImportReport,
    Progress,
    missing_value,
    read_date,
)

COLUMNS = [
    "insz",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "province",
    "organisation",
    "type",
    "start_date",
    "end_date",
    "closure_reason",
    "group_work",
    "project",
]
CHUNK = 5000
VALUES = ("organisation_id", "province", "end_date", "closure_reason", "group_work", "project_id")


@dataclass
class _Row:
    line: int
    insz: str
    first_name: str
    last_name: str
    birth_date: dt.date | None
    gender: str
    province: str
    organisation: Organisation | None
    type: str
    start_date: dt.date
    end_date: dt.date | None
    closure_reason: str
    group_work: bool
    project: Project | None

    def values(self) -> tuple[Any, ...]:
        return (
            self.organisation.pk if self.organisation else None,
            self.province,
            self.end_date,
            self.closure_reason,
            self.group_work,
            self.project.pk if self.project else None,
        )


def _lookup(objects: Iterable[Any]) -> dict[str, Any]:
    """Map the lower-cased code and name of each object to it (codes win over names)."""
    found: dict[str, Any] = {}
    objects = list(objects)
    for obj in objects:
        found.setdefault(obj.name.strip().lower(), obj)
    for obj in objects:
        found[obj.code.lower()] = obj
    return found


def _provinces() -> dict[str, str]:
    found = {label.lower(): value for value, label in Province.choices}
    found.update({value: value for value in Province.values})
    return found


class _Checker:
    """Checks one row's values, adding errors to ``errors``; returns None for a bad row."""

    def __init__(self, errors: ErrorList) -> None:
        self.errors = errors
        self.organisations = _lookup(Organisation.objects.all())
        self.projects = _lookup(Project.objects.all())
        self.provinces = _provinces()

    def date(
        self, line: int, field: str, raw: str, *, required: bool, kind: DateKind = DateKind.EVENT
    ) -> dt.date | None:
        if not raw:
            if required:
                self.errors.add(line, field, missing_value())
            return None
        parsed, problem = read_date(raw, kind)
        if problem is not None:
            self.errors.add(line, field, problem)
        return parsed

    def choice(self, line: int, field: str, raw: str, choices: dict[str, str]) -> str | None:
        if not raw:
            self.errors.add(line, field, missing_value())
            return None
        value = choices.get(raw.lower())
        if value is None:
            self.errors.add(
                line,
                field,
                _("%(value)s is not one of: %(values)s")
                % {"value": raw, "values": ", ".join(dict.fromkeys(choices.values()))},
            )
        return value

    def row(self, line: int, values: dict[str, str]) -> _Row | None:
        bad = self.errors.total
        add = self.errors.add
        insz = None
        if not values["insz"]:
            add(line, "insz", missing_value())
        else:
            try:
                insz = insz_rules.parse(values["insz"]).digits
            except insz_rules.InszError as exc:
                add(line, "insz", str(exc))
        birth_date = self.date(
            line, "birth_date", values["birth_date"], required=False, kind=DateKind.BIRTH
        )
        gender = ""
        if values["gender"]:
            gender = self.choice(line, "gender", values["gender"], _GENDERS) or ""
        self.person(line, values, insz, birth_date, gender)
        province = self.choice(line, "province", values["province"], self.provinces)
        type_ = self.choice(line, "type", values["type"], _TYPES)
        start_date = self.date(line, "start_date", values["start_date"], required=True)
        end_date = self.date(line, "end_date", values["end_date"], required=False)
        if start_date and end_date and end_date < start_date:
            add(
                line,
                "end_date",
                _("%(end)s is before start_date %(start)s")
                % {"end": end_date.isoformat(), "start": start_date.isoformat()},
            )
        closure_reason = ""
        if values["closure_reason"]:
            closure_reason = (
                self.choice(line, "closure_reason", values["closure_reason"], _REASONS) or ""
            )
        elif end_date:
            closure_reason = ClosureReason.OTHER
        group_work = values["group_work"] or "0"
        if group_work not in ("0", "1"):
            add(line, "group_work", _("%(value)s is not 0 or 1") % {"value": group_work})
        organisation = self._named(line, "organisation", values["organisation"])
        project = self._named(line, "project", values["project"])
        if self.errors.total > bad:
            return None
        assert insz and province and type_ and start_date  # checked above
        return _Row(
            line=line,
            insz=insz,
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_date=birth_date,
            gender=gender,
            province=province,
            organisation=organisation,
            type=type_,
            start_date=start_date,
            end_date=end_date,
            closure_reason=closure_reason,
            group_work=group_work == "1",
            project=project,
        )

    def person(
        self,
        line: int,
        values: dict[str, str],
        insz: str | None,
        birth_date: dt.date | None,
        gender: str,
    ) -> None:
        """What the person forms check (``registry.validation``): the names' characters and
        length, and the national number against the birth date. A name may be empty
        here (a known person is matched on the number; a new one needs it, see
        ``_check_new_persons``); the number and birth date were checked on their own above."""
        found = person_field_errors(
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_date=birth_date,
            insz=insz,
        )
        for field in ("first_name", "last_name"):
            if values[field]:
                for message in found.get(field, ()):
                    self.errors.add(line, field, message)
        if insz:
            for message in found.get("insz", ()):
                self.errors.add(line, "insz", message)

    def _named(self, line: int, field: str, raw: str) -> Any:
        if not raw:
            return None
        found = (self.organisations if field == "organisation" else self.projects).get(raw.lower())
        if found is None:
            message = (
                _("no organisation with code or name %(value)s")
                if field == "organisation"
                else _("no project with code or name %(value)s")
            )
            self.errors.add(line, field, message % {"value": raw})
        return found


_GENDERS = {value.lower(): value for value in Gender.values}
_TYPES = {value: value for value in TrajectoryType.values}
_REASONS = {value: value for value in ClosureReason.values}


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _persons(inszs: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(inszs)):
        for insz, pk in Person.objects.filter(insz__in=chunk).values_list("insz", "pk"):
            found[insz or ""] = pk
    return found


def _new_person(row: _Row, owner: Organisation) -> Person:
    assert row.birth_date is not None  # checked by _check_new_persons
    return Person(
        organisation=owner,
        first_name=row.first_name,
        last_name=row.last_name,
        search_key=person_search_key(row.first_name, row.last_name),
        insz=row.insz,
        birth_date=row.birth_date,
        gender=row.gender,
        municipality="",
        province=row.province,
        registration=Registration.REGISTERED,
        benefit=Benefit.UNKNOWN,
        nationality_group=NationalityGroup.UNKNOWN,
    )


def _check_new_persons(
    rows: list[_Row],
    known: dict[str, int],
    default_organisation: Organisation | None,
    errors: ErrorList,
) -> list[Person]:
    """Build the persons to create (one per unknown INSZ, from its first row)."""
    new: dict[str, Person] = {}
    for row in rows:
        if row.insz in known or row.insz in new:
            continue
        owner = row.organisation or default_organisation
        bad = errors.total
        if owner is None:
            errors.add(
                row.line,
                "organisation",
                _(
                    "this row creates a new person, who needs an owning organisation: "
                    "name one in this column or with --organisation"
                ),
            )
        for field in ("first_name", "last_name", "birth_date", "gender"):
            if not getattr(row, field):
                errors.add(row.line, field, _("a value is required to create a new person"))
        if errors.total == bad:
            assert owner is not None  # checked above
            new[row.insz] = _new_person(row, owner)
    return list(new.values())


def import_trajectories(
    source: TextIO,
    *,
    default_organisation: Organisation | None = None,
    file_name: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import legacy trajectories from a CSV; raise ``ImportRejected`` (writing nothing) on
    any bad row."""
    errors = ErrorList()
    csv_rows = CsvRows(source, COLUMNS, errors)
    index = {name: csv_rows.index[name] for name in COLUMNS}
    checker = _Checker(errors)
    report = ImportReport()
    rows: list[_Row] = []
    first_line: dict[tuple[str, str, dt.date], int] = {}
    for values in csv_rows:
        report.rows += 1
        if progress is not None and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        line = csv_rows.line
        row = checker.row(line, {name: values[i] for name, i in index.items()})
        if row is None:
            continue
        key = (row.insz, row.type, row.start_date)
        if key in first_line:
            errors.add(
                line,
                "start_date",
                _(
                    "a %(type)s trajectory starting on %(date)s for this person is already on "
                    "line %(first)s"
                )
                % {"type": row.type, "date": row.start_date.isoformat(), "first": first_line[key]},
            )
            continue
        first_line[key] = line
        rows.append(row)
    if progress is not None and report.rows % PROGRESS_EVERY:
        progress(report.rows)

    with transaction.atomic():
        known = _persons({row.insz for row in rows})
        new_persons = _check_new_persons(rows, known, default_organisation, errors)
        if errors:
            raise errors.reject()
        for chunk in _chunks(new_persons):
            persons_bulk_create(chunk)
        report.persons_created = len(new_persons)
        if new_persons:
            known.update(_persons(p.insz for p in new_persons if p.insz))
        _write(rows, known, report)
        if report.created or report.updated:  # the outcome table follows the trajectories
            refresh_outcomes(known[row.insz] for row in rows)
        audit_event_record(
            actor=None,
            event_type=Event.OUTCOMES_TRAJECTORIES_IMPORTED,
            data={"file": file_name, **report.counts()},
        )
    return report


def _write(rows: list[_Row], persons: dict[str, int], report: ImportReport) -> None:
    existing: dict[tuple[int, str, dt.date], tuple[int, tuple[Any, ...]]] = {}
    person_ids = sorted({persons[row.insz] for row in rows})
    for chunk in _chunks(person_ids):
        for pk, person_id, type_, start_date, *values in ImportedTrajectory.objects.filter(
            person_id__in=chunk
        ).values_list("pk", "person_id", "type", "start_date", *VALUES):
            existing[(person_id, type_, start_date)] = (pk, tuple(values))
    to_create: list[ImportedTrajectory] = []
    to_update: list[ImportedTrajectory] = []
    for row in rows:
        person_id = persons[row.insz]
        fields = dict(zip(VALUES, row.values(), strict=True))
        found = existing.get((person_id, row.type, row.start_date))
        if found is None:
            to_create.append(
                ImportedTrajectory(
                    person_id=person_id, type=row.type, start_date=row.start_date, **fields
                )
            )
        elif found[1] != row.values():
            to_update.append(ImportedTrajectory(pk=found[0], **fields))
        else:
            report.unchanged += 1
    ImportedTrajectory.objects.bulk_create(to_create, batch_size=CHUNK)
    ImportedTrajectory.objects.bulk_update(
        to_update, [name.removesuffix("_id") for name in VALUES], batch_size=1000
    )
    report.created, report.updated = len(to_create), len(to_update)
