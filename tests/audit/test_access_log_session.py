"""N reads of person-level data → N access-log rows, each saying who, role, organisation,
person, what, purpose, when and from where (QUALITY.md, ASVS V16.3.2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AccessLog
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services as tservices
from tandem.trajectories.measurement.services import assessment_record
from tandem.trajectories.pop.services import pop_draft
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_scripted_session_writes_one_row_per_read(client, mediator):
    today = timezone.localdate()
    person = make_person(mediator)
    others = [make_person(mediator, last_name="Claes") for _ in range(3)]
    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden"],
        motivation="sufficient",
        outflow_within_two_years="yes",
    )
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        screening=screening,
        status="active",
        start_date=today - dt.timedelta(days=10),
    )
    assessment_record(
        acting_user=mediator,
        trajectory=trajectory,
        on=today,
        readings={"income": 2},
        agreed_with_client=True,
    )
    pop_draft(acting_user=mediator, trajectory=trajectory, job_target="Kok", perspective="nec")
    client.force_login(mediator)
    tid, pid = trajectory.public_id, person.public_id
    reads = [
        reverse("registry:person_detail", kwargs={"public_id": pid}),
        reverse("registry:person_edit", kwargs={"public_id": pid}),
        reverse("registry:household_edit", kwargs={"public_id": pid}),
        reverse("screening:screening_detail", kwargs={"public_id": screening.public_id}),
        reverse("trajectories:trajectory_detail", kwargs={"public_id": tid}),
        reverse("trajectories:measurement_readings", kwargs={"public_id": tid}),
        reverse("trajectories:pop_detail", kwargs={"public_id": tid}),
        reverse("trajectories:pop_pdf", kwargs={"public_id": tid, "version": 1}),
        reverse("trajectories:job_overview", kwargs={"public_id": tid}),
        reverse("privacy:person_export_json", kwargs={"public_id": pid}),
    ]
    before = AccessLog.objects.count()
    for url in reads:
        assert client.get(url).status_code == 200, url
    assert AccessLog.objects.count() - before == len(reads)
    # A search showing three persons is three reads.
    client.post(reverse("registry:person_search"), {"text": "claes"})
    assert AccessLog.objects.count() - before == len(reads) + len(others)
    rows = AccessLog.objects.filter(person=person).order_by("at", "pk")
    assert rows.count() == len(reads)
    for row in rows:
        assert (row.user, row.organisation, row.roles) == (
            mediator,
            mediator.organisation,
            "mediator",
        )
        assert row.what and row.purpose and row.ip_address == "127.0.0.1"
    # Reading the trajectory names the trajectory as the purpose.
    assert rows.filter(what="trajectory", purpose__contains=str(tid)).exists()
