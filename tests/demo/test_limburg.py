"""Source 004's Limburg figure in the demo, exactly and for every seed (issue 17): "1 traject
opgestart in 2019, 106 opgestart in 2018". The demo's own W² trajectories start over
2018–2025 in every province; the legacy import (``demo.outcomes``) tops 2018–2019 up to the
sources' figures, which only works when the demo's own W² starts in Limburg in 2019 are at most
1. A Limburg-only demo makes those starts many, so the rule is put to the test."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from tandem.accounts.models import Role
from tandem.common.models import Province
from tandem.demo.organisations import seed_organisations
from tandem.demo.outcomes import seed_outcomes
from tandem.demo.trajectories import seed_trajectories
from tandem.outcomes.selectors import start_counts
from tandem.trajectories.models import Trajectory
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
PERSONS = 60


@pytest.mark.parametrize("seed", [1, 2])
def test_limburg_has_106_w2_starts_in_2018_and_1_in_2019_source_004(seed):
    organisations = seed_organisations()
    mediator = make_user(Role.MEDIATOR, organisation=organisations["vdab-hasselt"])
    rng = random.Random(seed)
    persons = [
        make_person(
            mediator,
            province=Province.LIMBURG,
            municipality="Hasselt",
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 14000)),
        )
        for _ in range(PERSONS)
    ]
    seed_trajectories(
        persons=persons,
        mediator_for=lambda _person: mediator,
        partner_for=lambda _person: None,
        rng=random.Random(seed + 1),
    )
    own = Trajectory.objects.filter(type="w2", person__province=Province.LIMBURG)
    assert own.filter(start_date__year=2019).count() <= 1
    # The draw did put more there: they start a year later, on the same day.
    assert own.filter(start_date__year=2020).exists()

    seed_outcomes(random.Random(seed + 5), today=TODAY)
    limburg: Counter[int] = Counter()
    for key, n in start_counts(Province.LIMBURG).items():
        if key.type == "w2":
            limburg[key.year] += n
    assert (limburg[2018], limburg[2019]) == (106, 1)
