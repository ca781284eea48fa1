"""A complete, hand-built file: one person with something of every record type, made through
the services in the order it would happen, then closed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tandem.accounts.models import Organisation, OrganisationKind, Role, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.registry.models import Person
from tandem.registry.services import (
    IncomeData,
    MemberData,
    household_circumstances_update,
    household_update,
)
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services as ts
from tandem.trajectories.jobcoaching.services import (
    coaching_contact_record,
    employer_create,
    job_coaching_start,
    job_start_record,
    retention_check_record,
)
from tandem.trajectories.measurement.services import assessment_record
from tandem.trajectories.models import Trajectory
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.pop.services import pop_draft
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()
SPECIAL_NOTE = "Vertelt over een verslaving aan gokken"
ORDINARY_NOTE = "Gesprek over het cv"


@dataclass
class File:
    person: Person
    trajectory: Trajectory
    objects: dict[str, Any]


def build_file(
    mediator: User, partner: User | None = None, *, close: bool = True, **person: Any
) -> File:
    """A person with household, income, a screening, a closed W² trajectory with a plan,
    contacts (one special-category), readings, a POP, a job with coaching and checks."""
    person_obj = make_person(mediator, **person)
    household = person_obj.household
    assert household is not None
    reference = household.members.get()
    household_update(
        acting_user=mediator,
        household=household,
        members=[
            MemberData(
                pk=reference.pk, relation="self", first_name="", birth_date=reference.birth_date
            ),
            MemberData(relation="child", first_name="Noor", birth_date=dt.date(2019, 4, 2)),
        ],
        incomes=[
            IncomeData(kind="leefloon", monthly_amount=Decimal("1310.50"), member_pk=reference.pk),
            IncomeData(kind="child_benefit", monthly_amount=Decimal("190.00")),
        ],
    )
    household_circumstances_update(
        acting_user=mediator, household=household, deprivation={"holiday": True}, kind_en_gezin={}
    )
    screening = screening_conduct(
        acting_user=mediator,
        person=person_obj,
        checklist=current_checklist(),
        present=["schulden", "psychische-klachten"],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=TODAY - dt.timedelta(days=90),
        notes="Eerste gesprek",
    )
    trajectory = ts.trajectory_start(
        acting_user=mediator,
        person=person_obj,
        type="w2",
        screening=screening,
        start_date=TODAY - dt.timedelta(days=80),
        status="active",
    )
    if partner is not None:
        ts.trajectory_set_welfare_partner(
            acting_user=mediator, trajectory=trajectory, partner=partner
        )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="income", description="Schulden"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Budgetplan opmaken", owner="client"
    )
    special = plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY - dt.timedelta(days=70),
        domain="addiction",
        text=SPECIAL_NOTE,
    )
    ordinary = plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="phone",
        on=TODAY - dt.timedelta(days=65),
        domain="work_education",
        text=ORDINARY_NOTE,
        next_on=TODAY + dt.timedelta(days=10),
        next_at=dt.time(10, 0),
        next_kind="home_visit",
    )
    assessment = assessment_record(
        acting_user=mediator,
        trajectory=trajectory,
        on=TODAY - dt.timedelta(days=60),
        readings={"income": 2, "housing": 3},
        agreed_with_client=True,
        note="Samen ingevuld",
    )
    pop = pop_draft(
        acting_user=mediator,
        trajectory=trajectory,
        job_target="Magazijnier",
        perspective="nec",
        work_plan="Heftruckattest halen",
    )
    employer = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).first() or (
        employer_create(acting_user=mediator, name="Haven Gent", municipality="Gent")
    )
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=TODAY - dt.timedelta(days=45),
        contract_type="permanent",
        job_title="Magazijnier",
    )
    coaching = job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=mediator,
        employer_consent_on=TODAY - dt.timedelta(days=45),
        started_on=TODAY - dt.timedelta(days=40),
    )
    coaching_contact = coaching_contact_record(
        acting_user=mediator,
        coaching=coaching,
        on=TODAY - dt.timedelta(days=30),
        text="Goed gestart op de werkvloer",
    )
    check = job.retention.get(month=1)
    retention_check_record(
        acting_user=mediator,
        check=check,
        checked_on=TODAY,
        still_employed=True,
        note="Nog steeds aan het werk",
    )
    request = ts.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Steun bij de administratie"
    )
    if close:
        ts.trajectory_transition(
            acting_user=mediator,
            trajectory=trajectory,
            to_status="closed",
            on=TODAY,
            closure_reason="work_regular",
            reason="Duurzaam aan het werk",
        )
    trajectory.refresh_from_db()
    audit_event_record(actor=mediator, person=person_obj, event_type=Event.PERSON_UPDATED)
    return File(
        person=person_obj,
        trajectory=trajectory,
        objects={
            "screening": screening,
            "goal": goal,
            "action": action,
            "special": special,
            "ordinary": ordinary,
            "assessment": assessment,
            "pop": pop,
            "job": job,
            "coaching": coaching,
            "coaching_contact": coaching_contact,
            "check": check,
            "expert_request": request,
        },
    )


@pytest.fixture
def ocmw(db):
    return OrganisationFactory(name="OCMW Gent", code="ocmw-gent-audit", kind=OrganisationKind.OCMW)


@pytest.fixture
def partner(ocmw):
    return make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="partner")


@pytest.fixture
def dpo(organisation):
    return make_user(Role.DATA_PROTECTION_OFFICER, organisation=organisation, username="dpo")


@pytest.fixture
def other_dpo(other_organisation):
    return make_user(
        Role.DATA_PROTECTION_OFFICER, organisation=other_organisation, username="other_dpo"
    )


@pytest.fixture
def dpo_client(client, dpo):
    client.force_login(dpo)
    return client


@pytest.fixture
def full_file(mediator, partner):
    from tandem.network.consent.services import consent_give

    file = build_file(mediator, partner, first_name="Yasmina", last_name="Amrani")
    file.objects["consent"] = consent_give(
        acting_user=mediator,
        person=file.person,
        recipient_organisation=partner.organisation,
        domains=["income", "housing"],
        purpose="Begeleiding in het werk-welzijnstraject",
        evidence="signed_form",
        given_on=TODAY - dt.timedelta(days=80),
    )
    return file
