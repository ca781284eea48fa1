"""ESF+ common indicators per project and period (DOMAIN.md §7, Reg. (EU) 2021/1057 Annex I).

Pure functions over one compact row per participant (``Participant``) build the table in the
official order; ``project_indicators`` loads those rows for a project in a constant number of
queries. What Tandem does not record (minorities, rural areas, qualifications) is reported
as *not recorded*, never guessed.

Recorded on the person: EECO12 disabilities (``Person.disability`` is "yes"; special-category
data, recorded only with explicit consent) and EECO14 foreign background
(``Person.foreign_background`` is "yes"); those unknown or not asked are not counted, and the
row says how many they are. EECO16 homelessness or housing exclusion comes from screenings:
the person's latest screening on or before entry has a housing-exclusion signal present
(``HOUSING_EXCLUSION_SIGNALS``); without such a screening the person is not counted, and the
row says how many had none.

Proxies, because the registry keeps today's values and no unemployment start date:

- labour-market status at entry is the person's registration as recorded now: a registered
  job seeker is *unemployed*; a non-registered person whose own household record says
  employed or self-employed is *employed*; any other non-registered person is *inactive*;
- *long-term unemployed*: unemployed, and the household record says unemployed with 0 months
  worked in the income reference year (12 months without work, which also covers the
  6 months the definition asks of people under 25).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.lookups import In
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import add_months, age_on
from tandem.common.disclosure import Relation as SumRelation
from tandem.common.disclosure import protect
from tandem.common.models import LifeDomain
from tandem.groupwork.models import LeaveReason
from tandem.programmes.models import Project
from tandem.programmes.selectors import project_participations
from tandem.registry.models import (
    Activity,
    Disability,
    EducationLevel,
    ForeignBackground,
    Gender,
    HouseholdMember,
    NationalityGroup,
    Person,
    Registration,
    Relation,
)
from tandem.screening.models import Screening, ScreeningAnswer
from tandem.trajectories.models import ClosureReason, JobStart, RetentionCheck
from tandem.trajectories.rules import TRAINING_CLOSURES, WORK_CLOSURES

# Exit reasons (trajectory closure or leaving a group) that mean work or training.
# A trajectory's closing reasons and a group enrolment's leaving reasons, in one set each.
WORK_REASONS = frozenset({*WORK_CLOSURES, LeaveReason.WORK})
TRAINING_REASONS = frozenset({*TRAINING_CLOSURES, LeaveReason.TRAINING})
NOT_SEARCHING_REASONS = frozenset({ClosureReason.DECEASED})
EMPLOYED_ACTIVITIES = frozenset({Activity.EMPLOYED, Activity.SELF_EMPLOYED})
# A job that runs at some point within four weeks after leaving counts as work upon leaving.
UPON_LEAVING = dt.timedelta(weeks=4)
LONGER_TERM_MONTHS = 6
# Screening signals (housing domain, tandem/screening/default_signals.py) that mean
# homelessness or housing exclusion in the ETHOS sense the ESF+ guidance refers to:
# "dakloos" (roofless or houseless: staying with friends or in a night shelter) and
# "uithuiszetting" (insecure housing: under threat of eviction or notice to quit the lease).
# Not "slechte-woning" (damp or too small is not necessarily ETHOS "unfit housing" or
# "extreme overcrowding") nor "hoge-woonkost" (housing costs: affordability, not exclusion).
HOUSING_EXCLUSION_SIGNALS = frozenset({"dakloos", "uithuiszetting"})


@dataclass(frozen=True)
class Job:
    started_on: dt.date
    ended_on: dt.date | None
    # The retention check in the job's sixth month: True, False, or None when not answered.
    six_month_check: bool | None = None


@dataclass(frozen=True)
class Participant:
    """What the indicators need of one person in one project; no name, no number."""

    gender: str
    birth_date: dt.date
    entry: dt.date
    education: str = EducationLevel.UNKNOWN
    registration: str = Registration.REGISTERED
    own_activity: str = ""
    months_worked: int | None = None
    nationality_group: str = NationalityGroup.BELGIAN
    # The day the person left the project (None while a trajectory or group is still open)
    # and the reasons recorded for the participations that ended that day.
    exit: dt.date | None = None
    exit_reasons: frozenset[str] = frozenset()
    jobs: tuple[Job, ...] = ()
    foreign_background: str = ForeignBackground.UNKNOWN
    disability: str = Disability.NOT_ASKED
    # The latest screening on or before entry had a housing-exclusion signal present; None
    # when the person had no screening on or before entry.
    housing_excluded: bool | None = None
    # A trajectory that ended on the exit day recorded a qualification gained.
    qualification: bool = False


def is_unemployed(p: Participant) -> bool:
    return p.registration == Registration.REGISTERED


def is_long_term_unemployed(p: Participant) -> bool:
    return is_unemployed(p) and p.own_activity == Activity.UNEMPLOYED and p.months_worked == 0


def is_employed(p: Participant) -> bool:
    return not is_unemployed(p) and p.own_activity in EMPLOYED_ACTIVITIES


def is_inactive(p: Participant) -> bool:
    return not is_unemployed(p) and not is_employed(p)


def employed_upon_leaving(p: Participant) -> bool:
    """Left for work, or a job runs at some point within four weeks after leaving."""
    if p.exit is None:
        return False
    if p.exit_reasons & WORK_REASONS:
        return True
    until = p.exit + UPON_LEAVING
    return any(
        job.started_on <= until and (job.ended_on is None or job.ended_on >= p.exit)
        for job in p.jobs
    )


def in_training_upon_leaving(p: Participant) -> bool:
    return p.exit is not None and bool(p.exit_reasons & TRAINING_REASONS)


def job_searching_upon_leaving(p: Participant) -> bool:
    """Still a registered job seeker, and neither in work nor in training, upon leaving."""
    return (
        p.exit is not None
        and is_unemployed(p)
        and not employed_upon_leaving(p)
        and not in_training_upon_leaving(p)
        and not p.exit_reasons & NOT_SEARCHING_REASONS
    )


def employed_six_months_after(p: Participant, as_of: dt.date) -> bool | None:
    """In a job six months after leaving; None when that day has not come yet."""
    if p.exit is None:
        return None
    day = add_months(p.exit, LONGER_TERM_MONTHS)
    if day > as_of:
        return None
    return any(
        job.started_on <= day
        and (job.ended_on is None or job.ended_on >= day)
        and job.six_month_check is not False
        for job in p.jobs
    )


# --- The table ----------------------------------------------------------------------------

NOT_RECORDED = "not_recorded"
NOT_MEASURABLE = "not_measurable"


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    label: str | Promise
    women: int = 0
    men: int = 0
    non_binary: int = 0
    # ``NOT_RECORDED`` or ``NOT_MEASURABLE`` when there are no counts to give.
    status: str = ""
    # Results only: leavers whose six months after leaving lie in the future.
    not_yet_measurable: int = 0
    # Entrants not counted because it is not known of them (EECO12, EECO14: "unknown";
    # EECO16: no screening on or before entry), and EECO12 only: never asked.
    unknown: int = 0
    not_asked: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.non_binary

    @property
    def counted(self) -> bool:
        return not self.status

    def counts(self) -> tuple[int, int, int, int]:
        return (self.women, self.men, self.non_binary, self.total)


@dataclass(frozen=True)
class IndicatorTable:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    entrants: int
    leavers: int
    rows: list[IndicatorRow] = field(default_factory=list)

    def row(self, code: str) -> IndicatorRow:
        return next(r for r in self.rows if r.code == code)


def _count(code: str, label: str | Promise, people: Iterable[Participant]) -> IndicatorRow:
    by_gender: dict[str, int] = defaultdict(int)
    for p in people:
        by_gender[p.gender] += 1
    return IndicatorRow(
        code=code,
        label=label,
        women=by_gender[Gender.FEMALE],
        men=by_gender[Gender.MALE],
        non_binary=by_gender[Gender.X],
    )


def _not_recorded(code: str, label: str | Promise) -> IndicatorRow:
    return IndicatorRow(code=code, label=label, status=NOT_RECORDED)


def indicator_table(
    participants: Sequence[Participant], date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> IndicatorTable:
    """Count outputs over those who entered in the period (age at entry) and results over
    those who left in it, by gender, in the order of Annex I."""
    entered = [p for p in participants if date_from <= p.entry <= date_to]
    left = [p for p in participants if p.exit is not None and date_from <= p.exit <= date_to]

    def age(p: Participant) -> int:
        return age_on(p.birth_date, p.entry)

    def outputs(code: str, label: str | Promise, test: object) -> IndicatorRow:
        return _count(code, label, (p for p in entered if test(p)))  # type: ignore[operator]

    measurable = [p for p in left if employed_six_months_after(p, as_of) is not None]
    eecr05 = replace(
        _count(
            "EECR05",
            _("Participants in employment, including self-employment, six months after leaving"),
            (p for p in measurable if employed_six_months_after(p, as_of)),
        ),
        status=NOT_MEASURABLE if left and not measurable else "",
        not_yet_measurable=len(left) - len(measurable),
    )

    rows = [
        outputs("EECO01", _("Total number of participants"), lambda p: True),
        outputs("EECO02", _("Unemployed, including long-term unemployed"), is_unemployed),
        outputs("EECO03", _("Long-term unemployed"), is_long_term_unemployed),
        outputs("EECO04", _("Inactive"), is_inactive),
        outputs("EECO05", _("Employed, including self-employed"), is_employed),
        outputs("EECO06", _("Children below 18 years of age"), lambda p: age(p) < 18),
        outputs(
            "EECO07", _("Young people between 18 and 29 years of age"), lambda p: 18 <= age(p) <= 29
        ),
        outputs("EECO08", _("Participants aged 55 and above"), lambda p: age(p) >= 55),
        outputs(
            "EECO09",
            _("With lower secondary education or less (ISCED 0–2)"),
            lambda p: p.education == EducationLevel.ISCED_0_2,
        ),
        outputs(
            "EECO10",
            _("With upper secondary or post-secondary education (ISCED 3–4)"),
            lambda p: p.education == EducationLevel.ISCED_3_4,
        ),
        outputs(
            "EECO11",
            _("With tertiary education (ISCED 5–8)"),
            lambda p: p.education == EducationLevel.ISCED_5_8,
        ),
        replace(
            outputs(
                "EECO12",
                _("Participants with disabilities"),
                lambda p: p.disability == Disability.YES,
            ),
            unknown=sum(p.disability == Disability.UNKNOWN for p in entered),
            not_asked=sum(p.disability == Disability.NOT_ASKED for p in entered),
        ),
        outputs(
            "EECO13",
            _("Third-country nationals"),
            lambda p: p.nationality_group == NationalityGroup.NON_EU,
        ),
        replace(
            outputs(
                "EECO14",
                _("Participants with a foreign background"),
                lambda p: p.foreign_background == ForeignBackground.YES,
            ),
            unknown=sum(p.foreign_background == ForeignBackground.UNKNOWN for p in entered),
        ),
        _not_recorded("EECO15", _("Minorities (including marginalised communities such as Roma)")),
        replace(
            outputs(
                "EECO16",
                _("Participants experiencing homelessness or housing exclusion"),
                lambda p: p.housing_excluded is True,
            ),
            unknown=sum(p.housing_excluded is None for p in entered),
        ),
        _not_recorded("EECO17", _("Participants from rural areas")),
        _count(
            "EECR01",
            _("Participants engaged in job searching upon leaving"),
            filter(job_searching_upon_leaving, left),
        ),
        _count(
            "EECR02",
            _("Participants in education or training upon leaving"),
            filter(in_training_upon_leaving, left),
        ),
        _count(
            "EECR03",
            _("Participants gaining a qualification upon leaving"),
            (p for p in left if p.qualification),
        ),
        _count(
            "EECR04",
            _("Participants in employment, including self-employment, upon leaving"),
            filter(employed_upon_leaving, left),
        ),
        eecr05,
    ]
    return IndicatorTable(
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        entrants=len(entered),
        leavers=len(left),
        rows=rows,
    )


# --- Disclosure control -------------------------------------------------------------------

ESF_COLUMNS = ("women", "men", "non_binary", "total")
# Counts the notes under a row publish (not by gender).
NOTE_COUNTS = ("unknown", "not_asked", "not_yet_measurable")
# Rows that split the entrants into parts that do not overlap; what is left over (the
# education not recorded, ages 30–54) is never published.
STATUS_ROWS = ("EECO02", "EECO04", "EECO05")  # every entrant is in exactly one
EDUCATION_ROWS = ("EECO09", "EECO10", "EECO11")
AGE_ROWS = ("EECO06", "EECO07", "EECO08")


def protect_indicators(table: IndicatorTable, *, limit: int | None = None) -> set[tuple[str, str]]:
    """The cells of ``table`` to hide, as (code, column) with a column of ``ESF_COLUMNS`` or
    ``NOTE_COUNTS``: the small counts, and enough others that no published sum gives one
    away. The sums a reader knows: each row's total is its women, men and non-binary; every
    output row is part of EECO01 (the rest, never published, must not be small and derivable
    either: "all but 2 are unemployed"); EECO02, EECO04 and EECO05 add up to EECO01; EECO03
    is part of EECO02; the education rows and the age rows are disjoint parts of EECO01; the
    notes' unknown and not-asked entrants are part of what a row leaves out."""
    cells: dict[Hashable, int] = {}
    relations: list[SumRelation] = []
    unpublished: set[Hashable] = set()
    counted = {row.code: row for row in table.rows if row.counted}

    def rest(name: Hashable, value: int) -> Hashable:
        cells[name] = value
        unpublished.add(name)
        return name

    for row in counted.values():
        for name, value in zip(ESF_COLUMNS, row.counts(), strict=True):
            cells[(row.code, name)] = value
        for name in NOTE_COUNTS:
            if getattr(row, name):
                cells[(row.code, name)] = getattr(row, name)
        relations.append(
            SumRelation((row.code, "total"), tuple((row.code, n) for n in ESF_COLUMNS[:3]))
        )
    if "EECO01" in counted:
        for row in counted.values():
            if not row.code.startswith("EECO") or row.code == "EECO01":
                continue
            for name in ESF_COLUMNS:
                left = rest(
                    ("rest", row.code, name), cells[("EECO01", name)] - cells[(row.code, name)]
                )
                relations.append(SumRelation(("EECO01", name), ((row.code, name), left)))
            notes = tuple((row.code, n) for n in ("unknown", "not_asked") if (row.code, n) in cells)
            if notes:
                left = ("rest", row.code, "total")
                counted_no = cells[left] - sum(cells[n] for n in notes)
                relations.append(SumRelation(left, (*notes, rest(("no", row.code), counted_no))))
        for group, extra in ((STATUS_ROWS, ""), (EDUCATION_ROWS, "education"), (AGE_ROWS, "age")):
            if not all(code in counted for code in group):
                continue
            for name in ESF_COLUMNS:
                parts: tuple[Hashable, ...] = tuple((code, name) for code in group)
                left_over = cells[("EECO01", name)] - sum(cells[p] for p in parts)
                if extra:
                    parts += (rest(("other", extra, name), left_over),)
                relations.append(SumRelation(("EECO01", name), parts))
    if "EECO02" in counted and "EECO03" in counted:
        for name in ESF_COLUMNS:
            left = rest(
                ("rest", "EECO02-EECO03", name), cells[("EECO02", name)] - cells[("EECO03", name)]
            )
            relations.append(SumRelation(("EECO02", name), (("EECO03", name), left)))
    return {key for key in protect(cells, relations, unpublished=unpublished, limit=limit)}  # type: ignore[misc]


# --- Loading the rows ---------------------------------------------------------------------


class _AmongIds(In):
    """``id IN (1, 2, ...)``, on PostgreSQL written ``id = ANY(%s)`` with the ids as one array
    parameter: a project has tens of thousands of participants, and tens of thousands of
    placeholders cost more to build, send and parse than the look-up itself (issue 20: about
    1 s of the page at 1 M persons). Elsewhere (SQLite) a plain ``IN``."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, list(self.rhs))


@dataclass
class _Stay:
    """One participation: a trajectory of the project or a placed enrolment in its groups."""

    start: dt.date
    end: dt.date | None
    reason: str
    trajectory_id: int


def participants_of(project: Project) -> list[Participant]:
    """Load one row per participant of ``project`` (``project_participations``: the one
    definition of a participant of a project), in six queries.

    Entry is the person's first start in the project (a trajectory's start date or the day
    the person was placed in a group); exit is the last end, once nothing is open any more.
    Housing exclusion is read from the latest screening on or before entry.
    """
    stays: dict[int, list[_Stay]] = defaultdict(list)
    qualified: set[tuple[int, dt.date]] = set()
    trajectory_ids: set[int] = set()
    for r in project_participations([project.pk]):
        stays[r.person_id].append(_Stay(r.start, r.end, r.reason, r.trajectory_id))
        trajectory_ids.add(r.trajectory_id)
        if r.qualified and r.end:
            qualified.add((r.person_id, r.end))
    if not stays:
        return []
    person_ids = list(stays)
    # The person's own household record (at most one: relation "self" is unique per person)
    # read beside the person: the list of ids goes to the database once less.
    own_record = HouseholdMember.objects.filter(
        person=OuterRef("pk"), relation=Relation.SELF
    ).order_by()
    persons = {
        p["pk"]: p
        for p in Person.objects.filter(_AmongIds(F("pk"), person_ids))
        .annotate(
            own_activity=Subquery(own_record.values("activity")[:1]),
            own_months_worked=Subquery(own_record.values("months_worked")[:1]),
        )
        .order_by()
        .values(
            "pk",
            "gender",
            "birth_date",
            "education",
            "registration",
            "nationality_group",
            "foreign_background",
            "disability",
            "own_activity",
            "own_months_worked",
        )
    }
    # Every screening of these persons, oldest first, with whether a housing-exclusion
    # signal was present; the latest one on or before entry is picked below.
    excluded = ScreeningAnswer.objects.filter(
        screening=OuterRef("pk"),
        present=True,
        signal__domain=LifeDomain.HOUSING,
        signal__code__in=HOUSING_EXCLUSION_SIGNALS,
    )
    screenings: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for s in (
        Screening.objects.filter(_AmongIds(F("person_id"), person_ids))
        .annotate(excluded=Exists(excluded))
        .order_by("conducted_on", "created_at", "pk")
        .values("person_id", "conducted_on", "excluded")
    ):
        screenings[s["person_id"]].append((s["conducted_on"], s["excluded"]))
    # Each job with its retention check of the sixth month (at most one per job and month),
    # in one query.
    six_month_check = RetentionCheck.objects.filter(
        job_start=OuterRef("pk"), month=LONGER_TERM_MONTHS
    ).values("still_employed")[:1]
    jobs: dict[int, list[Job]] = defaultdict(list)
    for j in (
        JobStart.objects.filter(_AmongIds(F("trajectory_id"), sorted(trajectory_ids)))
        .annotate(six_month_check=Subquery(six_month_check))
        .values("trajectory_id", "started_on", "ended_on", "six_month_check")
    ):
        jobs[j["trajectory_id"]].append(Job(j["started_on"], j["ended_on"], j["six_month_check"]))

    rows = []
    for person_id, person_stays in stays.items():
        person = persons[person_id]
        ends = [s.end for s in person_stays]
        exit_day = None if None in ends else max(e for e in ends if e is not None)
        trajectory_ids = {s.trajectory_id for s in person_stays}
        entry = min(s.start for s in person_stays)
        before_entry = [ex for day, ex in screenings.get(person_id, []) if day <= entry]
        rows.append(
            Participant(
                gender=person["gender"],
                birth_date=person["birth_date"],
                entry=entry,
                education=person["education"],
                registration=person["registration"],
                own_activity=person["own_activity"] or "",
                months_worked=person["own_months_worked"],
                nationality_group=person["nationality_group"],
                exit=exit_day,
                exit_reasons=frozenset(
                    s.reason for s in person_stays if s.end == exit_day and s.reason
                )
                if exit_day
                else frozenset(),
                jobs=tuple(job for t in sorted(trajectory_ids) for job in jobs.get(t, [])),
                foreign_background=person["foreign_background"],
                disability=person["disability"],
                housing_excluded=before_entry[-1] if before_entry else None,
                qualification=exit_day is not None and (person_id, exit_day) in qualified,
            )
        )
    return rows


def project_indicators(
    project: Project, date_from: dt.date, date_to: dt.date, *, as_of: dt.date
) -> IndicatorTable:
    """The ESF+ common indicators of ``project`` for entries and exits in the period."""
    return indicator_table(participants_of(project), date_from, date_to, as_of)
