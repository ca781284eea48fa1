from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.outreach import services
from tandem.outreach.models import Prospect
from tandem.registry.intake.models import Intake
from tandem.registry.intake.selectors import queue_for
from tandem.registry.models import Person
from tests.factories import OrganisationFactory, make_user

from .conftest import PERSON

TODAY = timezone.localdate()


def test_contact_form_logs_a_first_and_a_repeat_contact(client, worker, place):
    client.force_login(worker)
    page = client.get("/outreach/")
    assert page.status_code == 200
    assert "Schoolpoort De Vlieger" in page.content.decode()
    response = client.post(
        "/outreach/",
        {
            "place": place.pk,
            "on": TODAY.isoformat(),
            "nickname": "Mama Yasmine",
            "approximate_age": "34",
            "languages": ["ar", "nl"],
            "need": "werk",
        },
    )
    assert response.status_code == 302
    prospect = Prospect.objects.get()
    # The repeat contact: the person met before is offered in the form.
    page = client.get("/outreach/")
    assert str(prospect.public_id) in page.content.decode()
    client.post(
        "/outreach/",
        {"place": place.pk, "on": TODAY.isoformat(), "prospect": str(prospect.public_id)},
    )
    assert prospect.moments.count() == 2
    listing = client.get("/outreach/prospects/").content.decode()
    assert "Mama Yasmine" in listing


def test_contact_form_asks_for_a_nickname(client, worker, place):
    client.force_login(worker)
    response = client.post("/outreach/", {"place": place.pk, "on": TODAY.isoformat()})
    assert response.status_code == 200
    assert not Prospect.objects.exists()


def test_convert_page_registers_with_consent(client, worker, place, office):
    prospect = services.contact_log(acting_user=worker, place=place, nickname="Y").prospect
    client.force_login(worker)
    url = f"/outreach/prospects/{prospect.public_id}/register/"
    assert client.get(url).status_code == 200
    data = dict(PERSON, office=office.pk, evidence="signed_form", urgency="normal")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert not Person.objects.exists()
    response = client.post(url, dict(data, consent="on"))
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert prospect.person is not None
    detail = client.get(f"/outreach/prospects/{prospect.public_id}/")
    assert "Amina Benali" in detail.content.decode()
    assert AccessLog.objects.filter(person=prospect.person, what="outreach prospect").count() == 1


def test_convert_puts_the_person_in_the_office_queue_with_note_and_urgency(
    client, worker, place, office, mediator
):
    """Issue 18: the worker tells the office what to know and how urgent it is; the intake
    item in the office's queue carries both."""
    prospect = services.contact_log(acting_user=worker, place=place, nickname="Y").prospect
    client.force_login(worker)
    url = f"/outreach/prospects/{prospect.public_id}/register/"
    data = dict(
        PERSON,
        office=office.pk,
        evidence="signed_form",
        consent="on",
        urgency="urgent",
        intake_note="Zoekt dringend werk voor de start van het schooljaar.",
    )
    assert client.post(url, data).status_code == 302
    prospect.refresh_from_db()
    (item,) = queue_for(mediator)
    assert item.person == prospect.person
    assert item.office == office
    assert item.urgency == "urgent"
    assert item.note == "Zoekt dringend werk voor de start van het schooljaar."


def test_convert_without_urgency_is_refused_on_its_field(client, worker, place, office):
    prospect = services.contact_log(acting_user=worker, place=place, nickname="Y").prospect
    client.force_login(worker)
    url = f"/outreach/prospects/{prospect.public_id}/register/"
    data = dict(PERSON, office=office.pk, evidence="signed_form", consent="on")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "urgency" in response.context["form"].errors
    assert not Person.objects.exists()
    assert not Intake.objects.exists()


def test_another_team_gets_404_and_an_empty_list(client, worker, place):
    prospect = services.contact_log(acting_user=worker, place=place, nickname="Verstopt").prospect
    other = make_user(Role.OUTREACH_WORKER, organisation=OrganisationFactory())
    client.force_login(other)
    for path in ("", "register/"):
        assert client.get(f"/outreach/prospects/{prospect.public_id}/{path}").status_code == 404
    assert "Verstopt" not in client.get("/outreach/prospects/").content.decode()
    assert "Schoolpoort" not in client.get("/outreach/").content.decode()
    assert "Schoolpoort" not in client.get("/outreach/funnel/").content.decode()


def test_mediator_cannot_use_outreach_pages(client, mediator):
    client.force_login(mediator)
    assert client.get("/outreach/").status_code == 403
    assert client.get("/outreach/funnel/").status_code == 403


def test_place_create(client, worker):
    client.force_login(worker)
    response = client.post(
        "/outreach/places/new/",
        {"kind": "digipunt", "name": "Digipunt Hasselt", "municipality": "Hasselt"},
    )
    assert response.status_code == 302
    assert "Digipunt Hasselt" in client.get("/outreach/places/").content.decode()


def test_funnel_for_a_programme_manager_hides_small_counts(client, worker, place):
    for n in range(6):
        moment = services.contact_log(
            acting_user=worker, place=place, nickname=f"P{n}", on=TODAY - dt.timedelta(days=3)
        )
        if n < 2:
            services.contact_log(acting_user=worker, place=place, prospect=moment.prospect)
    manager = make_user(Role.PROGRAMME_MANAGER)
    client.force_login(manager)
    body = client.get("/outreach/funnel/").content.decode()
    assert "vzw Jes" in body
    assert '<td class="num">6</td>' in body
    assert '<td class="num">x</td>' in body  # 2 engaged
    client.force_login(worker)
    body = client.get("/outreach/funnel/").content.decode()
    assert '<td class="num">2</td>' in body


def test_a_colleague_sees_registered_but_not_the_name(client, worker, place, office):
    prospect = services.contact_log(acting_user=worker, place=place, nickname="Z").prospect
    services.prospect_convert(
        acting_user=worker,
        prospect=prospect,
        person_data=dict(PERSON, birth_date=dt.date(1990, 3, 4)),
        office=office,
        consent=True,
        evidence="signed_form",
    )
    colleague = make_user(Role.OUTREACH_WORKER, organisation=worker.organisation)
    client.force_login(colleague)
    body = client.get(f"/outreach/prospects/{prospect.public_id}/").content.decode()
    assert "Benali" not in body
    assert not AccessLog.objects.filter(user=colleague).exists()


def test_the_funnel_shows_the_projects_target(client, worker, place, jes):
    from tandem.outreach.selectors import target_for
    from tandem.programmes.services import project_target_upsert, project_upsert

    project = project_upsert(
        acting_user=None,
        code="gent-mat-test",
        name="Mobiel Arbeidsteam Gent",
        promoter=jes,
        start_date=dt.date(2019, 10, 1),
        end_date=dt.date(2022, 12, 31),
        budget=4_700_000,
        description="Outreach en activering",
    )
    assert target_for(project) is None
    project_target_upsert(
        acting_user=None,
        project=project,
        kind="into_work_or_training",
        value=900,
        due_date=dt.date(2022, 12, 31),
        bound="more_than",
    )
    assert target_for(project) == 900
    assert target_for(None) is None
    place.project = project
    place.save()
    # Within the project's period: a contact after it ended is refused (issue 17).
    services.contact_log(acting_user=worker, place=place, nickname="Mira", on=dt.date(2022, 6, 1))
    client.force_login(worker)
    body = client.get("/outreach/funnel/?start=2022-01-01").content.decode()
    row = body[body.index("Mobiel Arbeidsteam Gent") :]
    row = row[: row.index("</tr>")]
    assert "<td>900</td>" in row and "Outreach en activering" not in row
