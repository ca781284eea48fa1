"""A welfare partner sees a person as the duo partner only with consent, and then only the
consented life domains; withdrawal takes effect at once (issue 5 with the consent model)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.access.scope import domains_visible_to
from tandem.accounts.models import OrganisationKind
from tandem.network.consent.services import consent_give, consent_withdraw
from tandem.registry.selectors import person_queryset_for
from tandem.screening.selectors import current_checklist
from tandem.screening.services import screening_conduct
from tandem.trajectories import services as tservices
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.plan.selectors import contacts_visible_to
from tandem.trajectories.selectors import person_timeline

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def duo(mediator, person, partner):
    screening = screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "slechte-woning", "psychische-klachten", "geen-kinderopvang"],
        motivation="sufficient",
        outflow_within_two_years="yes",
        conducted_on=TODAY - dt.timedelta(days=5),
    )
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        screening=screening,
        status="active",
        start_date=TODAY - dt.timedelta(days=3),
    )
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=trajectory, partner=partner
    )
    for domain, text in (
        ("housing", "Huurachterstand"),
        ("family", "Opvang gezocht"),
        ("mental_health", "Slaapt slecht"),
        ("", "Algemene afspraak"),
    ):
        plan_services.contact_record(
            acting_user=mediator,
            trajectory=trajectory,
            kind="office",
            on=TODAY,
            domain=domain,
            text=text,
        )
    for domain in ("housing", "family"):
        plan_services.goal_create(
            acting_user=mediator, trajectory=trajectory, domain=domain, description=f"Doel {domain}"
        )
    return trajectory, screening


def _consent(mediator, person, ocmw, domains, **kwargs):
    return consent_give(
        acting_user=mediator,
        person=person,
        domains=domains,
        purpose="Begeleiding in het werk-welzijnstraject",
        evidence="signed_form",
        recipient_organisation=ocmw,
        **kwargs,
    )


def test_without_consent_the_duo_partner_does_not_see_the_person(duo, partner, person, client):
    assert not person_queryset_for(partner).filter(pk=person.pk).exists()
    client.force_login(partner)
    url = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    assert client.get(url).status_code == 404


def test_with_consent_only_the_consented_domains(duo, partner, person, mediator, ocmw, client):
    trajectory, screening = duo
    _consent(mediator, person, ocmw, ["housing", "mental_health"])
    assert person_queryset_for(partner).filter(pk=person.pk).exists()
    assert domains_visible_to(partner, trajectory) == {"housing", "mental_health"}
    texts = {c.text for c in contacts_visible_to(partner, trajectory)}
    assert texts == {"Huurachterstand", "Slaapt slecht", "Algemene afspraak"}
    client.force_login(partner)
    page = client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    )
    body = page.content.decode()
    assert "Doel housing" in body and "Doel family" not in body
    assert "Opvang gezocht" not in body
    lights = {
        d["code"]: d["light"]
        for d in client.get(
            reverse("screening:screening_detail", kwargs={"public_id": screening.public_id})
        ).context["lights"]
    }
    assert lights["family"] == "hidden" and lights["income"] == "hidden"
    assert lights["housing"] == "orange"
    timeline = " ".join(e.text for e in person_timeline(partner, person.pk))
    assert "Opvang gezocht" not in timeline and "Huurachterstand" in timeline
    # Finances are not shared: no household, and the person's data is the registrar's.
    file_page = client.get(
        reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    )
    assert file_page.context["household_hidden"]
    assert (
        client.get(
            reverse("registry:person_edit", kwargs={"public_id": person.public_id})
        ).status_code
        == 403
    )


def test_withdrawal_takes_effect_at_once(duo, partner, person, mediator, ocmw):
    consent = _consent(mediator, person, ocmw, ["housing"])
    assert person_queryset_for(partner).filter(pk=person.pk).exists()
    consent_withdraw(acting_user=mediator, consent=consent)
    assert not person_queryset_for(partner).filter(pk=person.pk).exists()


def test_consent_for_a_kind_of_organisation(duo, partner, person, mediator):
    consent_give(
        acting_user=mediator,
        person=person,
        domains=["income"],
        purpose="Schulden",
        evidence="verbal_with_witness",
        witness="Collega An",
        recipient_kind=OrganisationKind.OCMW,
    )
    assert person_queryset_for(partner).filter(pk=person.pk).exists()
    assert domains_visible_to(partner, duo[0]) == {"income"}


def test_a_partner_of_the_registering_organisation_sees_everything(mediator, ocmw, partner):
    from tests.factories import make_person

    own = make_person(partner)
    assert own.organisation == ocmw
    assert person_queryset_for(partner).filter(pk=own.pk).exists()


def test_a_partner_reads_only_the_consents_addressed_to_them(duo, partner, person, mediator, ocmw):
    from tandem.network.consent.selectors import consents_visible_to
    from tests.factories import OrganisationFactory

    mine = _consent(mediator, person, ocmw, ["housing"])
    caw = OrganisationFactory(name="CAW", kind=OrganisationKind.CAW)
    _consent(mediator, person, caw, ["justice"])
    assert list(consents_visible_to(partner, person)) == [mine]
    assert consents_visible_to(mediator, person).count() == 2


def test_erasure_removes_the_consents(duo, person, mediator, ocmw):
    from tandem.accounts.models import Role
    from tandem.network.models import Consent
    from tandem.privacy.erasure import person_erase
    from tandem.trajectories.models import Status
    from tests.factories import make_user

    _consent(mediator, person, ocmw, ["housing"])
    tservices.trajectory_transition(
        acting_user=mediator, trajectory=duo[0], to_status=Status.CLOSED, closure_reason="other"
    )
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=mediator.organisation)
    report = person_erase(acting_user=dpo, person=person, reason="Op vraag van de persoon")
    assert not Consent.objects.filter(person=person).exists()
    assert report.counts["consents"] == 1
