"""The demo duo's week in the agenda (issue 18): planned contacts with a time on the working
days of this week, today's among them, some of them home visits; the days gone by are held or
missed. Seeded once (a second run adds nothing) and from its own random stream."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo.agenda import seed_agenda
from tandem.home.agenda.selectors import agenda_week, day_list

pytestmark = pytest.mark.django_db


def test_the_demo_duo_has_a_realistic_week():
    call_command("seed_demo", "--seed", "3", "--persons", "120", stdout=io.StringIO())
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for username, at_least_today in (("demo_mediator", 3), ("demo_welfare_partner", 1)):
        user = User.objects.get(username=username)
        week = agenda_week(user, monday)
        contacts = [i.contact for d in week for i in d.items if i.contact is not None]
        working_days = {c.on for c in contacts if c.on.weekday() < 5}
        assert len(working_days) == 5, username
        assert len(day_list(user, today)) >= at_least_today, username
        assert any(c.kind == "home_visit" for c in contacts), username
        assert all(c.at is not None for c in contacts)
        # The days gone by are no longer planned: held or the person did not come.
        past = [c for c in contacts if c.on < today and c.author == user and c.purpose]
        assert all(c.status in ("held", "no_show") for c in past), username
    assert seed_agenda(random.Random(23)) == 0  # once per week
