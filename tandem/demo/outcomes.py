"""Demo outcome data that reproduces the shape of the sources (DOMAIN.md §7, source 004).

The 2018–2019 history comes in as a legacy migration, through the real importers: a legacy
trajectories CSV and a status-events CSV are built in memory, deterministically from the seed,
and imported with ``import_trajectories`` and ``import_status``.

- W² starts: 574 in 2018 and 576 in 2019, counting Tandem's own W² trajectories of those years
  and the imported ones (``selectors.start_counts``), so the import adds the difference.
- Group work: 474 of the 2018 W² starts; none in 2019 (the outsourcing ended in 2018).
- Limburg: 106 W² starts in 2018 and 1 in 2019 — the wrong registrations of the source, which
  the data-quality checks must find.
- Status events for every person with an ended trajectory (imported or Tandem's own, any
  type): an unemployment spell before the start, and after the end statuses such that at +24
  months about 55 % of the individual-only participants are out of unemployment and 34 % in
  work, against 45 % and 28 % with group work; about 4 % have no status known at all (moved
  abroad: the employment service has no record of them).
- Group participants start weaker (less education, more often on leefloon, longer unemployed,
  older) and each person's outcome depends on that profile, so the comparison's adjusted
  difference is clearly smaller than the raw one.

``seed_outcomes(rng)`` runs after the demo trajectories and group work. A second run with the
same seed changes nothing: the importers are idempotent on their natural keys, the generated
files are the same, and the enrichment only writes values that differ.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from faker import Faker

from tandem.accounts.models import Organisation
from tandem.common.dates import add_months
from tandem.common.exports import csv_writer
from tandem.common.models import Province
from tandem.demo import data as demo_data
from tandem.outcomes import rules
from tandem.outcomes.importing import import_status, import_trajectories
from tandem.outcomes.importing.trajectories import COLUMNS
from tandem.outcomes.models import ImportedTrajectory, LabourStatus
from tandem.outcomes.selectors import in_group_work, tandem_group_start_counts
from tandem.outcomes.services import refresh_outcomes
from tandem.registry import insz as insz_rules
from tandem.registry.models import Benefit, EducationLevel, Gender, Person
from tandem.trajectories.models import ClosureReason, Status, Trajectory, TrajectoryType

W2 = TrajectoryType.W2
S = LabourStatus

# Source 004 (VDAB): starts per year, of which with group work, of which in Limburg.
W2_STARTS = {2018: 574, 2019: 576}
GROUP_STARTS = {2018: 474, 2019: 0}
LIMBURG_STARTS = {2018: 106, 2019: 1}
# Shares at +24 months among those whose status is known (by group work).
OUT_SHARE = {False: 0.55, True: 0.45}
WORK_SHARE = {False: 0.34, True: 0.28}
UNKNOWN_SHARE = 0.04
# Quotas are handed out per stratum: trajectories that ended before this day (their +24 day
# lies in the past whenever the demo is loaded) and those after. A fixed day, so the same seed
# gives the same outcomes whatever the date.
STRATUM_CUTOFF = dt.date(2024, 1, 1)
OPEN_SHARE = 0.005  # a handful of legacy trajectories were never closed

SOURCE = "VDAB (demo)"
FILE_NAME = "demo-legacy-trajectories.csv"

# Provinces other than Limburg, as in the demo's persons (person_specs.PROVINCE_WEIGHTS).
OTHER_PROVINCES = {
    Province.ANTWERPEN: 0.27,
    Province.OOST_VLAANDEREN: 0.30,
    Province.VLAAMS_BRABANT: 0.13,
    Province.WEST_VLAANDEREN: 0.15,
}

# The profiles: individual-only participants, and the weaker group participants.
EDUCATION = {
    False: {
        EducationLevel.ISCED_0_2: 0.45,
        EducationLevel.ISCED_3_4: 0.38,
        EducationLevel.ISCED_5_8: 0.11,
        EducationLevel.UNKNOWN: 0.06,
    },
    True: {
        EducationLevel.ISCED_0_2: 0.62,
        EducationLevel.ISCED_3_4: 0.28,
        EducationLevel.ISCED_5_8: 0.05,
        EducationLevel.UNKNOWN: 0.05,
    },
}
BENEFIT = {
    False: {
        Benefit.UNEMPLOYMENT: 0.56,
        Benefit.LEEFLOON: 0.26,
        Benefit.NONE: 0.10,
        Benefit.SICKNESS_DISABILITY: 0.04,
        Benefit.OTHER: 0.04,
    },
    True: {
        Benefit.UNEMPLOYMENT: 0.43,
        Benefit.LEEFLOON: 0.42,
        Benefit.NONE: 0.10,
        Benefit.SICKNESS_DISABILITY: 0.03,
        Benefit.OTHER: 0.02,
    },
}
MEAN_AGE = {False: 36.0, True: 40.0}
MEAN_MONTHS_UNEMPLOYED = {False: 10.0, True: 16.0}

# How much each trait weighs in a person's chance to leave unemployment (a score; the quotas
# then go to the highest scores, so only the order matters).
EDUCATION_SCORE: dict[str, float] = {
    EducationLevel.ISCED_0_2: -1.0,
    EducationLevel.ISCED_3_4: 0.0,
    EducationLevel.ISCED_5_8: 0.8,
    EducationLevel.UNKNOWN: -0.6,
}
BENEFIT_SCORE: dict[str, float] = {
    Benefit.UNEMPLOYMENT: 0.0,
    Benefit.LEEFLOON: -0.9,
    Benefit.NONE: -0.4,
    Benefit.SICKNESS_DISABILITY: -1.2,
    Benefit.OTHER: -0.3,
}
AGE_SCORE = {"<25": 0.0, "25–34": 0.2, "35–44": 0.0, "45–54": -0.6, "55+": -1.3}
MONTHS_SCORE = {"<12": 0.0, "12–23": -0.7, "24+": -1.4, "unknown": 0.0}
WORK_CLOSURE_BONUS = 1.0  # Tandem's own trajectories closed with a job
# Chance matters more than the profile: with less noise the profile would explain more than
# the whole raw difference, and the adjusted comparison would favour group work.
NOISE = 5.0

# Statuses before the start, by benefit (the spell that runs into the start).
PRE_STATUS: dict[str, str] = {
    Benefit.LEEFLOON: S.LEEFLOON,
    Benefit.NONE: S.JOBSEEKER_NO_BENEFIT,
    Benefit.SICKNESS_DISABILITY: S.SICK_DISABLED,
}
WORK = {S.EMPLOYED: 0.62, S.EMPLOYED_SOCIAL_ECONOMY: 0.31, S.SELF_EMPLOYED: 0.07}
OUT_NOT_WORK = {S.TRAINING: 0.35, S.INACTIVE: 0.35, S.SICK_DISABLED: 0.30}
# When after the end those who leave unemployment leave it (days; the +24 day is 730 or more).
EXIT_WINDOWS = (((10, 170), 0.30), ((190, 355), 0.27), ((375, 715), 0.43))

WORK_OUTCOME, OUT_OUTCOME, UNEMPLOYED_OUTCOME, UNKNOWN_OUTCOME = "work", "out", "unemp", "unknown"


@dataclass
class LegacyRow:
    insz: str
    first_name: str
    last_name: str
    birth_date: dt.date
    gender: str
    province: str
    organisation: str
    start: dt.date
    end: dt.date | None
    group_work: bool
    education: str
    benefit: str
    closure_reason: str = ""


@dataclass
class Subject:
    """A person with an ended trajectory, whose status events the demo makes."""

    key: str
    insz: str
    start: dt.date
    end: dt.date
    group_work: bool
    birth_date: dt.date
    education: str
    benefit: str
    work_closure: bool = False
    months_unemployed: int = 0
    noise: float = 0.0
    outcome: str = ""
    events: list[tuple[dt.date, str]] = field(default_factory=list)

    def score(self) -> float:
        return (
            EDUCATION_SCORE.get(self.education, 0.0)
            + BENEFIT_SCORE.get(self.benefit, 0.0)
            + AGE_SCORE[rules.age_band(self.birth_date, self.start)]
            + MONTHS_SCORE[rules.months_band(self.months_unemployed)]
            + (WORK_CLOSURE_BONUS if self.work_closure else 0.0)
            + self.noise
        )


@dataclass(frozen=True)
class OutcomesSeeded:
    trajectories: int  # legacy rows in the file
    trajectories_created: int
    persons_created: int
    events: int  # status rows in the file
    events_created: int


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> str:
    return str(rng.choices(list(weights), weights=list(weights.values()))[0])


def _rng(*parts: object) -> random.Random:
    """A generator of its own for one person or stratum, so that the draws of one do not
    shift those of the next."""
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - demo data, reproducible on purpose


def _apportion(total: int, weights: Mapping[Any, float]) -> list[str]:
    """``total`` items spread over the keys in proportion to the weights (largest remainder)."""
    whole = sum(weights.values())
    exact = {key: total * w / whole for key, w in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    rest = sorted(weights, key=lambda key: counts[key] - exact[key])
    for key in rest[: total - sum(counts.values())]:
        counts[key] += 1
    return [str(key) for key in weights for _ in range(counts[key])]


def own_w2_starts() -> dict[int, tuple[int, int, int]]:
    """Tandem's own figures per year of the sources: (W² starts, group starts, W² starts in
    Limburg). Group starts count by the first placement (``selectors.group_start_counts``)."""
    group_starts = tandem_group_start_counts()
    found = {}
    for year in W2_STARTS:
        qs = Trajectory.objects.filter(type=W2, start_date__year=year)
        found[year] = (
            qs.count(),
            group_starts[year],
            qs.filter(person__province=Province.LIMBURG).count(),
        )
    return found


def legacy_rows(
    rng: random.Random, own: dict[int, tuple[int, int, int]], taken: set[str]
) -> list[LegacyRow]:
    """The legacy W² trajectories that bring 2018–2019 to the sources' figures."""
    fake = Faker("nl_BE")
    fake.seed_instance(rng.getrandbits(32))
    rows: list[LegacyRow] = []
    for year, target in W2_STARTS.items():
        all_own, group_own, limburg_own = own[year]
        count = max(0, target - all_own)
        group = min(count, max(0, GROUP_STARTS[year] - group_own))
        limburg = min(count, max(0, LIMBURG_STARTS[year] - limburg_own))
        provinces = [str(Province.LIMBURG)] * limburg + _apportion(count - limburg, OTHER_PROVINCES)
        flags = [True] * group + [False] * (count - group)
        rng.shuffle(provinces)
        rng.shuffle(flags)
        for province, group_work in zip(provinces, flags, strict=True):
            rows.append(_legacy_row(rng, fake, year, province, group_work, taken))
    return rows


def _legacy_row(
    rng: random.Random, fake: Faker, year: int, province: str, group_work: bool, taken: set[str]
) -> LegacyRow:
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    end: dt.date | None = start + dt.timedelta(days=rng.randint(240 if group_work else 180, 730))
    if rng.random() < OPEN_SHARE:
        end = None
    roll = rng.random()
    gender = Gender.X if roll < 0.01 else Gender.FEMALE if roll < 0.53 else Gender.MALE
    age = int(min(64, max(18, rng.gauss(MEAN_AGE[group_work], 10))))
    birth = start - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    # Odd sequence numbers for men, even for women (X: either).
    sequence = rng.randint(1, 499) * 2 - (1 if gender == Gender.MALE else 0)
    number = insz_rules.make(birth, sequence)
    while number in taken:
        sequence = sequence + 2 if sequence < 996 else (sequence % 2) + 1
        number = insz_rules.make(birth, sequence)
    taken.add(number)
    first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
    return LegacyRow(
        insz=number,
        first_name=first,
        last_name=fake.last_name(),
        birth_date=birth,
        gender=gender,
        province=province,
        organisation=demo_data.vdab_code(province),
        start=start,
        end=end,
        group_work=group_work,
        education=_pick(rng, EDUCATION[group_work]),
        benefit=_pick(rng, BENEFIT[group_work]),
    )


def tandem_subjects() -> list[Subject]:
    """Tandem's own closed trajectories (any type) of persons with a national number."""
    rows = (
        Trajectory.objects.filter(status=Status.CLOSED, end_date__isnull=False)
        .exclude(Q(person__insz__isnull=True) | Q(person__insz=""))
        .annotate(group=in_group_work())
        .values_list(
            "person__insz",
            "start_date",
            "end_date",
            "group",
            "person__birth_date",
            "person__education",
            "person__benefit",
            "closure_reason",
        )
        .order_by("person__insz", "start_date")
    )
    work = {ClosureReason.WORK_REGULAR, ClosureReason.WORK_SOCIAL_ECONOMY}
    subjects = []
    for insz, start, end, group, birth, education, benefit, reason in rows:
        assert insz and end  # filtered above
        subjects.append(
            Subject(
                key=f"t:{insz}:{start}",
                insz=insz,
                start=start,
                end=end,
                group_work=group,
                birth_date=birth,
                education=education,
                benefit=benefit,
                work_closure=reason in work,
            )
        )
    return subjects


def legacy_subjects(rows: Sequence[LegacyRow]) -> list[Subject]:
    return [
        Subject(
            key=f"i:{row.insz}:{row.start}",
            insz=row.insz,
            start=row.start,
            end=row.end,
            group_work=row.group_work,
            birth_date=row.birth_date,
            education=row.education,
            benefit=row.benefit,
        )
        for row in rows
        if row.end is not None
    ]


def assign_outcomes(subjects: Sequence[Subject], base: int) -> None:
    """Hand out the +24 outcomes: per stratum (group work × ended before the cutoff) a few
    unknown at random, then work, out of unemployment and unemployed by profile score."""
    for subject in subjects:
        rng = _rng(base, subject.key)
        mean = MEAN_MONTHS_UNEMPLOYED[subject.group_work]
        subject.months_unemployed = min(96, int(rng.expovariate(1 / mean)))
        subject.noise = rng.gauss(0, NOISE)
    strata: dict[tuple[bool, bool], list[Subject]] = {}
    for subject in sorted(subjects, key=lambda s: s.key):
        strata.setdefault((subject.group_work, subject.end < STRATUM_CUTOFF), []).append(subject)
    for (group_work, early), members in sorted(strata.items()):
        rng = _rng(base, "stratum", group_work, early)
        unknown = set(rng.sample(range(len(members)), round(UNKNOWN_SHARE * len(members))))
        known = [m for i, m in enumerate(members) if i not in unknown]
        for i in unknown:
            members[i].outcome = UNKNOWN_OUTCOME
        known.sort(key=lambda s: (-s.score(), s.key))
        n_work = round(WORK_SHARE[group_work] * len(known))
        n_out = round(OUT_SHARE[group_work] * len(known))
        for rank, subject in enumerate(known):
            subject.outcome = (
                WORK_OUTCOME
                if rank < n_work
                else OUT_OUTCOME
                if rank < n_out
                else UNEMPLOYED_OUTCOME
            )


def status_events(subject: Subject, base: int, today: dt.date) -> list[tuple[dt.date, str]]:
    """The person's labour-market history around the trajectory, up to ``today``."""
    if subject.outcome == UNKNOWN_OUTCOME:
        return []  # moved abroad: the employment service holds no record of them
    rng = _rng(base, "events", subject.key)
    pre = PRE_STATUS.get(subject.benefit, S.UNEMPLOYED)
    jobless = pre if pre in rules.UNEMPLOYED_STATUSES else str(S.UNEMPLOYED)
    since = add_months(subject.start, -subject.months_unemployed)
    events: list[tuple[dt.date, str]] = []
    if rng.random() < 0.7:
        before = _pick(rng, {S.EMPLOYED: 0.6, S.INACTIVE: 0.25, S.TRAINING: 0.15})
        events.append((since - dt.timedelta(days=rng.randint(90, 900)), before))
    events.append((since, pre))
    end = subject.end
    if subject.outcome in (WORK_OUTCOME, OUT_OUTCOME):
        window = rng.choices([w for w, _ in EXIT_WINDOWS], [p for _, p in EXIT_WINDOWS])[0]
        exit_day = end + dt.timedelta(days=rng.randint(*window))
        if subject.outcome == WORK_OUTCOME and window == EXIT_WINDOWS[0][0] and rng.random() < 0.5:
            exit_day = end + dt.timedelta(days=rng.randint(5, 45))  # the job closed the trajectory
        if subject.outcome == WORK_OUTCOME:
            if (exit_day - end).days > 60 and rng.random() < 0.25:
                # A training first, then the job.
                days = rng.randint(20, (exit_day - end).days - 20)
                events.append((end + dt.timedelta(days=days), S.TRAINING))
            events.append((exit_day, _pick(rng, WORK)))
        else:
            events.append((exit_day, _pick(rng, OUT_NOT_WORK)))
    else:
        if pre != jobless:
            events.append((end + dt.timedelta(days=rng.randint(1, 30)), jobless))
        if rng.random() < 0.25:
            # A job or training that did not last.
            left = end + dt.timedelta(days=rng.randint(40, 300))
            events.append((left, _pick(rng, {S.EMPLOYED: 0.5, S.TRAINING: 0.3, S.INACTIVE: 0.2})))
            events.append((left + dt.timedelta(days=rng.randint(60, 380)), jobless))
    unique = dict(sorted(events))  # one event per day (the later one wins)
    return [(day, status) for day, status in sorted(unique.items()) if day <= today]


def closure_reason(subject: Subject | None) -> str:
    """What the legacy system recorded when closing, consistent with what came after."""
    if subject is None:
        return ""
    if subject.outcome == UNKNOWN_OUTCOME:
        return ClosureReason.MOVED_AWAY
    first_after = next(((d, s) for d, s in subject.events if d > subject.end), None)
    if first_after is not None and (first_after[0] - subject.end).days <= 60:
        reasons: dict[str, str] = {
            S.EMPLOYED: ClosureReason.WORK_REGULAR,
            S.SELF_EMPLOYED: ClosureReason.WORK_REGULAR,
            S.EMPLOYED_SOCIAL_ECONOMY: ClosureReason.WORK_SOCIAL_ECONOMY,
            S.TRAINING: ClosureReason.TRAINING,
        }
        return reasons.get(first_after[1], ClosureReason.OTHER)
    rng = _rng(subject.key)
    return _pick(
        rng,
        {ClosureReason.DROPPED_OUT: 0.4, ClosureReason.OTHER: 0.45, ClosureReason.WORK_CARE: 0.15},
    )


def trajectories_csv(rows: Sequence[LegacyRow]) -> str:
    out = io.StringIO(newline="")
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.insz,
                row.first_name,
                row.last_name,
                row.birth_date.isoformat(),
                row.gender,
                row.province,
                row.organisation,
                W2,
                row.start.isoformat(),
                row.end.isoformat() if row.end else "",
                row.closure_reason,
                "1" if row.group_work else "0",
                "",  # the 2018 groups ran outside the ESF projects of the demo
            ]
        )
    return out.getvalue()


def status_csv(subjects: Sequence[Subject]) -> str:
    out = io.StringIO(newline="")
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["insz", "date", "status"])
    seen: set[tuple[str, dt.date]] = set()
    for subject in sorted(subjects, key=lambda s: s.key):
        for day, status in subject.events:
            # A person with two ended trajectories gets one history: first come, first kept.
            if (subject.insz, day) in seen:
                continue
            seen.add((subject.insz, day))
            writer.writerow([subject.insz, day.isoformat(), status])
    return out.getvalue()


def _enrich(rows: Sequence[LegacyRow]) -> int:
    """Demo enrichment: education and benefit of the imported persons, standing in for the
    profile the registry would hold (the legacy file has neither). Writes only what differs."""
    wanted = {row.insz: (row.education, row.benefit) for row in rows}
    changed = []
    for person in Person.objects.filter(insz__in=list(wanted)).only(
        "pk", "insz", "education", "benefit"
    ):
        education, benefit = wanted[person.insz or ""]
        if (person.education, person.benefit) != (education, benefit):
            person.education, person.benefit = education, benefit
            changed.append(person)
    Person.objects.bulk_update(changed, ["education", "benefit"], batch_size=1000)
    return len(changed)


def seed_outcomes(rng: random.Random, today: dt.date | None = None) -> OutcomesSeeded:
    """Import the legacy W² trajectories of 2018–2019 and everyone's status events."""
    today = today or timezone.localdate()
    base = rng.getrandbits(32)
    # National numbers the legacy persons must not take: everyone's but their own (so that a
    # second run draws the same numbers).
    legacy_persons = ImportedTrajectory.objects.values("person_id")
    taken = set(
        Person.objects.exclude(insz__isnull=True)
        .exclude(pk__in=legacy_persons)
        .values_list("insz", flat=True)
    )
    rows = legacy_rows(rng, own_w2_starts(), taken)  # type: ignore[arg-type]
    legacy = legacy_subjects(rows)
    subjects = tandem_subjects() + legacy
    assign_outcomes(subjects, base)
    for subject in subjects:
        subject.events = status_events(subject, base, today)
    by_key = {(s.insz, s.start): s for s in legacy}
    for row in rows:
        row.closure_reason = closure_reason(by_key.get((row.insz, row.start)))

    vdab = Organisation.objects.get(code="vdab")
    trajectories = import_trajectories(
        io.StringIO(trajectories_csv(rows)), default_organisation=vdab, file_name=FILE_NAME
    )
    _enrich(rows)
    events = import_status(io.StringIO(status_csv(subjects)), source_name=SOURCE)
    refresh_outcomes()  # the outcome table, whatever the imports changed or left unchanged
    return OutcomesSeeded(
        trajectories=trajectories.rows,
        trajectories_created=trajectories.created,
        persons_created=trajectories.persons_created,
        events=events.rows,
        events_created=events.created,
    )
