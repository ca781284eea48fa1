"""The group-work figures in the database (issue 20): the counts per intake moment and, per
level (intake moment, module, programme, province, all), the waiting time's median
(``percentile_cont``) and mean and the distinct enrolments with attendance, each a ``GROUP BY``
joined by ``UNION ALL``, instead of one row per placed enrolment pulled into Python.

The oracle is the computation the page made before, kept here in plain Python over the same
rows: every placed enrolment with its intake moment's first session (or start date), the days
waited appended to a list per row and added up the levels, ``statistics.median`` and
``statistics.fmean`` over the lists, attendance summed per enrolment into sets. The figures must
be the same numbers, on the demo's data and on generated rows, on SQLite and PostgreSQL; the
query count is the same with few and many rows.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.groupwork.figures.selectors import GroupWorkFigures, group_work_figures
from tandem.groupwork.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    Module,
    Programme,
)
from tandem.groupwork.selectors import PLACE_HOLDING
from tandem.trajectories.models import Trajectory
from tests.factories import make_user

pytestmark = pytest.mark.django_db

Key = tuple[Any, ...]


# --- the oracle: the page's computation before issue 20 ---------------------------------------


def oracle(today: dt.date, starts_from: dt.date | None = None) -> dict[Key, tuple]:
    """(level, names…) → (participants, given, capacity, completed, left, present, excused,
    absent, attendees, median days, mean days), row by row in Python."""
    intakes = IntakeMoment.objects.all()
    if starts_from is not None:
        intakes = intakes.filter(starts_on__gte=starts_from)
    info = {
        i["pk"]: i
        for i in intakes.values(
            "pk",
            "starts_on",
            "module__name",
            "module__capacity",
            "module__programme__name",
            "module__programme__province",
        ).annotate(first_session=Min("sessions__on"))
    }

    def keys(intake_id: int) -> list[Key]:
        i = info[intake_id]
        prog, mod = i["module__programme__name"], i["module__name"]
        prov = i["module__programme__province"]
        return [
            ("intake", prog, mod, i["starts_on"]),
            ("module", prog, mod),
            ("programme", prog),
            ("province", prov),
            ("total",),
        ]

    acc: dict[Key, dict[str, Any]] = defaultdict(
        lambda: {"counts": [0] * 8, "waits": [], "attendees": set()}
    )
    for intake_id, i in info.items():
        for n, key in enumerate(keys(intake_id)):
            counts = acc[key]["counts"]  # every level exists, with or without enrolments
            if n == 0:
                counts[2] = i["module__capacity"]
            elif i["starts_on"] <= today:  # only the places of started groups add up
                counts[2] += i["module__capacity"]
    placed = Enrolment.objects.filter(intake__in=info, status__in=PLACE_HOLDING)
    for intake_id, status, requested_on in placed.values_list(
        "intake_id", "status", "requested_on"
    ):
        i = info[intake_id]
        wait = ((i["first_session"] or i["starts_on"]) - requested_on).days
        for n, key in enumerate(keys(intake_id)):
            counts = acc[key]["counts"]
            counts[0] += 1
            counts[1] += n == 0 or i["starts_on"] <= today
            counts[3] += status == EnrolmentStatus.COMPLETED
            counts[4] += status == EnrolmentStatus.LEFT
            acc[key]["waits"].append(wait)
    position = {
        AttendanceStatus.PRESENT: 5,
        AttendanceStatus.EXCUSED: 6,
        AttendanceStatus.ABSENT: 7,
    }
    rows = Attendance.objects.filter(session__intake__in=info).values_list(
        "session__intake_id", "enrolment_id", "status"
    )
    for intake_id, enrolment_id, status in rows:
        for key in keys(intake_id):
            acc[key]["counts"][position[status]] += 1
            acc[key]["attendees"].add(enrolment_id)
    return {
        key: (
            *a["counts"][:5],
            *a["counts"][5:],
            len(a["attendees"]),
            statistics.median(a["waits"]) if a["waits"] else None,
            statistics.fmean(a["waits"]) if a["waits"] else None,
        )
        for key, a in acc.items()
    }


def computed(figures: GroupWorkFigures) -> dict[Key, tuple]:
    def values(row: Any) -> tuple:
        return (
            row.participants,
            row.given,
            row.capacity,
            row.completed,
            row.left,
            row.present,
            row.excused,
            row.absent,
            row.attendees,
            row.wait_median_days,
            row.wait_mean_days,
        )

    out = {("total",): values(figures.total)}
    for row in figures.provinces:
        out[("province", row.province)] = values(row)
    for p in figures.programmes:
        out[("programme", p.row.name)] = values(p.row)
        for m in p.modules:
            out[("module", p.row.name, m.row.name)] = values(m.row)
            for i in m.intakes + m.upcoming:
                out[("intake", p.row.name, m.row.name, i.starts_on)] = values(i)
    return out


def assert_same(figures: GroupWorkFigures, expected: dict[Key, tuple]) -> None:
    got = computed(figures)
    assert got.keys() == expected.keys()
    for key, row in expected.items():
        # Medians of whole days are exact in both; the mean is sum / n in both.
        assert got[key] == row, key
    # And what the page shows (rounded, under disclosure control) follows from these.
    shown = figures.total
    if shown.waited >= shown.limit and not shown.waiting_too_few:
        assert shown.waiting_median == round(float(expected[("total",)][9]), 1)
        assert shown.waiting_mean == round(expected[("total",)][10], 1)


# --- the data ---------------------------------------------------------------------------------


@pytest.fixture
def demo_data():
    call_command("seed_demo", "--seed", "3", "--persons", "40", stdout=StringIO())


def make_group_work(*, seed: int = 11) -> None:
    """Generated group work on the demo's trajectories: two programmes in two provinces, three
    modules each, four intake moments per module (some without sessions, some upcoming), 0–25
    placed, completed or left enrolments per group with requests up to 200 days before, and
    attendance for most of them."""
    rng = random.Random(seed)
    user = make_user(Role.GROUP_COACH)
    trajectories = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True))
    assert len(trajectories) >= 25
    template = Programme.objects.order_by("pk").first()
    assert template is not None
    today = timezone.localdate()
    enrolments: list[Enrolment] = []
    for p, province in enumerate(("west_vlaanderen", "antwerpen")):
        programme = Programme.objects.create(
            project=template.project,
            promoter=template.promoter,
            name=f"Gegenereerd {p}",
            province=province,
        )
        for m in range(3):
            module = Module.objects.create(
                programme=programme,
                name=f"Module {m}",
                theme="self_insight",
                session_count=3,
                capacity=rng.choice((8, 12, 25)),
            )
            for k in range(4):
                starts_on = today + dt.timedelta(days=rng.randint(-400, 60) + k)
                intake = IntakeMoment.objects.create(module=module, starts_on=starts_on)
                if rng.random() < 0.75:  # otherwise the start date stands in
                    GroupSession.objects.bulk_create(
                        GroupSession(
                            intake=intake,
                            number=s + 1,
                            on=starts_on + dt.timedelta(days=rng.randint(0, 3) + 7 * s),
                            starts_at=dt.time(9),
                            ends_at=dt.time(12),
                            place="Buurthuis",
                        )
                        for s in range(3)
                    )
                for t in rng.sample(trajectories, rng.randint(0, 25)):
                    status = rng.choice(
                        (EnrolmentStatus.COMPLETED, EnrolmentStatus.LEFT, EnrolmentStatus.COMPLETED)
                    )
                    enrolments.append(
                        Enrolment(
                            trajectory_id=t,
                            module=module,
                            intake=intake,
                            status=status,
                            requested_on=starts_on - dt.timedelta(days=rng.randint(0, 200)),
                            requested_by=user,
                        )
                    )
            # One placed enrolment per trajectory and module at most (the open one).
            last = module.intakes.order_by("-starts_on").first()
            for t in rng.sample(trajectories, 6):
                enrolments.append(
                    Enrolment(
                        trajectory_id=t,
                        module=module,
                        intake=last,
                        status=EnrolmentStatus.PLACED,
                        requested_on=last.starts_on - dt.timedelta(days=rng.randint(0, 90)),
                        requested_by=user,
                    )
                )
    Enrolment.objects.bulk_create(enrolments)
    sessions: dict[int, list[int]] = defaultdict(list)
    for pk, intake_id in GroupSession.objects.values_list("pk", "intake_id"):
        sessions[intake_id].append(pk)
    statuses = [AttendanceStatus.PRESENT] * 6 + [AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT]
    Attendance.objects.bulk_create(
        Attendance(session_id=s, enrolment=e, status=rng.choice(statuses), recorded_by=user)
        for e in Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
        for s in sessions[e.intake_id]
        if rng.random() < 0.8
    )


# --- the figures against the oracle -----------------------------------------------------------


def test_the_demo_figures_are_todays_figures(demo_data):
    assert Enrolment.objects.filter(status__in=PLACE_HOLDING).exists()
    today = timezone.localdate()
    assert_same(group_work_figures(Programme.objects.all(), today=today), oracle(today))


def test_generated_figures_match_the_oracle(demo_data):
    make_group_work()
    today = timezone.localdate()
    expected = oracle(today)
    assert_same(group_work_figures(Programme.objects.all(), today=today), expected)
    # Medians over even and odd numbers of participants, and intake moments without sessions.
    assert {row[0] % 2 for row in expected.values() if row[0]} == {0, 1}
    assert IntakeMoment.objects.filter(sessions__isnull=True, enrolments__isnull=False).exists()
    since = today - dt.timedelta(days=200)
    assert_same(
        group_work_figures(Programme.objects.all(), today=today, starts_from=since),
        oracle(today, starts_from=since),
    )


def test_the_figures_take_three_queries_with_few_and_many_rows(
    demo_data, django_assert_num_queries
):
    today = timezone.localdate()
    with django_assert_num_queries(3):
        group_work_figures(Programme.objects.all(), today=today)
    make_group_work()
    with django_assert_num_queries(3):
        group_work_figures(Programme.objects.all(), today=today)
