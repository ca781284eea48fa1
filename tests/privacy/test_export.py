"""The subject-access export: JSON and PDF, complete, logged, and only for the right people."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common import pdf as pdf_module
from tandem.common import privacy_hooks as hooks
from tandem.privacy import export
from tandem.trajectories import services as ts
from tandem.trajectories.plan import services as plan_services
from tests.factories import make_person, make_user

from .conftest import ORDINARY_NOTE, SPECIAL_NOTE, TODAY, build_file

pytestmark = pytest.mark.django_db

SECTIONS = {
    "person",
    "household",
    "income",
    "screenings",
    "trajectories",
    "plan",
    "contacts",
    "readings",
    "pops",
    "job_coaching",
    "expert_support",
    "funding_exceptions",
    "assignments",
    "intakes",
    "consents",
    "referrals",
    "group_work",
    "status_events",
    "imported_trajectories",
    "access_history",
    "audit_events",
    "outreach",
    "notifications",
    "subject_requests",
}


def _url(name: str, person) -> str:
    return reverse(f"privacy:{name}", kwargs={"public_id": person.public_id})


def test_json_export_holds_everything_about_the_person(mediator_client, mediator, full_file):
    person = full_file.person
    mediator_client.get(reverse("registry:person_detail", kwargs={"public_id": person.public_id}))
    response = mediator_client.get(_url("person_export_json", person))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Amrani" not in disposition and (person.insz or "x") not in disposition
    assert "tandem-subject-access-" in disposition and disposition.endswith('.json"')

    data = json.loads(response.content)
    assert set(data) >= SECTIONS and set(data["export"]["sections"]) == SECTIONS
    # Consents and referrals are the network app's sections.
    assert data["export"]["not_recorded_yet"] == []
    assert data["referrals"] == []
    (consent,) = data["consents"]
    assert consent["recipient_organisation"] == "OCMW Gent"
    assert consent["domains"] == ["housing", "income"] and consent["in_force"] is True
    assert data["person"]["last_name"] == "Amrani"
    assert data["person"]["insz"] == person.insz
    assert {m["first_name"] for m in data["household"]["members"]} == {"Yasmina", "Noor"}
    assert {i["kind"] for i in data["income"]} == {"leefloon", "child_benefit"}
    assert data["household"]["deprivation"][0]["item"] == "holiday"
    screening = data["screenings"][0]
    assert len(screening["answers"]) > 10
    assert any(a["present"] for a in screening["answers"])
    trajectory = data["trajectories"][0]
    assert trajectory["type"] == "w2" and trajectory["closure_reason"] == "work_regular"
    assert [c["to_status"] for c in trajectory["status_history"]] == [
        "active",
        "employed",
        "closed",
    ]
    assert data["plan"][0]["actions"][0]["description"] == "Budgetplan opmaken"
    # All contacts, the special-category note too: it is the person's own data.
    texts = {c["text"]: c["domain"] for c in data["contacts"] if c["status"] == "held"}
    assert texts == {SPECIAL_NOTE: "addiction", ORDINARY_NOTE: "work_education"}
    # The next contact planned with the ordinary note, cancelled when the trajectory closed,
    # with its time and its history (issue 18, agenda).
    (planned,) = [c for c in data["contacts"] if c["status"] != "held"]
    assert (planned["status"], planned["at"], planned["kind"]) == (
        "cancelled",
        "10:00:00",
        "home_visit",
    )
    assert [h["to_status"] for h in planned["status_history"]] == ["cancelled"]
    assert {r["domain"]: r["level"] for r in data["readings"][0]["readings"]} == {
        "income": 2,
        "housing": 3,
    }
    assert data["pops"][0]["job_target"] == "Magazijnier"
    job = data["job_coaching"][0]
    assert job["coaching"]["contacts"][0]["text"] == "Goed gestart op de werkvloer"
    assert [r["month"] for r in job["retention_checks"]] == [1, 3, 6]
    assert data["expert_support"][0]["question"] == "Steun bij de administratie"
    assert {a["organisation"] for a in data["assignments"]} == {"OCMW Gent"}

    # The access history: every read, this export included; organisation and role, no
    # employee names and no IP addresses.
    history = data["access_history"]
    assert [h["what"] for h in history][-2:] == ["persoonsdossier", "inzage-export (JSON)"]
    assert set(history[0]) == {"at", "organisation", "roles", "what", "purpose"}
    assert mediator.get_full_name() not in json.dumps(history)

    assert AccessLog.objects.filter(
        person=person, what="subject access export (JSON)", purpose="subject access request"
    ).exists()
    event = AuditEvent.objects.get(event_type="person.exported", person=person)
    assert event.data == {"format": "json", "as": "mediator"}


def test_pdf_export_is_a_readable_pdf(dpo_client, dpo, full_file, monkeypatch):
    rendered: list[str] = []
    real = pdf_module.html_to_pdf

    def spy(html: str, **kwargs: object) -> bytes:
        rendered.append(html)
        return real(html, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "html_to_pdf", spy)
    response = dpo_client.get(_url("person_export_pdf", full_file.person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Amrani" not in response["Content-Disposition"]
    html = rendered[0]
    for text in (SPECIAL_NOTE, ORDINARY_NOTE, "Magazijnier", "Amrani", "OCMW Gent"):
        assert text in html, text
    assert '<html lang="nl">' in html
    row = AccessLog.objects.get(person=full_file.person, what="subject access export (PDF)")
    assert row.user == dpo and row.purpose == "subject access request"
    event = AuditEvent.objects.get(event_type="person.exported", person=full_file.person)
    assert event.data == {"format": "pdf", "as": "dpo"}


def test_a_mediator_outside_the_duo_cannot_export_special_category_content(
    client, organisation, mediator, full_file
):
    colleague = make_user(Role.MEDIATOR, organisation=organisation, username="colleague")
    client.force_login(colleague)
    assert client.get(_url("person_access", full_file.person)).status_code == 200
    for name in ("person_export_json", "person_export_pdf"):
        assert client.get(_url(name, full_file.person)).status_code == 403
    assert not AuditEvent.objects.filter(event_type="person.exported").exists()
    # Without special-category content, a colleague of the office may export.
    plain = make_person(mediator, first_name="Gewoon")
    trajectory = ts.trajectory_start(
        acting_user=mediator, person=plain, type="regular", reason="Aanmelding", status="active"
    )
    plan_services.contact_record(
        acting_user=mediator, trajectory=trajectory, kind="phone", on=trajectory.start_date
    )
    assert client.get(_url("person_export_json", plain)).status_code == 200


def test_another_organisation_gets_404(client, other_mediator, other_dpo, full_file):
    for user in (other_mediator, other_dpo):
        client.force_login(user)
        for name in ("person_export_json", "person_export_pdf"):
            response = client.get(_url(name, full_file.person))
            assert response.status_code == 404
            assert b"Amrani" not in response.content
    assert not AccessLog.objects.filter(user__in=[other_mediator, other_dpo]).exists()


def test_the_export_costs_a_constant_number_of_queries(mediator, partner, mediator_client):
    small = build_file(mediator, partner, first_name="Klein")
    big = build_file(mediator, partner, close=False, first_name="Groot")
    for i in range(10):
        goal = plan_services.goal_create(
            acting_user=mediator, trajectory=big.trajectory, domain="housing", description=f"{i}"
        )
        plan_services.action_create(
            acting_user=mediator, goal=goal, description=f"Actie {i}", owner="client"
        )
        plan_services.contact_record(
            acting_user=mediator, trajectory=big.trajectory, kind="phone", on=TODAY, text=f"{i}"
        )
    counts = []
    for person in (small.person, big.person):
        mediator_client.get(_url("person_export_json", person))
        with CaptureQueriesContext(connection) as queries:
            assert mediator_client.get(_url("person_export_json", person)).status_code == 200
        counts.append(len(queries))
    # One query per section at most (outcomes added two: status events, imported trajectories;
    # the audit trail one, outreach one, or three with a prospect: its moments and places;
    # funding exceptions one; notifications one; the intake queue one; the contacts' status
    # history one; the register of data-subject requests one).
    assert counts[0] == counts[1] and counts[0] <= 49, counts


def test_a_later_app_registers_its_own_section(full_file):
    sections = dict(hooks._SECTIONS)
    try:
        hooks.register_export_section("outcomes", "Outcomes")(
            lambda person: [{"status": "employed"}]
        )
        data = export.person_export(full_file.person)
        assert data["outcomes"] == [{"status": "employed"}]
        assert list(data)[-1] == "outcomes"  # a new section comes after the others
        # A section that is already there (here the network app's referrals) is not replaced
        # by accident; nor is a core section.
        with pytest.raises(ImproperlyConfigured):
            hooks.register_export_section("referrals", "Referrals")(lambda person: [])
        with pytest.raises(ImproperlyConfigured):
            hooks.register_export_section("person", "Person")(lambda person: {})
    finally:
        hooks._SECTIONS.clear()
        hooks._SECTIONS.update(sections)
