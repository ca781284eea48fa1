"""Demo data a practitioner believes: children of one parent born at least ten months apart
(or twins), open trajectories with a recent contact, experience-expert requests and POPs dated
while the trajectory ran (not on the day the demo was loaded), and seeded text in Dutch."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Max
from django.utils import timezone

from tandem.demo.person_specs import (
    MIN_DAYS_BETWEEN_CHILDREN,
    REFERENCE_DATE,
    child_birth_dates,
)
from tandem.demo.trajectories import RECENT_CONTACT_DAYS
from tandem.registry.models import HouseholdMember, Relation
from tandem.trajectories.models import (
    ContactKind,
    ExpertSupportRequest,
    PopReport,
    Status,
    Trajectory,
)

pytestmark = pytest.mark.django_db


def _gaps_are_plausible(births: list[dt.date]) -> bool:
    births = sorted(births)
    return all(
        (b - a).days == 0 or (b - a).days >= MIN_DAYS_BETWEEN_CHILDREN
        for a, b in itertools.pairwise(births)
    )


def test_children_of_one_parent_are_born_apart_or_twins():
    rng = random.Random(5)
    for _ in range(3000):
        parent = REFERENCE_DATE - dt.timedelta(days=rng.randint(18 * 365, 64 * 365))
        count = rng.randint(1, 6)
        births = child_birth_dates(rng, parent, count)
        assert 1 <= len(births) <= count
        assert _gaps_are_plausible(births), births
        assert all(
            REFERENCE_DATE - dt.timedelta(days=18 * 365) < b < REFERENCE_DATE for b in births
        )
        # Born after the parent turned 18, where a parent is old enough for that at all.
        if parent <= REFERENCE_DATE - dt.timedelta(days=19 * 365):
            assert min(births) >= parent + dt.timedelta(days=18 * 365)


def test_seeded_demo_is_plausible():
    call_command("seed_demo", "--seed", "11", "--persons", "120", stdout=io.StringIO())
    today = timezone.localdate()

    children = defaultdict(list)
    for household, born in HouseholdMember.objects.filter(relation=Relation.CHILD).values_list(
        "household", "birth_date"
    ):
        children[household].append(born)
    assert any(len(b) > 1 for b in children.values())
    implausible = {h: sorted(b) for h, b in children.items() if not _gaps_are_plausible(b)}
    assert not implausible

    # Every open trajectory of the demo was in touch lately (the caseload's "days since the
    # last contact" counts contacts, not notes).
    open_trajectories = Trajectory.objects.exclude(status=Status.CLOSED).annotate(
        last=Max("contacts__on", filter=~models.Q(contacts__kind=ContactKind.NOTE))
    )
    assert open_trajectories.exists()
    stale = [
        (t.pk, t.status, t.last)
        for t in open_trajectories
        if t.last is None or (today - t.last).days > RECENT_CONTACT_DAYS
    ]
    assert not stale

    # Asked and drafted while the trajectory ran, not all on the day the demo was loaded.
    pops = list(PopReport.objects.select_related("trajectory"))
    requests = list(ExpertSupportRequest.objects.select_related("trajectory"))
    assert pops and requests
    for item in [*pops, *requests]:
        made = timezone.localtime(item.created_at).date()
        assert item.trajectory.start_date <= made < today
        assert item.trajectory.end_date is None or made <= item.trajectory.end_date
    for pop in pops:
        assert pop.signed_off_on is None or timezone.localtime(pop.created_at).date() <= (
            pop.signed_off_on
        )
    assert len({p.created_at.date() for p in pops}) > len(pops) // 2


# Common English words that are not Dutch words: two of them in one text mean English.
ENGLISH = frozenset(
    {"the", "and", "with", "who", "their", "from", "into", "for", "are", "people", "by", "to"}
    | {"which", "this", "that", "have", "not"}
)


def test_seeded_texts_are_dutch():
    call_command("seed_demo", "--seed", "3", "--persons", "40", stdout=io.StringIO())
    english = []
    for model in apps.get_models():
        if not model.__module__.startswith("tandem.") or model._meta.app_label == "audit":
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and (isinstance(f, models.TextField) or f.max_length >= 100)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields).distinct():
            for name, value in zip(fields, row, strict=True):
                if len(set(re.findall(r"[a-z]+", (value or "").lower())) & ENGLISH) >= 2:
                    english.append((model.__name__, name, value[:80]))
    assert not english
