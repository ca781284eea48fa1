"""Demo trajectories, so the caseload and person files look lived-in: every state, spread over
2018–2025, with plans, contacts and duo partners. Written through the services, with dates in
the past, in the order they would have happened."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import Province
from tandem.common.transitions import transition
from tandem.common.workdays import working_day_on_or_after
from tandem.demo.outcomes import LIMBURG_STARTS
from tandem.programmes.models import Project
from tandem.registry.models import Person, Registration
from tandem.screening.models import ChecklistVersion, Screening
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services
from tandem.trajectories.models import (
    Action,
    ActionStatus,
    ClosureReason,
    Contact,
    Goal,
    Status,
    StatusChange,
    Trajectory,
)
from tandem.trajectories.plan import services as plan_services

GOALS = {
    "work_education": [
        (
            "Een job in de logistiek of schoonmaak",
            ["Cv opmaken", "Sollicitatietraining volgen", "Drie vacatures bespreken"],
        ),
        (
            "Een opleiding heftruckchauffeur starten",
            ["Inschrijven bij de opleiding", "Attest halen"],
        ),
    ],
    "income": [
        (
            "Zicht op de schulden",
            ["Overzicht schuldeisers maken", "Afspraak budgetbegeleiding OCMW"],
        ),
        ("Rondkomen met het budget", ["Maandbudget opstellen", "Premies aanvragen"]),
    ],
    "housing": [
        ("Een betaalbare, gezonde woning", ["Inschrijven bij het SVK", "Huurachterstand regelen"])
    ],
    "family": [
        (
            "Kinderopvang geregeld",
            ["Opvang aanvragen bij het Huis van het Kind", "Voorschoolse opvang zoeken"],
        )
    ],
    "participation": [("Beter Nederlands spreken", ["Inschrijven NT2-les", "Taalcafé bezoeken"])],
    "iadl": [("Zelfstandig Mijn VDAB gebruiken", ["Digipunt bezoeken", "E-mailadres aanmaken"])],
    "social_network": [
        ("Meer mensen om op te rekenen", ["Buurtcentrum bezoeken", "Vrijwilligerswerk proberen"])
    ],
}
CONTACT_TEXTS = [
    "Gesprek over de stappen van deze maand. Afspraken opgevolgd.",
    "Telefonisch opgevolgd: sollicitatie verstuurd.",
    "Huisbezoek samen met de welzijnspartner.",
    "Samen het budget overlopen; de aanmaning van de energieleverancier besproken.",
    "Vacatures besproken en een sollicitatiebrief voorbereid.",
]
# The last contact of an open trajectory lies at most this many days before today.
RECENT_CONTACT_DAYS = 60
PAUSE_REASONS = ["Ziekte", "Zorg voor een gezinslid", "Tijdelijk verblijf in het buitenland"]


def _day(start: dt.date, rng: random.Random, low: int, high: int, cap: dt.date) -> dt.date:
    return min(cap, start + dt.timedelta(days=rng.randint(low, high)))


def seed_trajectories(
    *,
    persons: Sequence[Person],
    mediator_for: Callable[[Person], User],
    partner_for: Callable[[Person], User | None],
    rng: random.Random,
    on_employed: Callable[[Trajectory, User, dt.date, random.Random], None] | None = None,
    on_active: Callable[[Trajectory, User, dt.date, random.Random], None] | None = None,
) -> int:
    """Give about two thirds of the persons a trajectory; return how many were made."""
    today = timezone.localdate()
    made = 0
    # Read once: the checklist with its signals, and call 478's project per province.
    checklist = current_checklist()
    call_478: dict[str, Project] = {}
    for funded in Project.objects.filter(code__startswith="esf478-").order_by("pk"):
        call_478.setdefault(funded.province, funded)
    limburg_2019 = Trajectory.objects.filter(
        type="w2", person__province=Province.LIMBURG, start_date__year=2019
    ).count()
    for person in persons:
        if rng.random() > 0.65 or person.trajectories.exists():
            continue
        mediator = mediator_for(person)
        start = dt.date(2018, 1, 1) + dt.timedelta(
            days=rng.randint(0, (dt.date(2025, 10, 1) - dt.date(2018, 1, 1)).days)
        )
        age = (start - person.birth_date).days // 365
        kind = rng.choices(
            ["w2", "work_care", "regular", "outreach", "youth"],
            weights=[
                65,
                10,
                10,
                5 if person.registration == Registration.NON_ACTIVE else 1,
                10 if age <= 25 else 0,
            ],
        )[0]
        # Source 004: 1 W² trajectory started in Limburg in 2019 (106 in 2018). The demo's
        # own W² starts there that year stay within that; a further one starts on the same
        # day a year later (no extra draw: the random stream stays as it was). The legacy
        # import (demo.outcomes) tops the year up to exactly 1.
        if kind == "w2" and person.province == Province.LIMBURG and start.year == 2019:
            if limburg_2019 >= LIMBURG_STARTS[2019]:
                start = start.replace(year=2020)
            else:
                limburg_2019 += 1
        screening = _screening(
            person, mediator, start - dt.timedelta(days=rng.randint(1, 14)), rng, checklist
        )
        # Call 478 funded W² trajectories (and their group work) from 1 August 2020 to the end
        # of 2022 (sources 000, 004): only a W² trajectory started then is one of its projects'
        # (issue 17). The draw stays for every type, so the random stream is as it was.
        project = None
        if dt.date(2020, 8, 1) <= start <= dt.date(2022, 12, 31) and rng.random() < 0.45:
            project = call_478.get(person.province) if kind == "w2" else None
        trajectory = _start(person, mediator, kind, start, screening, project)
        # Where it ends up: older trajectories are mostly closed.
        years = (today - start).days / 365
        final = rng.choices(
            [
                Status.REFERRED,
                Status.INTAKE,
                Status.ACTIVE,
                Status.PAUSED,
                Status.EMPLOYED,
                Status.CLOSED,
            ],
            weights=[2, 3, 20, 5, 8, 62 if years > 2 else 15],
        )[0]
        day = start
        partner = partner_for(person) if rng.random() < 0.45 else None
        if partner is not None:
            # The person agrees to share the welfare domains with the partner's organisation.
            from tandem.network.consent.services import consent_give

            consent_give(
                acting_user=mediator,
                person=person,
                domains=rng.sample(
                    ["income", "housing", "family", "social_network", "mental_health"],
                    k=rng.randint(2, 4),
                ),
                purpose="Begeleiding in het werk-welzijnstraject (duo)",
                evidence=rng.choice(["signed_form", "signed_form", "verbal_with_witness"]),
                witness="Collega van het OCMW",
                recipient_organisation=partner.organisation,
                given_on=start,
            )
            services.trajectory_set_welfare_partner(
                acting_user=mediator, trajectory=trajectory, partner=partner
            )

        def go(to: str, low: int, high: int, **kwargs: Any) -> None:
            nonlocal day, trajectory
            day = _day(day, rng, low, high, today)
            _move(trajectory, mediator, to, day, **kwargs)  # noqa: B023 - this iteration's

        if final == Status.CLOSED and rng.random() < 0.15:
            go(
                Status.CLOSED,
                5,
                40,
                closure_reason=ClosureReason.DROPPED_OUT,
                reason="Niet meer op afspraken gekomen",
            )
            made += 1
            continue
        if final != Status.REFERRED:
            go(Status.INTAKE, 5, 25)
        if final in (Status.ACTIVE, Status.PAUSED, Status.EMPLOYED, Status.CLOSED):
            go(Status.ACTIVE, 7, 30)
            _plan(trajectory, mediator, partner, day, rng, today)
            if on_active is not None:
                on_active(trajectory, mediator, day, rng)
        if final == Status.PAUSED:
            go(Status.PAUSED, 30, 200, reason=rng.choice(PAUSE_REASONS))
        employed = final == Status.EMPLOYED or (final == Status.CLOSED and rng.random() < 0.45)
        if employed and on_employed is not None:
            day = _day(day, rng, 60, 400, today)
            on_employed(trajectory, mediator, day, rng)
            trajectory.refresh_from_db()
        if final == Status.CLOSED:
            reason = (
                rng.choice(
                    [
                        ClosureReason.WORK_REGULAR,
                        ClosureReason.WORK_REGULAR,
                        ClosureReason.WORK_SOCIAL_ECONOMY,
                    ]
                )
                if employed
                else rng.choice(
                    [
                        ClosureReason.TRAINING,
                        ClosureReason.WORK_CARE,
                        ClosureReason.DROPPED_OUT,
                        ClosureReason.MOVED_AWAY,
                        ClosureReason.OTHER,
                    ]
                )
            )
            # Two in three who leave for training leave with a certificate (no extra draw: the
            # random stream, and so the rest of the demo, stays as it was).
            go(
                Status.CLOSED,
                30,
                300,
                closure_reason=reason,
                qualification_gained=reason == ClosureReason.TRAINING and trajectory.pk % 3 != 0,
            )
        elif trajectory.is_open:
            # Whoever is still in a trajectory was seen or called recently: an open caseload
            # row is never years past its last contact.
            contact_on = max(day, today - dt.timedelta(days=rng.randint(0, RECENT_CONTACT_DAYS)))
            plan_services.contact_record(
                acting_user=mediator,
                trajectory=trajectory,
                kind="phone",
                on=contact_on,
                text=rng.choice(CONTACT_TEXTS),
                # The next contact is planned, with a time: some are already late, and the
                # caseload shows them. The same draw as before, so the random stream (and
                # the rest of the demo) stays as it was.
                # A mediator plans on a working day, at an hour of office time (from the
                # day, no extra draw).
                next_on=working_day_on_or_after(contact_on + dt.timedelta(days=rng.randint(7, 45))),
                next_at=OFFICE_HOURS[contact_on.toordinal() % len(OFFICE_HOURS)],
                next_kind="office",
            )
        made += 1
    return made


def _start(
    person: Person,
    mediator: User,
    kind: str,
    start: dt.date,
    screening: Screening,
    project: Project | None,
) -> Trajectory:
    """What ``services.trajectory_start`` writes for a referral from a screening, through the
    same ``trajectory_start_record``, without its checks of what the demo just made."""
    from django.utils.translation import gettext as _

    trajectory = Trajectory.objects.create(
        organisation=mediator.organisation,  # type: ignore[misc]
        person=person,
        type=kind,
        status=Status.REFERRED,
        start_date=start,
        lead_mediator=mediator,
        screening=screening,
        project=project,
    )
    services.trajectory_start_record(
        trajectory=trajectory,
        by=mediator,
        reason=_("Started from the screening of %(date)s")
        % {"date": screening.conducted_on.strftime("%d/%m/%Y")},
    )
    return trajectory


def _move(
    trajectory: Trajectory,
    by: User,
    to: str,
    on: dt.date,
    *,
    reason: str = "",
    closure_reason: str = "",
    qualification_gained: bool = False,
) -> None:
    """What ``services.trajectory_transition`` writes (the trajectory, its status change and
    the audit event), through the same ``transition`` helper and state machine, without
    reading back and validating again what the demo just made: two statements instead of some
    fifteen queries."""
    if not services.TRAJECTORY.allows(trajectory.status, to) or on > timezone.localdate():
        raise ValueError(f"demo: {trajectory.status} → {to} on {on} is not allowed")
    fields = ["status", "updated_at"]
    if to == Status.CLOSED:
        trajectory.end_date = on
        trajectory.closure_reason = closure_reason
        trajectory.closure_note = reason
        trajectory.qualification_gained = qualification_gained
        fields += [
            "end_date",
            "closure_reason",
            "closure_note",
            "qualification_gained",
        ]
    transition(
        services.TRAJECTORY,
        trajectory,
        to,
        by=by,
        history=StatusChange,
        history_fields={"trajectory": trajectory, "on": on, "reason": reason},
        save=lambda t: t.save(update_fields=fields),
        audit=Event.TRAJECTORY_STATUS_CHANGED,
        audit_person=trajectory.person,
        audit_subject={"trajectory": str(trajectory.public_id)},
        audit_extra={"on": on.isoformat(), "closure_reason": closure_reason or None},
    )


def _screening(
    person: Person, mediator: User, on: dt.date, rng: random.Random, checklist: ChecklistVersion
) -> Screening:
    """The screening a trajectory starts from: mostly poverty signals, sometimes health."""
    signals = list(checklist.signals.all())
    poverty = [s.code for s in signals if not s.mmpps]
    health = [s.code for s in signals if s.mmpps]
    present = rng.sample(poverty, k=rng.randint(2, 6))
    if rng.random() < 0.2:
        present.append(rng.choice(health))
    return screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=checklist,
        present=present,
        motivation=rng.choice(["sufficient"] * 4 + ["doubtful"]),
        outflow_within_two_years=rng.choice(["yes"] * 4 + ["unknown"]),
        conducted_on=on,
    )


def _plan(
    trajectory: Trajectory,
    mediator: User,
    partner: User | None,
    day: dt.date,
    rng: random.Random,
    today: dt.date,
) -> None:
    """Goals with actions (most of the past ones done) and the first contacts, written in
    bulk: the rows and audit events of ``goal_create``, ``action_create``,
    ``action_set_status`` and ``contact_record``, in four inserts instead of some twenty
    service calls."""
    domains = rng.sample(sorted(GOALS), k=rng.randint(2, 4))
    if "work_education" not in domains:
        domains[0] = "work_education"
    goals: list[Goal] = []
    actions: list[Action] = []
    for domain in domains:
        description, texts = rng.choice(GOALS[domain])
        goal = Goal(
            trajectory=trajectory, domain=domain, description=description, created_by=mediator
        )
        goals.append(goal)
        for text in texts:
            owner = (
                "welfare_partner"
                if partner and domain != "work_education" and rng.random() < 0.6
                else rng.choice(["mediator", "client"])
            )
            due = _day(day, rng, 10, 120, today + dt.timedelta(days=60))
            done = due < today and rng.random() < 0.7
            actions.append(
                Action(
                    goal=goal,
                    description=text,
                    owner=owner,
                    due_on=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_on=min(due, today) if done else None,
                )
            )
    contacts = [
        Contact(
            trajectory=trajectory,
            kind=rng.choice(["office", "phone", "home_visit", "video"]),
            on=_day(day, rng, 0, 60, today),
            text=rng.choice(CONTACT_TEXTS),
            author=mediator,
        )
        for _ in range(rng.randint(1, 4))
    ]
    Goal.objects.bulk_create(goals)
    Action.objects.bulk_create(actions)  # each takes its goal's new key
    Contact.objects.bulk_create(contacts)
    public_id = str(trajectory.public_id)

    def audit(event_type: Event, data: dict[str, Any]) -> None:
        audit_event_record(
            actor=mediator, person=trajectory.person, event_type=event_type, data=data
        )

    for goal in goals:
        audit(Event.PLAN_GOAL_CREATED, {"trajectory": public_id, "domain": goal.domain})
    for action in actions:
        audit(
            Event.PLAN_ACTION_CREATED,
            {"trajectory": public_id, "action": action.pk, "owner": action.owner},
        )
    for action in actions:
        if action.status == ActionStatus.DONE:
            audit(
                Event.PLAN_ACTION_STATUS,
                {"trajectory": public_id, "action": action.pk, "status": ActionStatus.DONE},
            )
    for contact in contacts:
        audit(
            Event.CONTACT_RECORDED,
            {"trajectory": public_id, "kind": contact.kind, "special_category": False},
        )


def demo_readings(trajectory: Trajectory, mediator: User, day: dt.date, rng: random.Random) -> None:
    """Two or three self-sufficiency readings, improving a little over time."""
    from tandem.common.models import LifeDomain
    from tandem.trajectories.measurement.services import assessment_record

    today = timezone.localdate()
    levels = {d.value: rng.choice([1, 2, 2, 3, 3, 4]) for d in LifeDomain}
    on = day
    for _ in range(rng.randint(2, 3)):
        if on > today:
            break
        assessment_record(
            acting_user=mediator,
            trajectory=trajectory,
            on=on,
            readings=levels,
            agreed_with_client=True,
        )
        levels = {d: min(5, v + rng.choice([0, 0, 1, 1, 2])) for d, v in levels.items()}
        on = on + dt.timedelta(days=rng.randint(60, 150))


EMPLOYERS = [
    ("Haven Logistiek Gent", "Gent"),
    ("Schoonmaakbedrijf Net & Fris", "Antwerpen"),
    ("Maatwerkbedrijf De Ploeg", "Hasselt"),
    ("Woonzorgcentrum Ter Linde", "Leuven"),
    ("Bakkerij Vandenbroucke", "Brugge"),
    ("Tuinonderhoud Groen Werk", "Aalst"),
]


def demo_active(trajectory: Trajectory, mediator: User, day: dt.date, rng: random.Random) -> None:
    """Readings for most active trajectories, a signed-off POP for some, and now and then a
    request for an experience expert of the office."""
    demo_readings(trajectory, mediator, day, rng)
    expert = User.objects.filter(
        role_assignments__role=Role.EXPERIENCE_EXPERT, organisation_id=trajectory.organisation_id
    ).first()
    today = timezone.localdate()
    if expert is not None and rng.random() < 0.12:
        from tandem.trajectories.models import ExpertSupportRequest

        asked = min(today, day + dt.timedelta(days=rng.randint(7, 60)))
        request = services.expert_support_request(
            acting_user=mediator,
            trajectory=trajectory,
            question=rng.choice(
                [
                    "Mee naar het gesprek bij het OCMW?",
                    "Samen de brieven van de deurwaarder bekijken",
                    "Steun bij de eerste werkdag",
                ]
            ),
        )
        if rng.random() < 0.6:
            services.expert_support_respond(acting_user=expert, request=request, accept=True)
            services.expert_support_log(
                acting_user=expert,
                request=request,
                on=min(today, asked + dt.timedelta(days=7)),
                text="Samen naar de afspraak geweest.",
                done=rng.random() < 0.5,
            )
        # The service stamps the moment it runs; the demo's request was asked back then.
        ExpertSupportRequest.objects.filter(pk=request.pk).update(
            created_at=_moment(asked), updated_at=_moment(asked)
        )
    if rng.random() < 0.4:
        from tandem.trajectories.models import Perspective, PopReport
        from tandem.trajectories.pop.services import pop_draft, pop_sign_off

        drafted = min(today, day + dt.timedelta(days=rng.randint(7, 45)))
        pop = pop_draft(
            acting_user=mediator,
            trajectory=trajectory,
            job_target=rng.choice(
                [
                    "Magazijnier",
                    "Schoonmaker",
                    "Keukenhulp",
                    "Heftruckchauffeur",
                    "Zorgkundige in opleiding",
                    "Groenarbeider",
                ]
            ),
            perspective=rng.choice(
                [
                    Perspective.NEC,
                    Perspective.NEC,
                    Perspective.SOCIAL_ECONOMY,
                    Perspective.LDE,
                    Perspective.WORK_CARE,
                ]
            ),
            work_plan="Sollicitatietraining volgen.\nDrie vacatures per week bespreken.",
            welfare_plan="Budgetbegeleiding bij het OCMW.\nKinderopvang regelen.",
        )
        sign_on = min(today, drafted + dt.timedelta(days=rng.randint(10, 45)))
        pop_sign_off(acting_user=mediator, pop=pop, on=sign_on)
        # Drafted back then, as the sign-off date says (the service stamps today).
        PopReport.objects.filter(pk=pop.pk).update(
            created_at=_moment(drafted), updated_at=_moment(sign_on)
        )


def _moment(day: dt.date) -> dt.datetime:
    """A time in office hours on ``day``."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


def demo_job_start(
    trajectory: Trajectory, mediator: User, day: dt.date, rng: random.Random
) -> None:
    """A job start, often with job coaching and retention checks that are due."""
    from tandem.accounts.models import Organisation, OrganisationKind
    from tandem.trajectories.jobcoaching.services import (
        employer_create,
        job_coaching_start,
        job_start_record,
        retention_check_record,
    )
    from tandem.trajectories.models import ContractType

    today = timezone.localdate()
    name, municipality = rng.choice(EMPLOYERS)
    employer = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, name=name).first()
    if employer is None:
        employer = employer_create(acting_user=mediator, name=name, municipality=municipality)
    job = job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=day,
        contract_type=rng.choice(
            [
                ContractType.PERMANENT,
                ContractType.FIXED_TERM,
                ContractType.TEMPORARY_AGENCY,
                ContractType.SOCIAL_ECONOMY,
            ]
        ),
        job_title=rng.choice(["Magazijnier", "Schoonmaker", "Keukenhulp", "Groenarbeider"]),
    )
    start = day + dt.timedelta(days=rng.randint(3, 20))
    if rng.random() < 0.6 and start <= today:
        # The office's job coach when there is one, else the mediator coaches.
        coach = (
            User.objects.filter(
                role_assignments__role=Role.JOB_COACH, organisation_id=trajectory.organisation_id
            ).first()
            or mediator
        )
        job_coaching_start(
            acting_user=mediator,
            job_start=job,
            coach=coach,
            employer_consent_on=day,
            started_on=start,
        )
    for check in job.retention.all():
        if check.due_on <= today:
            retention_check_record(
                acting_user=mediator,
                check=check,
                checked_on=min(today, check.due_on + dt.timedelta(days=3)),
                still_employed=rng.random() < 0.85,
            )


OFFICE_HOURS = tuple(
    dt.time(h, m) for h, m in ((9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (13, 30), (14, 0))
)
