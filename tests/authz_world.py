"""The worlds of the authorization matrix (tests/test_authorization_matrix.py).

A world is one organisation's person with one of everything — screening, trajectory with a duo,
plan, contacts (one in a special-category domain), consent, a referral, POP, job and coaching,
an expert request, group work — and the users who have a relation to it: the lead mediator,
the welfare partner of the duo, the experience expert, the job coach, the group coach, an
outreach worker who registered a second person, and the organisation's data-protection officer.
The matrix builds two worlds of two organisations, so that one world's ids can be mixed into
the other's URLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Organisation, OrganisationKind, Role
from tandem.registry.models import Person
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services as tservices
from tandem.trajectories.models import Trajectory
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()


@dataclass
class World:
    """One organisation's person with one of everything, and the users related to it."""

    tag: str
    organisation: Organisation
    person: Person
    trajectory: Trajectory
    objects: dict[str, Any]
    # relation → user: lead, partner, expert, job_coach, group_coach, outreach, dpo
    users: dict[str, Any] = field(default_factory=dict)
    # Words that only a page showing this person (or a special-category note) contains.
    secrets: dict[str, str] = field(default_factory=dict)


def build_world(tag: str, last_name: str) -> World:
    org = OrganisationFactory(
        name=f"VDAB {tag}",
        code=f"vdab-{tag}-matrix",
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )
    ocmw = OrganisationFactory(
        name=f"OCMW {tag}", code=f"ocmw-{tag}-matrix", kind=OrganisationKind.OCMW
    )
    mediator = make_user(Role.MEDIATOR, organisation=org, username=f"matrix_{tag}_lead")
    partner = make_user(Role.WELFARE_PARTNER, organisation=ocmw, username=f"matrix_{tag}_partner")
    expert = make_user(Role.EXPERIENCE_EXPERT, organisation=org, username=f"matrix_{tag}_expert")
    job_coach = make_user(Role.JOB_COACH, organisation=org, username=f"matrix_{tag}_jobcoach")
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=org, username=f"matrix_{tag}_dpo")
    person = make_person(mediator, first_name="Verborgen", last_name=last_name)
    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "psychische-klachten"],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=TODAY - dt.timedelta(days=30),
    )
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        screening=screening,
        start_date=TODAY - dt.timedelta(days=20),
        status="active",
    )
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="income", description="Schulden"
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Budget", owner="client"
    )
    special = f"Psychiater{tag.capitalize()}Geheim"
    contact = plan_services.contact_record(
        acting_user=mediator,
        trajectory=trajectory,
        kind="office",
        on=TODAY,
        domain="mental_health",
        text=special,
    )
    # A home visit planned today (issue 18, agenda): the week view and the day list show it.
    planned_contact = plan_services.contact_plan(
        acting_user=mediator, trajectory=trajectory, kind="home_visit", on=TODAY, at=dt.time(10)
    )
    request = tservices.expert_support_request(
        acting_user=mediator, trajectory=trajectory, question="Steun"
    )
    tservices.expert_support_respond(acting_user=expert, request=request, accept=True)
    # The person waits in the office's intake queue too (issue 18).
    from tandem.registry.intake.services import intake_create

    office_intake = intake_create(
        acting_user=mediator, person=person, office=org, source="screening", note="Dringend"
    )
    objects: dict[str, Any] = {
        "office_intake": office_intake,
        "screening": screening,
        "goal": goal,
        "action": action,
        "contact": contact,
        "planned_contact": planned_contact,
        "expert_request": request,
        "expert": expert,
    }
    from tandem.trajectories.pop.services import pop_draft

    objects["pop"] = pop_draft(
        acting_user=mediator, trajectory=trajectory, job_target="Magazijnier", perspective="nec"
    )
    from tandem.trajectories.jobcoaching.services import (
        employer_create,
        job_coaching_start,
        job_start_record,
    )

    employer = employer_create(acting_user=mediator, name=f"Haven {tag}", municipality="Brugge")
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=TODAY - dt.timedelta(days=40),
        contract_type="permanent",
    )
    coaching = job_coaching_start(
        acting_user=mediator,
        job_start=job,
        coach=job_coach,
        employer_consent_on=TODAY - dt.timedelta(days=40),
        started_on=TODAY - dt.timedelta(days=30),
    )
    objects.update(job=job, coaching=coaching, check=job.retention.first())
    from tandem.network.consent.services import consent_give

    objects["consent"] = consent_give(
        acting_user=mediator,
        person=person,
        recipient_organisation=ocmw,
        domains=["income", "housing"],
        purpose="Begeleiding",
        evidence="signed_form",
    )
    # A referral of a housing action to the OCMW's service, with the consent above.
    from tandem.network.models import Service
    from tandem.network.referrals.services import referral_send

    housing = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Woning"
    )
    objects["referral_action"] = plan_services.action_create(
        acting_user=mediator, goal=housing, description="SVK", owner="client"
    )
    objects["referral"] = referral_send(
        acting_user=mediator,
        action=objects["referral_action"],
        service=Service.objects.create(organisation=ocmw, name=f"Woonbegeleiding {tag}"),
        question="Woonbegeleiding?",
    )
    # A notification of the lead mediator's (issue 18): nobody else opens or marks it.
    from tandem.notifications.models import Notification

    objects["notification"] = Notification.objects.create(
        recipient=mediator, kind="referral.answered", url="/", person=person
    )
    # A data-subject request in the register of the organisation's DPO (issue 18).
    from tandem.privacy.requests.services import subject_request_register

    objects["subject_request"] = subject_request_register(
        acting_user=dpo,
        person=person,
        kind="access",
        channel="letter",
        received_on=TODAY,
        note=f"Brief van {last_name}",
    )
    objects.update(_group_work(tag, mediator, trajectory))
    objects.update(_directory(tag, org))
    objects.update(_outreach(tag, org, last_name))
    trajectory.refresh_from_db()
    return World(
        tag=tag,
        organisation=org,
        person=person,
        trajectory=trajectory,
        objects=objects,
        users={
            "lead": mediator,
            "partner": partner,
            "expert": expert,
            "job_coach": job_coach,
            "group_coach": objects["coach"],
            "outreach": objects["outreach_worker"],
            "dpo": dpo,
        },
        secrets={"name": last_name, "insz": person.insz or "", "special": special},
    )


def _group_work(tag: str, mediator: Any, trajectory: Trajectory) -> dict[str, Any]:
    """The person in a group: enrolled, placed, with attendance, an observation, POP input and
    a network map."""
    from tandem.groupwork import services as gservices
    from tandem.groupwork.enrolment import follow_up
    from tandem.groupwork.enrolment import services as enrolment_services
    from tandem.groupwork.networkmap.services import network_map_save
    from tandem.programmes.services import project_upsert

    partner = OrganisationFactory(
        name=f"Groep Intro {tag}",
        code=f"groep-intro-{tag}-matrix",
        kind=OrganisationKind.GROUP_WORK_PARTNER,
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username=f"matrix_{tag}_coach")
    project = project_upsert(
        acting_user=None,
        code=f"esf478-{tag}-matrix",
        name=f"Groepswerk {tag}",
        promoter=partner,
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=400),
        budget=1000,
    )
    programme = gservices.programme_save(
        acting_user=None,
        project=project,
        name=f"Groepswerk {tag}",
        province="west_vlaanderen",
        coaches=[coach],
    )
    module = gservices.module_save(
        acting_user=None,
        programme=programme,
        name="Zelfinzicht",
        theme="self_insight",
        session_count=4,
    )
    intake = enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=TODAY - dt.timedelta(days=7),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
        coach=coach,
    )
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module, on=TODAY - dt.timedelta(days=10)
    )
    enrolment = enrolment_services.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=True, on=TODAY - dt.timedelta(days=9)
    )
    session = intake.sessions.order_by("number").first()
    follow_up.attendance_record(
        acting_user=coach, session=session, statuses={enrolment.pk: "present"}
    )
    pop_input = follow_up.pop_input_write(
        acting_user=coach, enrolment=enrolment, job_target="Magazijnier", perspective="nec"
    )
    follow_up.note_write(acting_user=coach, enrolment=enrolment, text="Neemt het woord in de groep")
    network_map = network_map_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="start",
        ties=[{"label": "Zus", "kind": "person", "relation": "family", "strength": 3}],
    )
    return {
        "coach": coach,
        "programme": programme,
        "module": module,
        "intake": intake,
        "session": session,
        "enrolment": enrolment,
        "pop_input": pop_input,
        "network_map": network_map,
    }


def _directory(tag: str, org: Organisation) -> dict[str, Any]:
    """A directory service of the organisation at one location."""
    from tandem.network.directory.services import service_create, service_location_add

    service = service_create(
        acting_user=None,
        organisation=org,
        name=f"Jobclub {tag}",
        life_domains=["work_education"],
    )
    link = service_location_add(
        acting_user=None,
        service=service,
        address_1="Markt 1",
        postal_code="8000",
        city="Brugge",
    )
    return {"directory_link": link}


def _outreach(tag: str, office: Organisation, last_name: str) -> dict[str, Any]:
    """An outreach team with a find place, a prospect named like the secret person (so a list
    that leaked it would show it), and a second prospect the worker registered as a person."""
    from tandem.outreach.services import contact_log, place_save, prospect_convert

    team = OrganisationFactory(
        name=f"Outreach {tag}",
        code=f"outreach-{tag}-matrix",
        kind=OrganisationKind.OUTREACH_PARTNER,
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=team, username=f"matrix_{tag}_outreach")
    place = place_save(
        acting_user=worker, kind="school_gate", name=f"Schoolpoort {tag}", municipality="Brugge"
    )
    moment = contact_log(acting_user=worker, place=place, nickname=last_name)
    registered = contact_log(acting_user=worker, place=place, nickname=f"Gevonden{tag}").prospect
    person = prospect_convert(
        acting_user=worker,
        prospect=registered,
        person_data={
            "first_name": "Gevonden",
            "last_name": f"Straatkant{tag.capitalize()}",
            "birth_date": dt.date(1991, 3, 4),
            "gender": "M",
            "languages": ["nl"],
            "municipality": "Brugge",
            "province": "west_vlaanderen",
            "registration": "non_active",
            "benefit": "none",
            "nationality_group": "belgian",
        },
        office=office,
        consent=True,
        evidence="signed_form",
        confirmed_distinct=True,
    )
    return {
        "outreach_worker": worker,
        "place": place,
        "prospect": moment.prospect,
        "registered_prospect": registered,
        "outreach_person": person,
    }
