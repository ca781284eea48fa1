"""Data-quality checks on what outcome measurement reads (issue 9).

Legacy data is imported as it came (``models``): these checks find what breaks the rules, so
an administrator can fix the source and import again. Four checks:

- ``starts``: a trajectory type whose yearly starts in a province or at an office drop or
  rise by more than a factor 5 from one complete year to the next (source 004: W² starts in
  Limburg, 106 in 2018 and 1 in 2019). Each type is compared on its own: added together, 100
  more starts of another type would hide that fall (issue 17);
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation
from tandem.common import disclosure
from tandem.common.models import Province
from tandem.registry.models import Person
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
        if value == disclosure.HIDDEN:
            return disclosure.HIDDEN
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


@dataclass(frozen=True)
class StartJump:
    """Starts of one trajectory type in one province or at one office that jump between two
    consecutive years: what was seen, nothing about why."""

    unit: str  # "province" or "office"
    place: Any  # the province's code or the office's id
    type: str
    year: int
    starts: int
    next_starts: int

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def direction(self) -> str:
        return "drop" if self.next_starts < self.starts else "rise"

    @property
    def factor(self) -> float | None:
        """Larger over smaller year, one decimal; None when one of the years had no starts."""
        low, high = sorted((self.starts, self.next_starts))
        return round(high / low, 1) if low else None


# (unit, place, type, year): how many trajectories of that type started there that year.
StartCell = tuple[str, Any, str, int]


def start_jumps(counts: Mapping[StartCell, int], last_year: int) -> list[StartJump]:
    """Every jump of more than a factor 5 between consecutive complete years, per trajectory
    type and per province or office (a pure rule: ``counts`` in, findings out).

    Types are never added together: 106 W² starts falling to 1 stay a finding when another
    type rises by 100 in the same province (issue 17; source 004). Years after ``last_year``
    (incomplete) are left out. Provinces first, then offices; each by place, type and year.
    """
    series: dict[tuple[str, Any, str], dict[int, int]] = defaultdict(dict)
    for (unit, place, kind, year), n in counts.items():
        if year <= last_year:
            series[(unit, place, kind)][year] = series[(unit, place, kind)].get(year, 0) + n
    order = {"province": 0, "office": 1}
    jumps = [
        StartJump(unit, place, kind, year, a, b)
        for (unit, place, kind), years in series.items()
        for year, a, _next, b in _jumps(years, last_year)
    ]
    jumps.sort(key=lambda j: (order[j.unit], str(j.place), j.type, j.year))
    return jumps


def seen(jump: StartJump, name: str, starts: str, next_starts: str) -> str:
    """What was seen, in one sentence, with the counts as published (a number or the hidden
    mark): "Work-welfare trajectory (W²): starts in Limburg fell from 106 (2018) to 1 (2019)".
    It names no cause: the data shows the jump, not why."""
    values = {
        "type": CHOICES["type"].get(jump.type, jump.type),
        "place": name,
        "a": starts,
        "year": jump.year,
        "b": next_starts,
        "next_year": jump.next_year,
    }
    if jump.unit == "province":
        if jump.direction == "drop":
            text = gettext(
                "%(type)s: starts in %(place)s fell from %(a)s (%(year)s) to %(b)s (%(next_year)s)"
            )
        else:
            text = gettext(
                "%(type)s: starts in %(place)s rose from %(a)s (%(year)s) to %(b)s (%(next_year)s)"
            )
    elif jump.direction == "drop":
        text = gettext(
            "%(type)s: starts at %(place)s fell from %(a)s (%(year)s) to %(b)s (%(next_year)s)"
        )
    else:
        text = gettext(
            "%(type)s: starts at %(place)s rose from %(a)s (%(year)s) to %(b)s (%(next_year)s)"
        )
    return text % values


def check_starts(last_year: int, limit: int | None = None) -> CheckResult:
    """The jumps of ``start_jumps`` on Tandem's data, counts under disclosure control (counts
    below ``limit`` hidden; the configured threshold unless given)."""
    result = CheckResult(
        key="starts",
        title=_("Yearly starts of a trajectory type that jump by more than a factor 5"),
        why=_(
            "Starts of one trajectory type in a province or at an office that drop or rise by "
            "more than a factor 5 from one year to the next are seldom real. Source 004 gives "
            "W² starts in Limburg: 106 in 2018 and 1 in 2019. Every yearly figure and every "
            "outflow share of those years depends on them until the source is checked. Each "
            "type is compared on its own: with all types added together, a rise of another "
            "type can hide the fall. What was registered in those years (type, office, "
            "province) and what was imported tells why; this check only shows the jump."
        ),
        columns=[
            ("seen", _("What was seen")),
            ("unit", _("Province or office")),
            ("type", _("Type")),
            ("direction", _("Change")),
            ("factor", _("Factor")),
        ],
    )
    result.note = gettext(
        "Only complete years are compared: the current year (%(year)s) is left out until it "
        "has ended. Tandem's own and imported trajectories of a type count together. A change "
        "is only flagged when the larger year has at least %(min)s starts; a year without "
        "starts after one with %(min)s or more counts as a drop."
    ) % {"year": last_year + 1, "min": MIN_STARTS}
    result.note += " " + disclosure.note(limit)
    counts: dict[StartCell, int] = defaultdict(int)
    for key, n in start_counts(by_group=False).items():
        counts[("province", key.province, key.type, key.year)] += n
        if key.organisation_id is not None:
            counts[("office", key.organisation_id, key.type, key.year)] += n
    jumps = start_jumps(counts, last_year)
    # Every office's name in one query, also when no office jumped: the page's query count
    # does not depend on the data (a filter on an empty set of ids would skip the query).
    names = dict(Organisation.objects.values_list("pk", "name"))
    # The counts shown, each once (a year can sit in two findings); no totals are shown.
    shown_cells = {}
    for j in jumps:
        shown_cells[(j.unit, j.place, j.type, j.year)] = j.starts
        shown_cells[(j.unit, j.place, j.type, j.next_year)] = j.next_starts
    hidden = disclosure.protect(shown_cells, [], limit=limit)
    rows: list[dict[str, Any]] = []
    for j in jumps:
        first_hidden = (j.unit, j.place, j.type, j.year) in hidden
        next_hidden = (j.unit, j.place, j.type, j.next_year) in hidden
        a = disclosure.shown(j.starts, first_hidden)
        b = disclosure.shown(j.next_starts, next_hidden)
        name = (
            str(CHOICES["province"].get(j.place, j.place))
            if j.unit == "province"
            else names.get(j.place, "")
        )
        row: dict[str, Any] = {
            "seen": seen(j, name, a, b),
            "unit": j.unit,
            "name": name,
            "type": j.type,
            "year": j.year,
            "starts": a if first_hidden else j.starts,
            "next_year": j.next_year,
            "next_starts": b if next_hidden else j.next_starts,
            "direction": j.direction,
            # A factor would give a hidden count away.
            "factor": disclosure.HIDDEN if first_hidden or next_hidden else j.factor,
        }
        row["province" if j.unit == "province" else "id"] = j.place
        rows.append(row)
    # Provinces first, then offices; each by name, type and year.
    rows.sort(key=lambda r: (r["unit"] != "province", r["name"], r["type"], r["year"]))
    result.total = len(rows)
    result.rows = rows[:LIMIT]
    return result


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
    # The first LIMIT findings and how many there are, in one query whatever their number.
    found = list(
        rows.annotate(total=Window(Count("pk")))
        .order_by("start_date", "pk")
        .values_list(
            "pk",
            "type",
            "province",
            "organisation__name",
            "start_date",
            "closure_reason",
            "total",
        )[:LIMIT]
    )
    result.total = found[0][-1] if found else 0
    result.rows = [
        {
            "ref": Ref("imported_trajectory", pk),
            "type": kind,
            "province": province,
            "organisation": organisation or "",
            "start_date": start,
            "closure_reason": reason,
        }
        for pk, kind, province, organisation, start, reason, _total in found
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
    # Before the person's birth date is also before the youngest person's: that bound, which
    # implies nothing more, lets PostgreSQL read the few events that old from the index on the
    # date instead of joining every event to its person (status_event_date).
    youngest = Person.objects.order_by("-birth_date").values("birth_date")[:1]
    rows = StatusEvent.objects.filter(date__lt=F("person__birth_date")).filter(
        date__lt=Subquery(youngest)
    )
    found = list(
        rows.annotate(total=Window(Count("pk")))
        .order_by("date", "pk")
        .values_list("pk", "date", "status", "source", "person__province", "total")[:LIMIT]
    )
    result.total = found[0][-1] if found else 0
    result.rows = [
        {
            "ref": Ref("status_event", pk),
            "date": day,
            "status": status,
            "source": source,
            "province": province,
        }
        for pk, day, status, source, province, _total in found
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


def run_checks(today: dt.date, limit: int | None = None) -> QualityReport:
    last_year = today.year - 1
    return QualityReport(
        today=today,
        last_complete_year=last_year,
        limit=LIMIT,
        checks=[
            check_starts(last_year, limit),
            check_closed_without_end(),
            check_status_before_birth(),
            check_open_overlaps(),
        ],
    )
