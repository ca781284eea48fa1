"""A programme with one module and what enrolment tests need, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.groupwork import services
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.programmes.services import project_upsert
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()
_n = itertools.count(1)


@pytest.fixture
def groep_intro(db):
    return OrganisationFactory(
        name="Groep Intro", code="groep-intro-t", kind=OrganisationKind.GROUP_WORK_PARTNER
    )


@pytest.fixture
def coach(groep_intro):
    return make_user(Role.GROUP_COACH, organisation=groep_intro, username="coach")


@pytest.fixture
def programme(groep_intro, coach):
    project = project_upsert(
        acting_user=None,
        code="esf478-ovl-t",
        name="Versterken van de werk-welzijnsbemiddeling OVL",
        promoter=groep_intro,
        start_date=TODAY - dt.timedelta(days=700),
        end_date=TODAY + dt.timedelta(days=700),
        budget=499467,
    )
    return services.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk Oost-Vlaanderen",
        province="oost_vlaanderen",
        coaches=[coach],
    )


@pytest.fixture
def module(programme):
    return services.module_save(
        acting_user=None,
        programme=programme,
        name="Wie ben ik?",
        theme="self_insight",
        session_count=4,
        capacity=2,
    )


def plan(module, starts_on, coach=None):
    return enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=starts_on,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis De Centrale",
        coach=coach,
    )


def new_trajectory(mediator, **person):
    n = next(_n)
    person.setdefault("first_name", f"Deelnemer{n}")
    return trajectory_start(
        acting_user=mediator,
        person=make_person(mediator, **person),
        type="w2",
        reason="test",
        status="active",
        start_date=TODAY - dt.timedelta(days=60),
    )


def enrol(mediator, coach, module, *, on=None, accept=True):
    trajectory = new_trajectory(mediator)
    day = on or TODAY - dt.timedelta(days=30)
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module, on=day
    )
    if accept:
        enrolment = enrolment_services.enrolment_decide(
            acting_user=coach, enrolment=enrolment, accept=True, on=day
        )
    return enrolment
