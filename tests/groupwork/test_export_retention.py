"""Group work in the subject-access export, and its erasure with the rest of the file (retention
and erasure on request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from tandem.accounts.models import OrganisationKind, Role
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import follow_up
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import (
    Attendance,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    NetworkMap,
    NetworkTie,
    PopInput,
    SelfAssessment,
)
from tandem.groupwork.networkmap.services import network_map_save
from tandem.groupwork.selfassessment.rules import ITEMS
from tandem.groupwork.selfassessment.services import self_assessment_save
from tandem.privacy import erasure, retention
from tandem.privacy.export import export_outline, person_export
from tandem.programmes.services import project_upsert
from tandem.trajectories import services as ts
from tests.factories import OrganisationFactory, make_person, make_user
from tests.privacy.conftest import TODAY, File, build_file

pytestmark = pytest.mark.django_db

IN_6_YEARS = dt.date(TODAY.year + 6, TODAY.month, min(TODAY.day, 28))
GROUP_MODELS: dict[str, type[Model]] = {
    "group_network_ties": NetworkTie,
    "group_network_maps": NetworkMap,
    "group_self_assessments": SelfAssessment,
    "group_pop_inputs": PopInput,
    "group_observations": CoachNote,
    "group_attendance": Attendance,
    "group_enrolment_changes": EnrolmentChange,
    "group_enrolments": Enrolment,
}
NOTE = "Neemt actief deel aan de groepsgesprekken"


@dataclass
class GroupFile:
    file: File
    enrolment: Enrolment
    other: Enrolment
    objects: dict[str, Any]


def _counts() -> dict[str, int]:
    return {key: model._default_manager.count() for key, model in GROUP_MODELS.items()}


@pytest.fixture
def group_file(mediator) -> GroupFile:
    """A complete file with a completed module: attendance, an observation, POP input taken
    into the POP, network maps and self-assessments at the start and the end; then the
    trajectory is closed. A second person in the same group keeps an open trajectory."""
    file = build_file(mediator, close=False, first_name="Yasmina", last_name="Amrani")
    partner = OrganisationFactory(
        name="Groep Intro Gent", code="groep-intro-gw", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username="gw_coach")
    project = project_upsert(
        acting_user=None,
        code="esf478-gw",
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
        session_count=4,
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
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator,
        trajectory=file.trajectory,
        module=module,
        note="Kan enkel tijdens de schooluren",
        on=TODAY - dt.timedelta(days=30),
    )
    enrolment = enrolment_services.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=True, on=TODAY - dt.timedelta(days=28)
    )
    other_person = make_person(mediator, first_name="Piotr", last_name="Nowak")
    other_trajectory = ts.trajectory_start(
        acting_user=mediator,
        person=other_person,
        type="w2",
        reason="Groepswerk",
        status="active",
        start_date=TODAY - dt.timedelta(days=60),
    )
    other = enrolment_services.enrolment_request(
        acting_user=mediator,
        trajectory=other_trajectory,
        module=module,
        on=TODAY - dt.timedelta(days=29),
    )
    other = enrolment_services.enrolment_decide(
        acting_user=coach, enrolment=other, accept=True, on=TODAY - dt.timedelta(days=28)
    )
    for session, status in zip(
        intake.sessions.order_by("number"), ["present", "excused", "absent", "present"], strict=True
    ):
        follow_up.attendance_record(
            acting_user=coach,
            session=session,
            statuses={enrolment.pk: status, other.pk: "present"},
        )
    map_start = network_map_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="start",
        ties=[
            {"label": "Zus", "kind": "person", "relation": "family", "strength": 3},
            {
                "label": "Ex-partner",
                "kind": "person",
                "relation": "family",
                "strength": 1,
                "strained": True,
            },
        ],
        drawn_on=TODAY - dt.timedelta(days=21),
    )
    self_assessment_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="start",
        levels=dict.fromkeys(ITEMS, 2),
        with_participant=True,
        assessed_on=TODAY - dt.timedelta(days=21),
    )
    note = follow_up.note_write(
        acting_user=coach, enrolment=enrolment, text=NOTE, on=TODAY - dt.timedelta(days=14)
    )
    enrolment = enrolment_services.enrolment_complete(
        acting_user=coach, enrolment=enrolment, on=TODAY
    )
    map_end = network_map_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="end",
        ties=[
            {"label": "Zus", "kind": "person", "relation": "family", "strength": 3},
            {
                "label": "Buurtcentrum",
                "kind": "organisation",
                "relation": "work_school",
                "strength": 2,
            },
        ],
    )
    self_assessment_save(
        acting_user=coach,
        enrolment=enrolment,
        moment="end",
        levels={**dict.fromkeys(ITEMS, 3), "grip": 4},
        with_participant=True,
    )
    pop_input = follow_up.pop_input_write(
        acting_user=coach,
        enrolment=enrolment,
        job_target="Magazijnier",
        perspective="nec",
        strengths="Doorzetter",
    )
    follow_up.pop_input_adopt(acting_user=mediator, pop_input=pop_input)
    ts.trajectory_transition(
        acting_user=mediator,
        trajectory=file.trajectory,
        to_status="closed",
        on=TODAY,
        closure_reason="work_regular",
        reason="Duurzaam aan het werk",
    )
    return GroupFile(
        file=file,
        enrolment=enrolment,
        other=other,
        objects={
            "coach": coach,
            "note": note,
            "pop_input": pop_input,
            "map_start": map_start,
            "map_end": map_end,
        },
    )


def test_the_export_holds_the_group_work(group_file):
    data = person_export(group_file.file.person)
    assert "group_work" in data["export"]["sections"]
    (enrolment,) = data["group_work"]
    assert enrolment["public_id"] == group_file.enrolment.public_id
    assert enrolment["trajectory"] == group_file.file.trajectory.public_id
    assert enrolment["programme"] == "Groepswerk Gent"
    assert enrolment["module"] == "Mijn netwerk"
    assert enrolment["status"] == "completed"
    assert enrolment["request_note"] == "Kan enkel tijdens de schooluren"
    assert enrolment["group_starts_on"] == TODAY - dt.timedelta(days=21)
    assert enrolment["end_date"] == TODAY
    assert [(h["from_status"], h["to_status"]) for h in enrolment["history"]] == [
        ("", "requested"),
        ("requested", "placed"),
        ("placed", "completed"),
    ]
    assert [(a["session"], a["status"]) for a in enrolment["attendance"]] == [
        (1, "present"),
        (2, "excused"),
        (3, "absent"),
        (4, "present"),
    ]
    assert enrolment["attendance"][0]["on"] == TODAY - dt.timedelta(days=21)
    assert [o["text"] for o in enrolment["observations"]] == [NOTE]
    (pop_input,) = enrolment["pop_inputs"]
    assert pop_input["job_target"] == "Magazijnier" and pop_input["strengths"] == "Doorzetter"
    assert pop_input["adopted_into"] is not None
    maps = {m["moment"]: m for m in enrolment["network_maps"]}
    assert set(maps) == {"start", "end"}
    assert {t["label"]: t["strained"] for t in maps["start"]["ties"]} == {
        "Zus": False,
        "Ex-partner": True,
    }
    assessments = {a["moment"]: a for a in enrolment["self_assessments"]}
    assert set(assessments) == {"start", "end"}
    assert assessments["start"]["assessed_on"] == TODAY - dt.timedelta(days=21)
    assert assessments["start"]["assessed_by"] == str(group_file.objects["coach"])
    assert {k: assessments["end"][k] for k in ITEMS} == {**dict.fromkeys(ITEMS, 3), "grip": 4}
    # The other person in the group is not in this person's export.
    assert "Nowak" not in str(data["group_work"])

    # The PDF outline has the section, with the observation in it.
    outline = dict(export_outline(data))
    blocks = outline["Group work"] if "Group work" in outline else outline["Groepswerk"]
    assert NOTE in str(blocks)


def test_the_json_export_has_the_section(mediator_client, group_file):
    url = reverse(
        "privacy:person_export_json", kwargs={"public_id": group_file.file.person.public_id}
    )
    response = mediator_client.get(url)
    assert response.status_code == 200
    assert b'"group_work"' in response.content and NOTE.encode() in response.content


def test_retention_dry_run_counts_and_the_real_run_deletes(group_file):
    before = _counts()
    dry = retention.retention_apply(acting_user=None, today=IN_6_YEARS, dry_run=True)
    assert _counts() == before
    for key in GROUP_MODELS:
        assert dry.counts[key] > 0, key
    assert group_file.file.person.pk in dry.persons

    real = retention.retention_apply(acting_user=None, today=IN_6_YEARS)
    assert real.counts == dry.counts
    after = _counts()
    for key in GROUP_MODELS:
        assert before[key] - after[key] == real.counts[key], key
    assert not Enrolment.objects.filter(pk=group_file.enrolment.pk).exists()
    # The other person's trajectory is open: their group work stays.
    other = Enrolment.objects.get(pk=group_file.other.pk)
    assert other.attendance.count() == 4
    # The trajectory itself is kept for statistics.
    assert (
        type(group_file.file.trajectory).objects.filter(pk=group_file.file.trajectory.pk).exists()
    )


def test_erasure_on_request_removes_the_group_work(group_file, organisation):
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=organisation, username="gw_dpo")
    person = group_file.file.person
    preview = erasure.erasure_preview(person)
    assert preview.counts["group_enrolments"] == 1
    assert preview.counts["group_attendance"] == 4
    assert preview.counts["group_network_maps"] == 2
    assert preview.counts["group_network_ties"] == 4
    assert preview.counts["group_self_assessments"] == 2
    assert Enrolment.objects.filter(pk=group_file.enrolment.pk).exists()  # nothing written

    report = erasure.person_erase(acting_user=dpo, person=person, reason="Verzoek van 2/11")
    assert report.counts == preview.counts
    assert not Enrolment.objects.filter(trajectory__person=person).exists()
    for key, model in GROUP_MODELS.items():
        assert model._default_manager.count() == (
            {"group_enrolments": 1, "group_attendance": 4, "group_enrolment_changes": 2}.get(key, 0)
        ), key
    person.refresh_from_db()
    assert person_export(person)["group_work"] == []
    labels = dict((key, label) for key, label, _n in report.lines())
    assert labels["group_enrolments"]


def test_the_pdf_export_shows_the_group_work(mediator_client, group_file, monkeypatch):
    from tandem.common import pdf as pdf_module

    rendered: list[str] = []
    real = pdf_module.html_to_pdf

    def spy(html: str, **kwargs: object) -> bytes:
        rendered.append(html)
        return real(html, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "html_to_pdf", spy)
    url = reverse(
        "privacy:person_export_pdf", kwargs={"public_id": group_file.file.person.public_id}
    )
    response = mediator_client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = rendered[0]
    for text in (
        "Groepswerk",
        "Mijn netwerk",
        NOTE,
        "Ex-partner",
        "aanwezigheid",
        "beslist door",
        "zelfbeoordelingen",
        "Ik heb greep op mijn leven.",
    ):
        assert text in html, text
