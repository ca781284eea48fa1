"""Group-work figures (issue 7): fill rate, waiting time, attendance and completion, per
province, programme, module and intake moment. Aggregates only: the page that shows them
applies disclosure control (counts under 5 as "x", rates over fewer than 5 participants not
shown).

The definitions, as the page states them:

- **Fill rate** of an intake moment: places given / capacity. A place is given to an enrolment
  placed in that group whose status is placed, completed or left; a place given stays counted
  when the person later leaves (someone who leaves *before the group starts* loses the place,
  which goes to the waiting list, and is not counted). The capacity of an intake moment is its
  module's capacity. For a module, programme or province: the places given over the capacities
  of its intake moments that have started (start date on or before the reference date);
  upcoming intake moments are listed on their own with their current fill.
- **Waiting time**: days from the request to the first session of the group the enrolment was
  placed in (enrolments placed in a group: placed, completed or left); median and mean. When an
  intake moment has no sessions, its start date stands in for the first session.
- **Attendance rate**: present / (present + excused + absent) over all recorded attendance; the
  excused share likewise.
- **Completion rate**: completed / (completed + left) among the enrolments placed in a group
  that have ended.
- **Participants**: the enrolments placed in a group (the same enrolments as the waiting time).

Disclosure (threshold ``TANDEM_DISCLOSURE_THRESHOLD``, 5 unless set; the text says 5):
``group_work_figures`` ends with ``protect_figures``, which decides per row which counts are
hidden: participants, places given (published through the fill rate), completed and ended of
1–4 (primary), and enough others that no published sum gives a hidden count away (secondary,
through ``tandem.common.disclosure.protect``). The relations it models are the ones that hold
on the page: a module is the sum of its intake moments, a programme of its modules, a province
of its programmes, the total of the provinces and of the programmes; in each row ended =
completed + left and participants = ended + still in the group (left and still never
published, but a small one counts too); an intake moment's places given are its participants;
the participants of a row are its places given plus those of its upcoming intake moments.
A hidden count shows as "x" (``HIDDEN``, the one mark); a rate over a hidden count is not
shown; when the participants of a row are hidden, so are its waiting time and attendance
(which would otherwise tell a hidden 7 from a hidden 3). The attendance and completion rates
are shown only over at least 5 distinct enrolments, the waiting time over at least 5
enrolments. Differencing two filtered views (two periods) is not guarded against.

The period filter keeps the intake moments that start between two dates; every figure then
counts only those groups (their places, their participants, their attendance).

Three queries whatever the amount of data (issue 20: no row per enrolment reaches Python): the
intake moments (with their module, programme and first session); the placed enrolments counted
and their waiting time's median (``percentile_cont``, ``common.aggregates.Median``) and mean
per intake moment, module, programme, province and in all, five ``GROUP BY``s joined by
``UNION ALL`` (a median does not add up, so each level is grouped on its own); and attendance
summed, with its distinct enrolments, per level the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.common.aggregates import DaysBetweenDates, Median
from tandem.common.disclosure import Relation, is_small, protect, shown, threshold
from tandem.common.models import Province

from ..models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    Programme,
)
from ..selectors import PLACE_HOLDING, programme_queryset_for


def figure_programmes_for(user: User) -> QuerySet[Programme]:
    """The programmes whose figures a user sees: a programme manager all of them, a group
    coach those they coach, anyone else none."""
    qs = programme_queryset_for(user)
    if has_capability(user, "programme.oversee"):
        return qs
    if has_capability(user, "groupwork.coach"):
        return qs.filter(coaches=user)
    return qs.none()


def figure_programme_choices(user: User) -> QuerySet[Programme]:
    """The programmes of the page's filter, by province and name."""
    return figure_programmes_for(user).order_by("province", "name")


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


@dataclass
class FigureRow:
    """The figures of one intake moment, or of several together (module, programme,
    province, all). Holds the counts; the properties give the figures."""

    name: str
    starts_on: dt.date | None = None  # for an intake moment
    province: str = ""  # for a province: its code
    started: bool = True
    capacity: int = 0  # places offered (only started intake moments once added up)
    given: int = 0  # places given in those intake moments
    participants: int = 0
    # The waiting time over this row's participants (computed per level in the database: a
    # median does not add up): how many, their median and mean in days (not rounded).
    waited: int = 0
    wait_median_days: float | None = None
    wait_mean_days: float | None = None
    present: int = 0
    excused: int = 0
    absent: int = 0
    attendees: int = 0  # distinct enrolments with attendance rows (per level, in the database)
    completed: int = 0
    left: int = 0
    # Disclosure control: the threshold, and which counts ``protect_figures`` hid (of
    # participants, given, completed, ended); small ones are hidden whatever this holds.
    limit: int = field(default_factory=threshold)
    hidden: frozenset[str] = frozenset()

    def add(self, other: FigureRow) -> None:
        """Add another row's counts; its places count only when its group has started."""
        if other.started:
            self.capacity += other.capacity
            self.given += other.given
        self.participants += other.participants
        self.present += other.present
        self.excused += other.excused
        self.absent += other.absent
        self.completed += other.completed
        self.left += other.left

    # --- the figures (under disclosure control) ------------------------------------------------

    def is_hidden(self, name: str) -> bool:
        """Whether the count ``name`` (participants, given, completed, ended) is not shown."""
        return name in self.hidden or is_small(getattr(self, name), self.limit)

    def _shown(self, name: str) -> str:
        return shown(getattr(self, name), self.is_hidden(name))

    @property
    def participants_shown(self) -> str:
        return self._shown("participants")

    @property
    def fill_too_few(self) -> bool:
        return bool(self.capacity) and self.is_hidden("given")

    @property
    def fill_rate(self) -> float | None:
        """Per cent of the places given; ``None`` without places offered or when the places
        given are hidden."""
        if not self.capacity or self.fill_too_few:
            return None
        return _rate(self.given, self.capacity)

    @property
    def waiting_too_few(self) -> bool:
        return self.is_hidden("participants") or 0 < self.waited < self.limit

    @property
    def waiting_median(self) -> float | None:
        if self.waiting_too_few or self.waited < self.limit or self.wait_median_days is None:
            return None
        return round(float(self.wait_median_days), 1)

    @property
    def waiting_mean(self) -> float | None:
        if self.waiting_too_few or self.waited < self.limit or self.wait_mean_days is None:
            return None
        return round(self.wait_mean_days, 1)

    @property
    def recorded(self) -> int:
        """Attendance rows: sessions times participants recorded."""
        return self.present + self.excused + self.absent

    @property
    def attendance_too_few(self) -> bool:
        return self.is_hidden("participants") or 0 < self.attendees < self.limit

    @property
    def attendance_rate(self) -> float | None:
        if self.attendance_too_few or self.attendees < self.limit or not self.recorded:
            return None
        return _rate(self.present, self.recorded)

    @property
    def excused_share(self) -> float | None:
        if self.attendance_too_few or self.attendees < self.limit or not self.recorded:
            return None
        return _rate(self.excused, self.recorded)

    @property
    def ended(self) -> int:
        return self.completed + self.left

    @property
    def completed_shown(self) -> str:
        return self._shown("completed")

    @property
    def ended_shown(self) -> str:
        return self._shown("ended")

    @property
    def completion_too_few(self) -> bool:
        return self.is_hidden("completed") or self.is_hidden("ended") or 0 < self.ended < self.limit

    @property
    def completion_rate(self) -> float | None:
        if self.completion_too_few or self.ended < self.limit:
            return None
        return _rate(self.completed, self.ended)


@dataclass
class ModuleFigures:
    row: FigureRow
    intakes: list[FigureRow]  # started, oldest first
    upcoming: list[FigureRow]


@dataclass
class ProgrammeFigures:
    row: FigureRow
    province: str
    modules: list[ModuleFigures]


@dataclass
class GroupWorkFigures:
    today: dt.date
    total: FigureRow
    provinces: list[FigureRow]
    programmes: list[ProgrammeFigures]

    @property
    def upcoming(self) -> list[tuple[ProgrammeFigures, ModuleFigures, FigureRow]]:
        return [(p, m, i) for p in self.programmes for m in p.modules for i in m.upcoming]


def group_work_figures(
    programmes: QuerySet[Programme],
    *,
    today: dt.date,
    programme: Programme | None = None,
    province: str = "",
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
) -> GroupWorkFigures:
    """The figures of ``programmes`` (already scoped to the user), narrowed by the filters;
    ``today`` decides which intake moments have started. Three queries."""
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
    if province:
        programmes = programmes.filter(province=province)
    intakes = IntakeMoment.objects.filter(module__programme__in=programmes.values("pk"))
    if starts_from is not None:
        intakes = intakes.filter(starts_on__gte=starts_from)
    if starts_to is not None:
        intakes = intakes.filter(starts_on__lte=starts_to)

    # 1. The intake moments with their module and programme.
    intake_rows = intakes.values(
        "pk",
        "starts_on",
        "module_id",
        "module__name",
        "module__capacity",
        "module__programme_id",
        "module__programme__name",
        "module__programme__province",
    ).order_by()
    rows: dict[int, FigureRow] = {}
    module_of: dict[int, int] = {}
    modules: dict[int, tuple[str, int]] = {}  # module id → (name, programme id)
    programme_info: dict[int, tuple[str, str]] = {}  # programme id → (name, province)
    for i in intake_rows:
        rows[i["pk"]] = FigureRow(
            name=i["module__name"],
            starts_on=i["starts_on"],
            started=i["starts_on"] <= today,
            capacity=i["module__capacity"],
        )
        module_of[i["pk"]] = i["module_id"]
        modules[i["module_id"]] = (i["module__name"], i["module__programme_id"])
        programme_info[i["module__programme_id"]] = (
            i["module__programme__name"],
            i["module__programme__province"],
        )

    # 2. The enrolments placed in those groups: counted per intake moment, their waiting time
    #    per level (days from the request to the group's first session, or its start date).
    first_session = Subquery(
        GroupSession.objects.filter(intake=OuterRef("intake"))
        .order_by()
        .values("intake")
        .annotate(first=Min("on"))
        .values("first")
    )
    placed = (
        Enrolment.objects.filter(intake__in=intakes, status__in=PLACE_HOLDING)
        .annotate(
            wait=DaysBetweenDates(
                Coalesce(first_session, F("intake__starts_on")), F("requested_on")
            )
        )
        .order_by()
    )
    levels: dict[tuple[str, Hashable], dict[str, int | float | None]] = {}
    for level, key, r in _per_level(
        placed,
        "intake",
        participants=Count("pk"),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        left=Count("pk", filter=Q(status=EnrolmentStatus.LEFT)),
        wait_median=Median("wait"),
        wait_days=Sum("wait"),
    ):
        n = r["participants"]
        levels.setdefault((level, key), {}).update(
            waited=n,
            wait_median_days=r["wait_median"],
            wait_mean_days=r["wait_days"] / n if n else None,  # as statistics.fmean
        )
        if level == "intake" and key in rows:  # (not an intake moment planned since 1.)
            row = rows[key]  # type: ignore[index]
            row.given = row.participants = n
            row.completed, row.left = r["completed"], r["left"]

    # 3. Attendance: summed per intake moment; the distinct enrolments recorded per level.
    attendance = Attendance.objects.filter(session__intake__in=intakes).order_by()
    for level, key, r in _per_level(
        attendance,
        "session__intake",
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        attendees=Count("enrolment_id", distinct=True),
    ):
        levels.setdefault((level, key), {})["attendees"] = r["attendees"]
        if level == "intake" and key in rows:
            row = rows[key]  # type: ignore[index]
            row.present, row.excused, row.absent = r["present"], r["excused"], r["absent"]

    figures = _roll_up(rows, module_of, modules, programme_info, today=today, levels=levels)
    protect_figures(figures)
    return figures


# The levels the figures are given at: the path from the intake moment to the level's key, and
# whether that key is a number (an id) or a province's code; the total has no key.
LEVELS: tuple[tuple[str, str | None, bool], ...] = (
    ("intake", "_id", True),
    ("module", "__module_id", True),
    ("programme", "__module__programme_id", True),
    ("province", "__module__programme__province", False),
    ("total", None, False),
)


def _per_level(
    qs: QuerySet, intake: str, **aggregates: Any
) -> Iterator[tuple[str, Hashable, dict[str, Any]]]:
    """``aggregates`` over ``qs`` per intake moment, module, programme, province and in all
    (``intake``: the path from ``qs``'s rows to their intake moment): one query, a ``GROUP BY``
    per level joined by ``UNION ALL``. Yields (level, key, values); the total's key is None."""
    no_number = Value(None, output_field=IntegerField())
    no_code = Value(None, output_field=CharField())
    parts = []
    for n, (_level, path, numeric) in enumerate(LEVELS):
        key = F(intake + path) if path is not None else None
        parts.append(
            qs.values(
                level=Value(n, output_field=IntegerField()),
                int_key=key if key is not None and numeric else no_number,
                str_key=key if key is not None and not numeric else no_code,
            ).annotate(**aggregates)
        )
    for r in parts[0].union(*parts[1:], all=True):
        level = LEVELS[r["level"]][0]
        yield level, r["int_key"] if r["int_key"] is not None else r["str_key"], r


def _roll_up(
    rows: dict[int, FigureRow],
    module_of: dict[int, int],
    modules: dict[int, tuple[str, int]],
    programme_info: dict[int, tuple[str, str]],
    *,
    today: dt.date,
    levels: dict[tuple[str, Hashable], dict[str, Any]] | None = None,
) -> GroupWorkFigures:
    """Add the intake moments up into modules, programmes, provinces and the total; the
    figures that do not add up (the waiting time, the distinct attendees) come from
    ``levels`` ((level, key) → values, computed per level in the database)."""
    module_figures = {
        module_id: ModuleFigures(row=FigureRow(name=name), intakes=[], upcoming=[])
        for module_id, (name, _programme_id) in modules.items()
    }
    for intake_id, row in sorted(rows.items(), key=lambda item: (item[1].starts_on, item[0])):
        mod = module_figures[module_of[intake_id]]
        mod.row.add(row)
        (mod.intakes if row.started else mod.upcoming).append(row)

    programme_figures = {
        prog_id: ProgrammeFigures(row=FigureRow(name=name), province=prov, modules=[])
        for prog_id, (name, prov) in programme_info.items()
    }
    for module_id, mod in module_figures.items():
        programme_figures[modules[module_id][1]].modules.append(mod)

    province_rows: dict[str, FigureRow] = {}
    total = FigureRow(name="")
    for prog in programme_figures.values():
        prog.modules.sort(key=lambda m: m.row.name)
        for m in prog.modules:
            prog.row.add(m.row)
        province_row = province_rows.setdefault(
            prog.province, FigureRow(name=Province(prog.province).label, province=prog.province)
        )
        province_row.add(prog.row)
        total.add(prog.row)

    levels = levels or {}

    def set_level(row: FigureRow, level: str, key: Hashable) -> None:
        for name, value in levels.get((level, key), {}).items():
            setattr(row, name, value)

    for intake_id, row in rows.items():
        set_level(row, "intake", intake_id)
    for module_id, mod in module_figures.items():
        set_level(mod.row, "module", module_id)
    for prog_id, prog in programme_figures.items():
        set_level(prog.row, "programme", prog_id)
    for code, row in province_rows.items():
        set_level(row, "province", code)
    set_level(total, "total", None)

    order = {code: i for i, code in enumerate(Province.values)}
    return GroupWorkFigures(
        today=today,
        total=total,
        provinces=[province_rows[c] for c in sorted(province_rows, key=order.__getitem__)],
        programmes=sorted(
            programme_figures.values(), key=lambda p: (order[p.province], p.row.name)
        ),
    )


# --- disclosure control ------------------------------------------------------------------------

PUBLISHED = ("participants", "given", "completed", "ended")
COMPLEMENTS = ("left", "still")  # ended − completed, participants − ended: never published


def protect_figures(figures: GroupWorkFigures, limit: int | None = None) -> None:
    """Set each row's ``hidden`` counts: the small ones and enough others that no sum on the
    page (or in its CSV) lets a reader work a hidden count out."""
    limit = threshold() if limit is None else limit
    rows: list[FigureRow] = []
    index: dict[int, int] = {}

    def register(row: FigureRow) -> int:
        if id(row) not in index:
            index[id(row)] = len(rows)
            rows.append(row)
        return index[id(row)]

    def key(row: FigureRow, name: str) -> tuple[int, str]:
        return (index[id(row)], name)

    relations: list[Relation] = []

    def sums(total: FigureRow, parts: list[FigureRow], names: Iterable[str]) -> None:
        if parts:
            for name in names:
                relations.append(Relation(key(total, name), tuple(key(p, name) for p in parts)))

    def with_upcoming(row: FigureRow, upcoming: list[FigureRow]) -> None:
        """Participants = places given (started groups) + participants of upcoming groups."""
        relations.append(
            Relation(
                key(row, "participants"),
                (key(row, "given"), *(key(u, "participants") for u in upcoming)),
            )
        )

    everything = [*PUBLISHED, *COMPLEMENTS]
    not_given = [n for n in everything if n != "given"]
    register(figures.total)
    for row in figures.provinces:
        register(row)
    for p in figures.programmes:
        register(p.row)
        for m in p.modules:
            register(m.row)
            for i in m.intakes + m.upcoming:
                register(i)

    upcoming_of: dict[int, list[FigureRow]] = {}  # programme row → its upcoming intakes
    for p in figures.programmes:
        for m in p.modules:
            intakes = m.intakes + m.upcoming
            for i in intakes:
                # An intake moment's places given are its participants.
                relations.append(Relation(key(i, "participants"), (key(i, "given"),)))
                relations.append(Relation(key(i, "given"), (key(i, "participants"),)))
            sums(m.row, intakes, not_given)
            sums(m.row, m.intakes, ["given"])
            with_upcoming(m.row, m.upcoming)
            upcoming_of.setdefault(id(p.row), []).extend(m.upcoming)
        sums(p.row, [m.row for m in p.modules], everything)
        with_upcoming(p.row, upcoming_of.get(id(p.row), []))

    by_province: dict[str, list[ProgrammeFigures]] = {}
    for p in figures.programmes:
        by_province.setdefault(p.province, []).append(p)
    for row in figures.provinces:
        members = by_province.get(row.province, [])
        sums(row, [p.row for p in members], everything)
        with_upcoming(row, [u for p in members for u in upcoming_of.get(id(p.row), [])])
    sums(figures.total, figures.provinces, everything)
    sums(figures.total, [p.row for p in figures.programmes], everything)
    with_upcoming(figures.total, [u for ups in upcoming_of.values() for u in ups])

    cells: dict[Hashable, int] = {}
    for n, row in enumerate(rows):
        cells.update(
            {
                (n, "participants"): row.participants,
                (n, "given"): row.given,
                (n, "completed"): row.completed,
                (n, "ended"): row.ended,
                (n, "left"): row.left,
                (n, "still"): row.participants - row.ended,
            }
        )
        relations.append(Relation((n, "ended"), ((n, "completed"), (n, "left"))))
        relations.append(Relation((n, "participants"), ((n, "ended"), (n, "still"))))
    unpublished = [k for k in cells if isinstance(k, tuple) and k[1] in COMPLEMENTS]
    hidden = protect(cells, relations, unpublished=unpublished, limit=limit)
    for n, row in enumerate(rows):
        row.limit = limit
        row.hidden = frozenset(name for name in PUBLISHED if (n, name) in hidden)
