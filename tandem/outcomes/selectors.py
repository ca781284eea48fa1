"""Starts of trajectories, from Tandem and from legacy imports, counted (never listed): the
yearly report and the data-quality checks read them from here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef
from django.db.models.functions import ExtractYear

from tandem.groupwork.models import Enrolment
from tandem.trajectories.models import Trajectory

from .models import ImportedTrajectory


def in_group_work() -> Exists:
    """For annotating trajectories: its person was placed in a group at least once. The one
    rule for "with group work" of Tandem's own trajectories (outflow, starts, the demo)."""
    return Exists(Enrolment.objects.filter(trajectory=OuterRef("pk"), placed_on__isnull=False))


def tandem_group_start_counts(province: str = "") -> Counter[int]:
    """Group starts of Tandem's own trajectories per year: each once, in the year of its
    first placement in a group."""
    placed = Enrolment.objects.filter(placed_on__isnull=False)
    if province:
        placed = placed.filter(trajectory__person__province=province)
    firsts = placed.values("trajectory_id").annotate(first=Min("placed_on")).order_by()
    return Counter(row["first"].year for row in firsts)


@dataclass(frozen=True, slots=True)
class StartKey:
    year: int
    type: str
    province: str
    organisation_id: int | None
    group_work: bool


def start_counts(province: str = "", by_group: bool = True) -> Counter[StartKey]:
    """How many trajectories started, per year, type, province, organisation and group work.

    Tandem's own trajectories count by the person's province and group work means placed in
    a group at least once; imported ones by the province and group-work flag of their row.
    ``by_group=False`` leaves group work out (every key's ``group`` is False): a caller that
    does not split by it spares the per-trajectory look-up in the enrolments.
    """
    counts: Counter[StartKey] = Counter()
    own = Trajectory.objects.all()
    imported = ImportedTrajectory.objects.all()
    if province:
        own = own.filter(person__province=province)
        imported = imported.filter(province=province)
    own = own.annotate(year=ExtractYear("start_date"))
    fields = ["year", "type", "person__province", "organisation_id"]
    if by_group:
        own = own.annotate(group=in_group_work())
        fields.append("group")
    for *key, n in own.values_list(*fields).annotate(n=Count("pk")).order_by():
        year, kind, where, organisation = key[:4]
        counts[StartKey(year, kind, where, organisation, bool(by_group and key[4]))] += n
    imported_rows = (
        imported.annotate(year=ExtractYear("start_date"))
        .values_list("year", "type", "province", "organisation_id", "group_work")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, kind, where, organisation, group, n in imported_rows:
        counts[StartKey(year, kind, where, organisation, group and by_group)] += n
    return counts


def start_years(province: str = "") -> set[int]:
    """The years in which a trajectory started (the years of ``start_counts``), without
    counting: Tandem's own by the person's province, imported ones by their row's."""
    own = Trajectory.objects.all()
    imported = ImportedTrajectory.objects.all()
    if province:
        own = own.filter(person__province=province)
        imported = imported.filter(province=province)
    years = {day.year for day in own.dates("start_date", "year").order_by()}
    return years | {day.year for day in imported.dates("start_date", "year").order_by()}


def group_start_counts(province: str = "") -> Counter[int]:
    """Group starts per year: when the group part of a trajectory began (source 004's "474
    job seekers started the group part in 2018").

    A Tandem trajectory counts once, in the year its person was first placed in a group; an
    imported trajectory with group work counts in the year it started (the legacy system
    kept no separate date for the group part).
    """
    counts: Counter[int] = Counter()
    for (year, _type), n in group_starts_by_type(province).items():
        counts[year] += n
    return counts


def group_starts_by_type(province: str = "") -> Counter[tuple[int, str]]:
    """Group starts (as ``group_start_counts`` defines them: the one definition) per year and
    trajectory type: the yearly report's "Starts" and "Group work" sheets both read them."""
    placed = Enrolment.objects.filter(placed_on__isnull=False)
    if province:
        placed = placed.filter(trajectory__person__province=province)
    firsts = (
        placed.values("trajectory_id", "trajectory__type")
        .annotate(first=Min("placed_on"))
        .order_by()
    )
    counts: Counter[tuple[int, str]] = Counter(
        (row["first"].year, row["trajectory__type"]) for row in firsts
    )
    imported = ImportedTrajectory.objects.filter(group_work=True)
    if province:
        imported = imported.filter(province=province)
    rows = (
        imported.annotate(year=ExtractYear("start_date"))
        .values_list("year", "type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, kind, n in rows:
        counts[(year, kind)] += n
    return counts
