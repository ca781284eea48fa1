"""The demo's intake queue (issue 18): people referred to VDAB Gent by the service line, and
two by the outreach worker, so the Ghent mediator's queue and home page and the senders'
"My referrals" have work in them: four waiting (one urgent and overdue: "Dringend: dreigende
uithuiszetting"), three taken by the mediator (no trajectory yet: their caseload shows them),
one sent back with a reason. Written through the services, back-dated in working days.
And one network referral to VDAB Gent's own service ("Begeleiding naar werk en opleiding"):
the welfare partner of a duo in Antwerp refers a person who moved to Ghent, so the queue also
shows how a referral addressed to the office lands there (``referral_to_the_office``; no
random draws).

The persons are demo persons of the Ghent office without a trajectory (no new persons: the
demo's person count stays as asked); the sender's organisation is assigned to each, as
registering them would. Runs once: a demo with intake items is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tandem.accounts.models import Organisation, User
from tandem.common.workdays import is_working_day
from tandem.registry.intake.models import Intake, IntakeSource, Urgency
from tandem.registry.intake.services import intake_create, intake_send_back, intake_take
from tandem.registry.models import Person
from tandem.registry.services import person_assign
from tandem.trajectories.models import Trajectory

# (sender, urgency, working days ago, note, what the office did)
PLAN: list[tuple[str, str, int, str, str]] = [
    ("service_line", Urgency.URGENT, 6, "Dringend: dreigende uithuiszetting", "wait"),
    (
        "service_line",
        Urgency.URGENT,
        0,
        "Belt vandaag terug; geen inkomen sinds vorige maand.",
        "wait",
    ),
    (
        "service_line",
        Urgency.NORMAL,
        2,
        "Wil graag een opleiding volgen, zoekt kinderopvang.",
        "wait",
    ),
    (
        "outreach_worker",
        Urgency.NORMAL,
        1,
        "Ontmoet in het buurthuis; spreekt Arabisch en Frans.",
        "wait",
    ),
    ("service_line", Urgency.NORMAL, 9, "Schulden en een slechte woning; gemotiveerd.", "take"),
    ("service_line", Urgency.URGENT, 4, "Dakloos sinds twee weken.", "take"),
    ("outreach_worker", Urgency.NORMAL, 12, "", "take"),
    ("service_line", Urgency.NORMAL, 8, "Vraagt begeleiding naar werk.", "send_back"),
]


def _working_days_ago(today: dt.date, n: int) -> dt.date:
    day = today
    while n > 0:
        day -= dt.timedelta(days=1)
        n -= is_working_day(day)
    return day


def seed_intake(rng: random.Random) -> int:
    """Put the demo's referrals in VDAB Gent's intake queue; return how many were made."""
    if Intake.objects.exists():
        return 0
    office = Organisation.objects.filter(code="vdab-gent").first()
    mediator = User.objects.filter(username="demo_mediator").first()
    senders = {
        "service_line": User.objects.filter(username="demo_service_line").first(),
        "outreach_worker": User.objects.filter(username="demo_outreach_worker").first(),
    }
    if office is None or mediator is None or None in senders.values():
        return 0
    no_trajectory = (
        Person.objects.exclude(first_name="")
        .exclude(Exists(Trajectory.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
    )
    # The service line's people are the office's; the outreach worker's those they brought in.
    pools = {
        "service_line": list(no_trajectory.filter(organisation=office)[:200]),
        "outreach_worker": list(no_trajectory.filter(created_by=senders["outreach_worker"])),
    }
    wanted = {who: sum(1 for p in PLAN if p[0] == who) for who in pools}
    if any(len(pools[who]) < n for who, n in wanted.items()):
        return referral_to_the_office(office)
    drawn = {who: rng.sample(pools[who], n) for who, n in wanted.items()}
    persons = [drawn[who].pop() for who, *_ in PLAN]
    today = timezone.localdate()
    for person, (who, urgency, ago, note, outcome) in zip(persons, PLAN, strict=True):
        sender = senders[who]
        assert sender is not None and sender.organisation is not None
        # Both sides work with the person: the sender (who screened or brought them in) and
        # the office (as the referral assigns it).
        for organisation, reason in (
            (sender.organisation, "Gescreend door de servicelijn"),
            (office, "Doorverwezen naar VDAB Gent"),
        ):
            if organisation.pk != person.organisation_id:
                person_assign(
                    acting_user=sender, person=person, organisation=organisation, reason=reason
                )
        intake = intake_create(
            acting_user=sender,
            person=person,
            office=office,
            source=IntakeSource.SCREENING if who == "service_line" else IntakeSource.OUTREACH,
            note=note,
            urgency=urgency,
        )
        arrived = timezone.make_aware(
            dt.datetime.combine(_working_days_ago(today, ago), dt.time(9 + rng.randrange(7), 15))
        )
        Intake.objects.filter(pk=intake.pk).update(created_at=arrived)
        intake.refresh_from_db()
        if outcome == "take":
            intake_take(acting_user=mediator, intake=intake)
        elif outcome == "send_back":
            intake_send_back(
                acting_user=mediator,
                intake=intake,
                reason="Woont in Aalst: meld aan bij VDAB Aalst.",
            )
        if outcome != "wait":
            decided = min(arrived + dt.timedelta(days=1), timezone.now())
            Intake.objects.filter(pk=intake.pk).update(decided_at=decided)
    return len(PLAN) + referral_to_the_office(office)


MOVED_QUESTION = (
    "Verhuist volgende maand naar Gent. Graag verder begeleiden naar werk: heeft een "
    "heftruckattest en zoekt werk in de logistiek."
)


def referral_to_the_office(office: Organisation) -> int:
    """A duo trajectory of VDAB Antwerpen whose person moves to Ghent: with the person's
    consent to share work with VDAB Gent, the OCMW Antwerpen partner refers the work action to
    VDAB Gent's service; it waits in the Ghent queue, two working days. Returns 1 when made."""
    from tandem.access.scope import consented_domains
    from tandem.network.consent.services import consent_give
    from tandem.network.models import Service
    from tandem.network.referrals.services import referral_send
    from tandem.trajectories.models import Goal, Status
    from tandem.trajectories.plan.services import action_create

    service = Service.objects.filter(organisation=office, name__startswith="Begeleiding").first()
    partner = User.objects.filter(username="demo_welfare_antwerpen").first()
    if service is None or partner is None or partner.organisation is None:
        return 0
    goal = (
        Goal.objects.filter(
            domain="work_education",
            trajectory__welfare_partner=partner,
            trajectory__status=Status.ACTIVE,
            trajectory__lead_mediator__isnull=False,
            trajectory__start_date__lte=timezone.localdate() - dt.timedelta(days=30),
        )
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "trajectory__lead_mediator")
        .order_by("trajectory_id", "pk")
        .first()
    )
    if goal is None:
        return 0
    trajectory = goal.trajectory
    assert trajectory.lead_mediator is not None
    lead, person = trajectory.lead_mediator, trajectory.person
    today = timezone.localdate()
    sent = _working_days_ago(today, 2)
    given = sent - dt.timedelta(days=1)
    # The person agrees to share their work file with the partner and with VDAB Gent.
    for organisation in (partner.organisation, office):
        if "work_education" not in consented_domains(person.pk, organisation):
            consent_give(
                acting_user=lead,
                person=person,
                domains=["work_education"],
                purpose="Verder begeleiden naar werk na de verhuis naar Gent",
                evidence="signed_form",
                recipient_organisation=organisation,
                given_on=given,
            )
    action = action_create(
        acting_user=lead,
        goal=goal,
        description="Verder naar werk begeleiden in Gent na de verhuis",
        owner="client",
        due_on=today + dt.timedelta(days=14),
    )
    moment = timezone.make_aware(dt.datetime.combine(sent, dt.time(10, 30)))
    referral = referral_send(
        acting_user=partner,
        action=action,
        service=service,
        question=MOVED_QUESTION,
        at=moment,
        urgency=Urgency.URGENT,
    )
    Intake.objects.filter(source=IntakeSource.REFERRAL, source_ref=str(referral.public_id)).update(
        created_at=moment
    )
    return 1
