"""Data-quality checks on what outcome measurement reads (issue 9).

Legacy data is imported as it came (``models``): these checks find what breaks the rules, so
an administrator can fix the source and import again. Four checks:

- ``starts``: a province or office whose yearly starts drop or rise by more than a factor 5
  from one complete year to the next (the sources had Limburg at 106 W² starts in 2018 and 1
  in 2019, because of wrong registrations);
- ``closed_without_end``: imported trajectories with a reason for closing but no end date;
- ``status_before_birth``: labour-market status events dated before the person was born;
- ``open_overlaps``: persons with two or more open trajectories of one type.

Findings name records, never persons: a record reference (``imported trajectory #123``), the
type, dates and province, no name, national number or birth date. Each check costs one or two
queries, whatever the number of rows; at most ``LIMIT`` findings per check are listed, with the
count of the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation
from tandem.common.models import Province
from tandem.trajectories.models import ClosureReason, Status, Trajectory, TrajectoryType

from ..models import ImportedTrajectory, LabourStatus, StatusEvent
from ..selectors import start_counts

# More than this factor between two consecutive complete years is flagged, either way.
FACTOR = 5
# A change is only flagged when the larger of the two years has at least this many starts:
# 1 against 4 is noise, 0 after 5 is a drop.
MIN_STARTS = 5
# Findings listed per check; the rest are counted.
LIMIT = 50


@dataclass(frozen=True)
class Ref:
    """A record, by its kind and database id: enough to find it, nothing about the person."""

    kind: str  # "imported_trajectory", "trajectory" or "status_event"
    pk: int

    def __str__(self) -> str:
        labels = {
            "imported_trajectory": gettext("imported trajectory #%(id)s"),
            "trajectory": gettext("Tandem trajectory #%(id)s"),
            "status_event": gettext("status event #%(id)s"),
        }
        return labels[self.kind] % {"id": self.pk}

    def as_json(self) -> dict[str, Any]:
        return {"model": self.kind, "id": self.pk}


@dataclass
class CheckResult:
    key: str
    title: Promise
    why: Promise
    # Columns of the findings table: (row key, heading).
    columns: list[tuple[str, Promise]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    note: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    def cells(self) -> list[list[str]]:
        """The listed findings as text, in column order."""
        return [[display(key, row.get(key)) for key, _label in self.columns] for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "total": self.total,
            "listed": [{k: _json(v) for k, v in row.items()} for row in self.rows],
            "more": self.more,
        }


@dataclass
class QualityReport:
    today: dt.date
    last_complete_year: int
    checks: list[CheckResult]
    # Findings listed per check.
    limit: int = LIMIT

    @property
    def total(self) -> int:
        return sum(c.total for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {
            "generated_on": self.today.isoformat(),
            "last_complete_year": self.last_complete_year,
            "findings": self.total,
            "checks": [c.as_json() for c in self.checks],
        }


CHOICES: dict[str, dict[str, Any]] = {
    "type": dict(TrajectoryType.choices),
    "province": dict(Province.choices),
    "status": dict(LabourStatus.choices),
    "closure_reason": dict(ClosureReason.choices),
}
DIRECTIONS = {
    "drop": pgettext_lazy("data quality", "drop"),
    "rise": pgettext_lazy("data quality", "rise"),
}
UNITS = {
    "province": pgettext_lazy("data quality", "province"),
    "office": pgettext_lazy("data quality", "office"),
}


def display(key: str, value: Any) -> str:
    """One cell as text: codes by their label, dates as d/m/Y, references by their name."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(display(key, v) for v in value)
    if key in CHOICES:
        return str(CHOICES[key].get(value, value))
    if key == "provinces":
        return str(CHOICES["province"].get(value, value))
    if key == "direction":
        return str(DIRECTIONS[value])
    if key == "unit":
        return str(UNITS[value])
    if key == "factor":
        return f"× {value}" if value is not None else gettext("from or to none")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Ref):
        return value.as_json()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


# --- the checks ------------------------------------------------------------------------------


def _jumps(years: dict[int, int], last_year: int) -> Iterable[tuple[int, int, int, int]]:
    """(year, count, next year, next count) for each flagged pair of consecutive years, from
    the first year with starts up to ``last_year``; years without starts count as 0."""
    first = min((y for y, n in years.items() if n), default=None)
    if first is None:
        return
    for year in range(first, last_year):
        a, b = years.get(year, 0), years.get(year + 1, 0)
        low, high = min(a, b), max(a, b)
        if high >= MIN_STARTS and (low == 0 or high > FACTOR * low):
            yield year, a, year + 1, b


def check_starts(last_year: int) -> CheckResult:
    result = CheckResult(
        key="starts",
        title=_("Yearly starts that jump by more than a factor 5"),
        why=_(
            "A province or office whose starts drop or rise by more than a factor 5 from one "
            "year to the next usually points at registrations, not at reality: the sources had "
            "Limburg at 106 W² starts in 2018 and 1 in 2019 because trajectories were "
            "registered under the wrong type. Every yearly figure and every outflow share of "
            "those years is wrong until the source is fixed. Check whether starts were "
            "registered under another type, office or province, or were not imported."
        ),
        columns=[
            ("unit", _("Province or office")),
            ("name", _("Name")),
            ("year", _("Year")),
            ("starts", _("Starts")),
            ("next_year", _("Next year")),
            ("next_starts", _("Starts")),
            ("direction", _("Change")),
            ("factor", _("Factor")),
        ],
    )
    result.note = gettext(
        "Only complete years are compared: the current year (%(year)s) is left out until it "
        "has ended. Tandem's own and imported trajectories count together. A change is only "
        "flagged when the larger year has at least %(min)s starts; a year without starts after "
        "one with %(min)s or more counts as a drop."
    ) % {"year": last_year + 1, "min": MIN_STARTS}
    by_province: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_office: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for key, n in start_counts().items():
        if key.year > last_year:
            continue
        by_province[key.province][key.year] += n
        if key.organisation_id is not None:
            by_office[key.organisation_id][key.year] += n
    rows: list[dict[str, Any]] = []
    for province, years in sorted(by_province.items()):
        for year, a, next_year, b in _jumps(years, last_year):
            rows.append(_jump_row("province", province, year, a, next_year, b))
    office_rows = [
        _jump_row("office", pk, year, a, next_year, b)
        for pk, years in by_office.items()
        for year, a, next_year, b in _jumps(years, last_year)
    ]
    names = dict(
        Organisation.objects.filter(pk__in={r["id"] for r in office_rows}).values_list("pk", "name")
    )
    for row in office_rows:
        row["name"] = names.get(row["id"], "")
    office_rows.sort(key=lambda r: (r["name"], r["year"]))
    rows.extend(office_rows)
    result.total = len(rows)
    result.rows = rows[:LIMIT]
    return result


def _jump_row(unit: str, key: Any, year: int, a: int, next_year: int, b: int) -> dict[str, Any]:
    low, high = min(a, b), max(a, b)
    row: dict[str, Any] = {
        "unit": unit,
        "name": str(CHOICES["province"].get(key, key)) if unit == "province" else "",
        "year": year,
        "starts": a,
        "next_year": next_year,
        "next_starts": b,
        "direction": "drop" if b < a else "rise",
        # Rounded to one decimal; None when one of the years had no starts.
        "factor": round(high / low, 1) if low else None,
    }
    if unit == "province":
        row["province"] = key
    else:
        row["id"] = key
    return row


def check_closed_without_end() -> CheckResult:
    result = CheckResult(
        key="closed_without_end",
        title=_("Imported trajectories closed without an end date"),
        why=_(
            "Outcomes are measured 6, 12 and 24 months after the end date. A trajectory with a "
            "reason for closing but no end date cannot be measured and counts as still open, so "
            "it is missing from the outflow figures and may hide or double another trajectory. "
            "Tandem's own trajectories cannot be in this state (the database refuses it); only "
            "imported ones can."
        ),
        columns=[
            ("ref", _("Record")),
            ("type", _("Type")),
            ("province", _("Province")),
            ("organisation", _("Office")),
            ("start_date", _("Start date")),
            ("closure_reason", _("Reason for closing")),
        ],
    )
    rows = ImportedTrajectory.objects.filter(end_date__isnull=True).exclude(closure_reason="")
    result.total = rows.count()
    if result.total:
        result.rows = [
            {
                "ref": Ref("imported_trajectory", pk),
                "type": kind,
                "province": province,
                "organisation": organisation or "",
                "start_date": start,
                "closure_reason": reason,
            }
            for pk, kind, province, organisation, start, reason in rows.order_by(
                "start_date", "pk"
            ).values_list(
                "pk", "type", "province", "organisation__name", "start_date", "closure_reason"
            )[:LIMIT]
        ]
    return result


def check_status_before_birth() -> CheckResult:
    result = CheckResult(
        key="status_before_birth",
        title=_("Labour-market status dated before birth"),
        why=_(
            "A status event before the person's birth date means the event or the birth date "
            "is wrong (often a mixed-up person or a date typed in the wrong format). The status "
            "on a measurement day and the age bands are then unreliable."
        ),
        columns=[
            ("ref", _("Record")),
            ("date", _("Date")),
            ("status", _("Status")),
            ("source", _("Source")),
            ("province", _("Province")),
        ],
    )
    rows = StatusEvent.objects.filter(date__lt=F("person__birth_date"))
    result.total = rows.count()
    if result.total:
        result.rows = [
            {
                "ref": Ref("status_event", pk),
                "date": day,
                "status": status,
                "source": source,
                "province": province,
            }
            for pk, day, status, source, province in rows.order_by("date", "pk").values_list(
                "pk", "date", "status", "source", "person__province"
            )[:LIMIT]
        ]
    return result


def _open_imported() -> QuerySet[ImportedTrajectory]:
    # Closed without an end date is not open: the check above lists it.
    return ImportedTrajectory.objects.filter(end_date__isnull=True, closure_reason="")


def _open_own() -> QuerySet[Trajectory]:
    return Trajectory.objects.exclude(status=Status.CLOSED)


def check_open_overlaps() -> CheckResult:
    result = CheckResult(
        key="open_overlaps",
        title=_("Persons with two or more open trajectories of one type"),
        why=_(
            "A person follows one trajectory of a type at a time; Tandem refuses a second open "
            "one. Two open ones of the same type, imported or imported and in Tandem, usually "
            "mean a closure was never registered: the person counts twice in the starts and "
            "the older trajectory never gets an outcome. Close the one that ended, at its "
            "real end date."
        ),
        columns=[
            ("refs", _("Records")),
            ("type", _("Type")),
            ("start_dates", _("Start dates")),
            ("provinces", _("Province")),
        ],
    )
    same_person_type = {"person_id": OuterRef("person_id"), "type": OuterRef("type")}
    imported = (
        _open_imported()
        .filter(
            Exists(_open_imported().filter(**same_person_type).exclude(pk=OuterRef("pk")))
            | Exists(_open_own().filter(**same_person_type))
        )
        .values_list("pk", "person_id", "type", "start_date", "province")
    )
    own = (
        _open_own()
        .filter(Exists(_open_imported().filter(**same_person_type)))
        .values_list("pk", "person_id", "type", "start_date", "person__province")
    )
    groups: dict[tuple[int, str], list[tuple[dt.date, Ref, str]]] = defaultdict(list)
    for pk, person, kind, start, province in imported:
        groups[(person, kind)].append((start, Ref("imported_trajectory", pk), province))
    for pk, person, kind, start, province in own:
        groups[(person, kind)].append((start, Ref("trajectory", pk), province))
    rows: list[dict[str, Any]] = []
    for (_person, kind), items in groups.items():
        items.sort(key=lambda item: (item[0], item[1].kind, item[1].pk))
        rows.append(
            {
                "refs": [ref for _start, ref, _prov in items],
                "type": kind,
                "start_dates": [start for start, _ref, _prov in items],
                "provinces": sorted({prov for _start, _ref, prov in items if prov}),
            }
        )
    # The person's id only groups the rows; it is not shown.
    rows.sort(key=lambda r: (r["start_dates"][0], r["refs"][0].pk))
    result.total = len(rows)
    result.rows = rows[:LIMIT]
    return result


def run_checks(today: dt.date) -> QualityReport:
    last_year = today.year - 1
    return QualityReport(
        today=today,
        last_complete_year=last_year,
        limit=LIMIT,
        checks=[
            check_starts(last_year),
            check_closed_without_end(),
            check_status_before_birth(),
            check_open_overlaps(),
        ],
    )
