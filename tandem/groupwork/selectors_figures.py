"""Group-work figures (issue 7): fill rate, waiting time, attendance and completion, per
province, programme, module and intake moment. Aggregates only: the page that shows them
applies disclosure control (counts under 5 as "<5", rates over fewer than 5 participants not
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

Disclosure: participants, completed and ended are shown through ``suppress_small``; the
attendance and completion rates only over at least 5 distinct enrolments, the waiting time only
over at least 5 enrolments. The fill rate is about places and is always shown. There is no
secondary suppression yet: a "<5" row can be worked out from its total and its other rows.

The period filter keeps the intake moments that start between two dates; every figure then
counts only those groups (their places, their participants, their attendance).

Three queries whatever the amount of data: the intake moments (with their module, programme
and first session), the placed enrolments as value rows, and attendance summed per group and
enrolment in the database.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet

from tandem.accounts.models import Role, User
from tandem.common.disclosure import DISCLOSURE_THRESHOLD, suppress_small
from tandem.common.models import Province

from .models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    IntakeMoment,
    Programme,
)
from .selectors import PLACE_HOLDING, programme_queryset_for

FIGURE_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.GROUP_COACH})


def figure_programmes_for(user: User) -> QuerySet[Programme]:
    """The programmes whose figures a user sees: a programme manager all of them, a group
    coach those they coach, anyone else none."""
    codes = user.role_codes if user.is_authenticated else frozenset()
    qs = programme_queryset_for(user)
    if Role.PROGRAMME_MANAGER in codes:
        return qs
    if Role.GROUP_COACH in codes:
        return qs.filter(coaches=user)
    return qs.none()


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


@dataclass
class FigureRow:
    """The figures of one intake moment, or of several together (module, programme,
    province, all). Holds the counts; the properties give the figures."""

    name: str
    starts_on: dt.date | None = None  # for an intake moment
    started: bool = True
    capacity: int = 0  # places offered (only started intake moments once added up)
    given: int = 0  # places given in those intake moments
    participants: int = 0
    waits: list[int] = field(default_factory=list)  # days, one per participant
    present: int = 0
    excused: int = 0
    absent: int = 0
    attendees: set[int] = field(default_factory=set)  # enrolments with attendance rows
    completed: int = 0
    left: int = 0

    def add(self, other: FigureRow) -> None:
        """Add another row's counts; its places count only when its group has started."""
        if other.started:
            self.capacity += other.capacity
            self.given += other.given
        self.participants += other.participants
        self.waits += other.waits
        self.present += other.present
        self.excused += other.excused
        self.absent += other.absent
        self.attendees |= other.attendees
        self.completed += other.completed
        self.left += other.left

    # --- the figures --------------------------------------------------------------------------

    @property
    def participants_shown(self) -> str:
        return suppress_small(self.participants)

    @property
    def fill_rate(self) -> float | None:
        """Per cent of the places given; ``None`` without places offered."""
        return _rate(self.given, self.capacity) if self.capacity else None

    @property
    def waiting_too_few(self) -> bool:
        return 0 < len(self.waits) < DISCLOSURE_THRESHOLD

    @property
    def waiting_median(self) -> float | None:
        if len(self.waits) < DISCLOSURE_THRESHOLD:
            return None
        return round(float(statistics.median(self.waits)), 1)

    @property
    def waiting_mean(self) -> float | None:
        if len(self.waits) < DISCLOSURE_THRESHOLD:
            return None
        return round(statistics.fmean(self.waits), 1)

    @property
    def recorded(self) -> int:
        """Attendance rows: sessions times participants recorded."""
        return self.present + self.excused + self.absent

    @property
    def attendance_too_few(self) -> bool:
        return 0 < len(self.attendees) < DISCLOSURE_THRESHOLD

    @property
    def attendance_rate(self) -> float | None:
        if len(self.attendees) < DISCLOSURE_THRESHOLD or not self.recorded:
            return None
        return _rate(self.present, self.recorded)

    @property
    def excused_share(self) -> float | None:
        if len(self.attendees) < DISCLOSURE_THRESHOLD or not self.recorded:
            return None
        return _rate(self.excused, self.recorded)

    @property
    def ended(self) -> int:
        return self.completed + self.left

    @property
    def completed_shown(self) -> str:
        return suppress_small(self.completed)

    @property
    def ended_shown(self) -> str:
        return suppress_small(self.ended)

    @property
    def completion_too_few(self) -> bool:
        return 0 < self.ended < DISCLOSURE_THRESHOLD

    @property
    def completion_rate(self) -> float | None:
        if self.ended < DISCLOSURE_THRESHOLD:
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

    # 1. The intake moments with their module, programme and first session.
    intake_rows = (
        intakes.values(
            "pk",
            "starts_on",
            "module_id",
            "module__name",
            "module__capacity",
            "module__programme_id",
            "module__programme__name",
            "module__programme__province",
        )
        .annotate(first_session=Min("sessions__on"))
        .order_by()
    )
    rows: dict[int, FigureRow] = {}
    first_day: dict[int, dt.date] = {}
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
        first_day[i["pk"]] = i["first_session"] or i["starts_on"]
        module_of[i["pk"]] = i["module_id"]
        modules[i["module_id"]] = (i["module__name"], i["module__programme_id"])
        programme_info[i["module__programme_id"]] = (
            i["module__programme__name"],
            i["module__programme__province"],
        )

    # 2. The enrolments placed in those groups.
    placed = (
        Enrolment.objects.filter(intake__in=intakes, status__in=PLACE_HOLDING)
        .values_list("intake_id", "status", "requested_on")
        .order_by()
    )
    for intake_id, status, requested_on in placed:
        row = rows.get(intake_id)
        if row is None:  # an intake moment planned since the first query
            continue
        row.given += 1
        row.participants += 1
        row.waits.append((first_day[intake_id] - requested_on).days)
        if status == EnrolmentStatus.COMPLETED:
            row.completed += 1
        elif status == EnrolmentStatus.LEFT:
            row.left += 1

    # 3. Attendance, summed per group and enrolment.
    attendance = (
        Attendance.objects.filter(session__intake__in=intakes)
        .values_list("session__intake_id", "enrolment_id")
        .annotate(
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by()
    )
    for intake_id, enrolment_id, present, excused, absent in attendance:
        row = rows.get(intake_id)
        if row is None:
            continue
        row.present += present
        row.excused += excused
        row.absent += absent
        row.attendees.add(enrolment_id)

    return _roll_up(rows, module_of, modules, programme_info, today=today)


def _roll_up(
    rows: dict[int, FigureRow],
    module_of: dict[int, int],
    modules: dict[int, tuple[str, int]],
    programme_info: dict[int, tuple[str, str]],
    *,
    today: dt.date,
) -> GroupWorkFigures:
    """Add the intake moments up into modules, programmes, provinces and the total."""
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
            prog.province, FigureRow(name=Province(prog.province).label)
        )
        province_row.add(prog.row)
        total.add(prog.row)

    order = {code: i for i, code in enumerate(Province.values)}
    return GroupWorkFigures(
        today=today,
        total=total,
        provinces=[province_rows[c] for c in sorted(province_rows, key=order.__getitem__)],
        programmes=sorted(
            programme_figures.values(), key=lambda p: (order[p.province], p.row.name)
        ),
    )
