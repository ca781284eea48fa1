"""The demo's group work: five programmes with modules, groups in the past and the coming
months, enrolments in every state, attendance, never more people in a group than places, a
waiting list; and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo.groupwork import seed_group_work
from tandem.groupwork import selectors
from tandem.groupwork.enrolment import selectors as enrolment_selectors
from tandem.groupwork.models import (
    Attendance,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    GroupSession,
    IntakeMoment,
    Module,
    NetworkMap,
    PopInput,
    Programme,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Programme,
    Module,
    IntakeMoment,
    GroupSession,
    Enrolment,
    EnrolmentChange,
    Attendance,
    CoachNote,
    PopInput,
    NetworkMap,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


def test_the_demo_seeds_group_work_once():
    out = io.StringIO()
    call_command("seed_demo", "--persons", "150", "--seed", "7", stdout=out)
    assert "group work: 5 programmes" in out.getvalue()
    today = timezone.localdate()

    programmes = Programme.objects.select_related("project").order_by("project__code", "pk")
    # Call 478's five, which ended with 2022 (sources 000, 004), and today's groups in each
    # promoter's own programmes, outside any call (issue 17).
    assert [p.project.code for p in programmes] == [
        "esf478-ant",
        "esf478-lim",
        "esf478-ovl",
        "esf478-vbr",
        "esf478-wvl",
        *["groepswerk-groep-intro"] * 4,
        "groepswerk-randstad",
    ]
    for programme in programmes:
        assert programme.province == (programme.project.province or programme.province)
        assert programme.promoter_id == programme.project.promoter_id
        assert programme.coaches.exists()
        assert 3 <= programme.modules.count() <= 5
    assert not Module.objects.filter(
        programme__project__code__startswith="esf478-", is_active=True
    ).exists()
    assert not Enrolment.objects.filter(
        module__programme__project__code__startswith="esf478-", placed_on__gt=dt.date(2022, 12, 31)
    ).exists()
    # Only W² participants, but for a justified exception the programme manager recorded.
    assert not (
        Enrolment.objects.exclude(trajectory__type="w2")
        .exclude(trajectory__funding_exceptions__kind="group_work")
        .exists()
    )
    ovl = programmes.get(project__code="esf478-ovl")
    coach = User.objects.get(username="demo_group_coach")
    assert ovl.coaches.filter(pk=coach.pk).exists()
    assert Module.objects.filter(capacity=6).exists()

    # Groups in the project period, one running now and some in the coming months.
    assert GroupSession.objects.filter(on__lt=dt.date(2023, 1, 1)).exists()
    assert GroupSession.objects.filter(on__gt=today).exists()
    assert IntakeMoment.objects.filter(
        starts_on__gt=today, starts_on__lte=today + dt.timedelta(days=100)
    ).exists()
    assert not GroupSession.objects.filter(on__gt=today, attendance__isnull=False).exists()

    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {"requested", "placed", "completed", "left"} <= statuses
    assert Attendance.objects.exists()
    assert set(Attendance.objects.values_list("status", flat=True)) >= {"present", "absent"}
    assert enrolment_selectors.requests_for(coach).exists()  # the demo coach's inbox
    # Somebody waited for a place (and in Oost-Vlaanderen people wait today).
    assert EnrolmentChange.objects.filter(to_status="waiting").exists()

    # Never more people in a group than it has places.
    taken = IntakeMoment.objects.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=selectors.PLACE_HOLDING))
    ).select_related("module")
    assert all(i.taken <= i.module.capacity for i in taken)
    assert Enrolment.objects.filter(requested_on__lte=dt.date(2022, 12, 31)).exists()
    assert not Enrolment.objects.filter(requested_on__gt=today).exists()

    # A second run finds the programmes and adds nothing.
    before = _counts()
    assert seed_group_work(random.Random(10)) == (0, 0, 0)
    assert _counts() == before
