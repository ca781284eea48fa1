"""Nothing left behind (issue 16): a person who touched every app is erased, and then every
text, char and JSON column of every table is scanned for any identifying value of theirs.
The subject-access export holds every model that points at a person, and the audit trail
keeps that a reason was given, not the reason."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tandem.accounts.models import OrganisationKind, Role, User
from tandem.audit.models import AuditEvent
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import follow_up
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.networkmap.services import network_map_save
from tandem.network.consent.services import consent_give
from tandem.network.models import Service
from tandem.network.referrals.services import referral_send
from tandem.outcomes.models import ImportedTrajectory, StatusEvent
from tandem.outreach import services as outreach_services
from tandem.outreach.models import ContactMoment, Prospect
from tandem.privacy import erasure, retention
from tandem.privacy.export import export_outline, person_export
from tandem.programmes.services import project_upsert
from tandem.registry.models import Person
from tandem.registry.services import person_assign
from tandem.trajectories import services as ts
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory, make_user
from tests.privacy.conftest import TODAY, build_file

pytestmark = pytest.mark.django_db

IN_6_YEARS = dt.date(TODAY.year + 6, TODAY.month, min(TODAY.day, 28))

FIRST, LAST = "Zoraïda", "Vanderkerckhove"
PHONE, EMAIL = "0470 98 76 54", "zoraida.vdk@example.org"
STREET = "Bloemekenswijkstraat"
NICKNAME = "Mama Zora"
PROSPECT_NOTE = "Zoekt werk als lasseres, woont bij haar tante"
PROSPECT_NEED = "Kinderopvang voor de tweeling"
QUESTION = "Kan de woonbegeleiding starten voor de tweeling?"
OVERRIDE = "Uithuiszetting op de Bloemekenswijkstraat deze week"
CONTACT_NOTE = "Schuldbemiddeling loopt via de tante, dossier 2024/118"
GROUP_NOTE = "Vertelt in de groep over haar tweeling en de tante"
ASSIGN_REASON = "Gevonden aan de schoolpoort door Jes, tante van Fatiha"
INTAKE_NOTE = "Dringend: dreigende uithuiszetting bij tante Fatiha"
ERASURE_REASON = f"Verzoek van {FIRST} {LAST} per brief van 1 december"
REQUEST_NOTE = f"Brief van {FIRST}: wil alles zien over de tweeling"
REQUEST_REASON = "Geen kopie van de nota's over de tante"


@dataclass
class Everything:
    person: Person
    needles: list[str]
    bystander: Person


def _group_work(mediator: User, trajectory: Any, bystander_trajectory: Any) -> User:
    partner = OrganisationFactory(
        name="Groep Intro Gent", code="groep-intro-nlb", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username="nlb_coach")
    project = project_upsert(
        acting_user=None,
        code="esf478-nlb",
        name="Groepswerk Gent",
        promoter=partner,
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=400),
        budget=1000,
    )
    programme = gservices.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk Gent",
        province="oost_vlaanderen",
        coaches=[coach],
    )
    module = gservices.module_save(
        acting_user=None,
        programme=programme,
        name="Mijn netwerk",
        theme="social_network",
        session_count=2,
    )
    intake = enrolment_services.intake_plan(
        acting_user=coach,
        module=module,
        starts_on=TODAY - dt.timedelta(days=21),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis Dampoort",
        coach=coach,
    )
    enrolments = []
    for t in (trajectory, bystander_trajectory):
        e = enrolment_services.enrolment_request(
            acting_user=mediator,
            trajectory=t,
            module=module,
            note=f"Kan enkel tijdens de schooluren ({t.person.first_name})",
            on=TODAY - dt.timedelta(days=30),
        )
        enrolments.append(
            enrolment_services.enrolment_decide(
                acting_user=coach, enrolment=e, accept=True, on=TODAY - dt.timedelta(days=28)
            )
        )
    mine, theirs = enrolments
    for session in intake.sessions.order_by("number"):
        follow_up.attendance_record(
            acting_user=coach, session=session, statuses={mine.pk: "present", theirs.pk: "absent"}
        )
    network_map_save(
        acting_user=coach,
        enrolment=mine,
        moment="start",
        ties=[{"label": "Tante Fatiha", "kind": "person", "relation": "family", "strength": 3}],
        drawn_on=TODAY - dt.timedelta(days=21),
    )
    follow_up.note_write(
        acting_user=coach, enrolment=mine, text=GROUP_NOTE, on=TODAY - dt.timedelta(days=14)
    )
    enrolment_services.enrolment_complete(acting_user=coach, enrolment=mine, on=TODAY)
    return coach


@pytest.fixture
def everything(mediator, partner, client, dpo) -> Everything:
    """A person who touched every app: outreach first, then registration, screening, a
    trajectory with plan, contacts, readings, a POP and job coaching (``build_file``), a duo
    partner, a consent, a referral without consent, group work with attendance and a network
    map, imported outcome rows; then the trajectory is closed."""
    file = build_file(
        mediator,
        partner,
        close=False,
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        email=EMAIL,
        street=STREET,
    )
    person = file.person
    bystander_file = build_file(mediator, close=False, first_name="Piotr", last_name="Nowak")

    # Outreach: met twice at the school gate before registration, then linked to the file (by
    # an outreach worker of the office that registered the person: they may link it).
    jes = OrganisationFactory(
        name="vzw Jes", code="jes-nlb", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(
        Role.OUTREACH_WORKER, organisation=mediator.organisation, username="nlb_outreach"
    )
    place = outreach_services.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort De Vlieger", municipality="Gent"
    )
    first = outreach_services.contact_log(
        acting_user=worker,
        place=place,
        on=TODAY - dt.timedelta(days=200),
        nickname=NICKNAME,
        approximate_age=35,
        languages=["ar", "nl"],
        need=PROSPECT_NEED,
        note=PROSPECT_NOTE,
    )
    outreach_services.contact_log(
        acting_user=worker,
        place=place,
        prospect=first.prospect,
        on=TODAY - dt.timedelta(days=190),
        note="Tweede keer aan de schoolpoort: " + PROSPECT_NOTE,
    )
    person_assign(acting_user=None, person=person, organisation=jes, reason=ASSIGN_REASON)
    outreach_services.prospect_link(acting_user=worker, prospect=first.prospect, person=person)

    # The intake queue (issue 18): referred to another office with a note.
    from tandem.registry.intake.services import intake_create

    other_office = OrganisationFactory(
        name="VDAB Aalst", code="vdab-aalst-nlb", kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
    )
    intake_create(
        acting_user=worker, person=person, office=other_office, source="outreach", note=INTAKE_NOTE
    )

    # Network: a consent for the partner's OCMW, and a referral to a CAW without consent.
    consent_give(
        acting_user=mediator,
        person=person,
        recipient_organisation=partner.organisation,
        domains=["income"],
        purpose="Begeleiding in het werk-welzijnstraject",
        evidence="signed_form",
        witness="Getuige Vanderkerckhove",
        given_on=TODAY - dt.timedelta(days=80),
    )
    caw = OrganisationFactory(name="CAW Oost-Vlaanderen", code="caw-nlb", kind="caw")
    service = Service.objects.create(
        organisation=caw, name="Woonbegeleiding", life_domains=["housing"]
    )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=file.trajectory, domain="housing", description="Een woning"
    )
    plan_services.contact_record(
        acting_user=mediator,
        trajectory=file.trajectory,
        kind="office",
        on=TODAY - dt.timedelta(days=20),
        domain="income",
        text=CONTACT_NOTE,
    )
    action = plan_services.action_create(
        acting_user=mediator, goal=goal, description="Woonbegeleiding vragen", owner="client"
    )
    referral_send(
        acting_user=mediator,
        action=action,
        service=service,
        question=QUESTION,
        override_reason=OVERRIDE,
    )

    _group_work(mediator, file.trajectory, bystander_file.trajectory)

    # Outcomes: imported rows from a legacy system.
    StatusEvent.objects.create(
        person=person, date=dt.date(2019, 3, 1), status="unemployed", source="vdab-2019.csv"
    )
    ImportedTrajectory.objects.create(
        person=person,
        type="w2",
        province="oost_vlaanderen",
        start_date=dt.date(2018, 2, 1),
        end_date=dt.date(2019, 2, 28),
        closure_reason="work_regular",
    )

    ts.trajectory_transition(
        acting_user=mediator,
        trajectory=file.trajectory,
        to_status="closed",
        on=TODAY,
        closure_reason="work_regular",
        reason="Duurzaam aan het werk als lasseres",
    )
    # A data-subject request in the DPO's register (issue 18), answered with a reason.
    from tandem.privacy.requests.services import subject_request_move, subject_request_register

    subject_request = subject_request_register(
        acting_user=dpo,
        person=person,
        kind="access",
        channel="letter",
        received_on=TODAY - dt.timedelta(days=5),
        note=REQUEST_NOTE,
    )
    subject_request_move(
        acting_user=dpo, request=subject_request, to_status="done", reason=REQUEST_REASON
    )
    person.refresh_from_db()
    client.force_login(mediator)
    client.get(reverse("registry:person_detail", kwargs={"public_id": person.public_id}))
    assert person.insz
    needles = [
        FIRST,
        LAST,
        person.insz,
        PHONE,
        EMAIL,
        STREET,
        NICKNAME,
        PROSPECT_NOTE,
        PROSPECT_NEED,
        QUESTION,
        OVERRIDE,
        GROUP_NOTE,
        CONTACT_NOTE,
        "Tante Fatiha",
        "lasseres",
        ASSIGN_REASON,
        INTAKE_NOTE,
        REQUEST_NOTE,
        REQUEST_REASON,
    ]
    return Everything(person=person, needles=needles, bystander=bystander_file.person)


def _text_columns(model: type[models.Model]) -> list[str]:
    return [
        f.column
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def scan(needles: list[str]) -> list[str]:
    """Every text, char and JSON value in the database that holds one of the needles, as
    ``table.column: value``."""
    wanted = [n.casefold() for n in needles if n]
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = _text_columns(model)
        if not columns or not model._meta.managed:
            continue
        for row in model._base_manager.values_list(
            *[f.attname for f in model._meta.concrete_fields if f.column in columns]
        ):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                folded = text.casefold()
                for needle in wanted:
                    if needle in folded:
                        found.append(
                            f"{model._meta.db_table}.{column}: {needle!r} in {text[:120]!r}"
                        )
    return found


def test_the_scan_finds_the_person_before_erasure(everything):
    found = "\n".join(scan(everything.needles))
    for table in (
        "registry_person",
        "outreach_prospect",
        "outreach_contactmoment",
        "network_referral",
        "groupwork_coachnote",
    ):
        assert f"{table}." in found, table


def test_erasure_leaves_nothing_of_the_person_in_any_table(everything, dpo):
    erasure.person_erase(acting_user=dpo, person=everything.person, reason=ERASURE_REASON)
    assert scan(everything.needles) == []
    assert not Prospect.objects.filter(person=everything.person).exists()
    assert not ContactMoment.objects.filter(prospect__person=everything.person).exists()
    # The bystander in the same group keeps their file.
    assert scan(["Nowak", "Piotr"])


def test_retention_leaves_nothing_of_the_person_in_any_table(everything):
    # The bystander's trajectory is still open: only the person is due.
    report = retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    assert report.counts["prospects"] == 1 and report.counts["contact_moments"] == 2
    assert scan(everything.needles) == []
    assert scan(["Nowak", "Piotr"])


# --- the export holds every model that points at a person ------------------------------------

# Models with a foreign key to the person that the export shows under another name, or not at
# all, with why.
NOT_A_SECTION_OF_THEIR_OWN = {
    # The access history: "access_history" (organisation, role, what and why of each read).
    "audit.AccessLog": "access_history",
    # The household member that is the person themself: "household".
    "registry.HouseholdMember": "household",
    # Derived from the trajectories (own and imported) and the status events (issue 20): the
    # export shows those; an erased person's rows go with them (outcomes.privacy).
    "outcomes.TrajectoryOutcome": "status_events",
}
# Each model with a foreign key to the person, and the export section that shows it.
SECTION_OF = {
    "audit.AuditEvent": "audit_events",
    "registry.PersonAssignment": "assignments",
    "registry.Intake": "intakes",
    "screening.Screening": "screenings",
    "trajectories.Trajectory": "trajectories",
    "network.Consent": "consents",
    "network.Referral": "referrals",
    "outcomes.StatusEvent": "status_events",
    "outcomes.ImportedTrajectory": "imported_trajectories",
    "outreach.Prospect": "outreach",
    "notifications.Notification": "notifications",
    "privacy.SubjectRequest": "subject_requests",
    **NOT_A_SECTION_OF_THEIR_OWN,
}


def _models_pointing_at_person() -> set[str]:
    out = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person:
                out.add(model._meta.label)
    return out


def test_every_model_that_points_at_a_person_has_its_export_section(everything):
    pointing = _models_pointing_at_person()
    missing = pointing - set(SECTION_OF)
    assert not missing, f"Not in the subject-access export: {sorted(missing)}"
    data = person_export(everything.person)
    for label in sorted(pointing):
        section = SECTION_OF[label]
        assert section in data["export"]["sections"], (label, section)
        assert data[section], f"{label}: the section {section!r} is empty for a full file"


def test_the_export_holds_the_prospect_and_the_persons_own_audit_events(everything):
    data = person_export(everything.person)
    (prospect,) = data["outreach"]
    assert prospect["nickname"] == NICKNAME and prospect["need"] == PROSPECT_NEED
    assert prospect["outreach_team"] == str(everything.person.organisation)
    assert [m["note"] for m in prospect["moments"]] == [
        PROSPECT_NOTE,
        "Tweede keer aan de schoolpoort: " + PROSPECT_NOTE,
    ]
    assert {m["place"] for m in prospect["moments"]} == {"Schoolpoort De Vlieger (Gent)"}
    events = data["audit_events"]
    assert {e["event"] for e in events} >= {"person.created", "referral.sent_without_consent"}
    assert set(events[0]) == {"at", "organisation", "event"}
    # Only the person's own events: nothing about the bystander.
    bystander_events = AuditEvent.objects.filter(person=everything.bystander).count()
    assert len(events) == AuditEvent.objects.filter(person=everything.person).count()
    assert bystander_events and "Nowak" not in json.dumps(events, default=str)
    # The PDF has both chapters.
    outline = dict(export_outline(data))
    titles = set(outline)
    assert {"Outreach", "What was done in the file"} <= titles or {
        "Outreach",
        "Wat er in het dossier gebeurde",
    } <= titles
    text = json.dumps([vars(b) for blocks in outline.values() for b in blocks], default=str)
    assert NICKNAME in text and PROSPECT_NOTE in text


# --- audit events keep that a reason was given, not the reason --------------------------------


def test_no_audit_event_holds_a_free_text_reason(everything, dpo):
    erasure.person_erase(acting_user=dpo, person=everything.person, reason=ERASURE_REASON)
    texts = [json.dumps(e.data, ensure_ascii=False) for e in AuditEvent.objects.all()]
    for reason in (OVERRIDE, ERASURE_REASON, ASSIGN_REASON, REQUEST_NOTE, REQUEST_REASON):
        assert not [t for t in texts if reason in t], reason
    sent = AuditEvent.objects.get(event_type="referral.sent_without_consent")
    assert sent.data["reason_given"] is True and "override_reason" not in sent.data
    erased = AuditEvent.objects.get(event_type="person.erased", person=everything.person)
    assert erased.data["reason_given"] is True and "reason" not in erased.data
