"""The services directory: the writes (who may maintain which entries, audit events), the
search (life domain, municipality, keyword), the pages (login, tenancy, query counts, no access
log) and the demo region's directory."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from tandem.accounts.models import Organisation, OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.demo import data as demo_data
from tandem.demo.directory import seed_directory
from tandem.network.directory import hsds
from tandem.network.directory.selectors import (
    directory_municipalities,
    directory_search,
    may_maintain,
)
from tandem.network.directory.services import (
    organisation_entry_update,
    service_create,
    service_location_add,
    service_location_remove,
    service_update,
)
from tandem.network.models import Location, Service, ServiceAtLocation, ServiceStatus
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def caw(db):
    return OrganisationFactory(
        name="CAW Oost-Vlaanderen", code="caw-ovl-dir", kind=OrganisationKind.CAW
    )


@pytest.fixture
def caw_worker(caw):
    return make_user(Role.WELFARE_PARTNER, organisation=caw, username="caw_worker")


@pytest.fixture
def housing(caw_worker, caw):
    service = service_create(
        acting_user=caw_worker,
        organisation=caw,
        name="Woonbegeleiding",
        life_domains=["housing"],
        description="Hulp bij huurachterstal",
    )
    service_location_add(
        acting_user=caw_worker,
        service=service,
        name="CAW-onthaal",
        address_1="Stationsstraat 10",
        postal_code="9000",
        city="Gent",
    )
    return service


@pytest.fixture
def debts(partner, ocmw):
    service = service_create(
        acting_user=partner,
        organisation=ocmw,
        name="Schuldbemiddeling",
        life_domains=["income"],
        eligibility_description="Inwoners met schulden",
    )
    service_location_add(
        acting_user=partner,
        service=service,
        address_1="Onderbergen 1",
        postal_code="9000",
        city="Gent",
    )
    service_location_add(
        acting_user=partner,
        service=service,
        address_1="Markt 2",
        postal_code="9300",
        city="Aalst",
    )
    return service


# --- Writes --------------------------------------------------------------------------------


def test_a_service_carries_its_life_domains_as_terms_and_leaves_an_audit_event(partner, ocmw):
    service = service_create(
        acting_user=partner,
        organisation=ocmw,
        name=" Leefloon ",
        life_domains=["income", "participation", "income"],
    )
    assert service.name == "Leefloon"
    assert service.life_domains == ["income", "participation"]
    terms = set(service.taxonomy_terms.values_list("pk", flat=True))
    assert terms == {hsds.life_domain_term_id("income"), hsds.life_domain_term_id("participation")}
    event = AuditEvent.objects.get(event_type="directory.service_created")
    assert (event.actor, event.organisation, event.data["service"]) == (
        partner,
        ocmw,
        str(service.id),
    )

    service_update(acting_user=partner, service=service, life_domains=["housing"], wait_time="")
    service.refresh_from_db()
    assert service.life_domains == ["housing"]
    assert set(service.taxonomy_terms.values_list("pk", flat=True)) == {
        hsds.life_domain_term_id("housing")
    }
    assert AuditEvent.objects.get(event_type="directory.service_updated").data["fields"] == [
        "life_domains"
    ]
    # Nothing changed: no write, no event.
    service_update(acting_user=partner, service=service, name="Leefloon", life_domains=["housing"])
    assert AuditEvent.objects.filter(event_type="directory.service_updated").count() == 1


def test_unknown_life_domains_and_bad_fields_are_refused(partner, ocmw):
    with pytest.raises(ValidationError) as excinfo:
        service_create(acting_user=partner, organisation=ocmw, name="X", life_domains=["luck"])
    assert "life_domains" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        service_create(acting_user=partner, organisation=ocmw, name="X", email="geen-mail")
    assert "email" in excinfo.value.message_dict
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        (Role.MEDIATOR, True, True),
        (Role.WELFARE_PARTNER, True, True),
        (Role.GROUP_COACH, True, True),
        (Role.OUTREACH_WORKER, True, True),
        (Role.ADMIN, False, True),
        (Role.WELFARE_PARTNER, False, False),
        (Role.PROGRAMME_MANAGER, True, False),
        (Role.EXPERIENCE_EXPERT, True, False),
        (Role.DATA_PROTECTION_OFFICER, True, False),
    ],
)
def test_only_the_organisations_own_staff_and_administrators_maintain_its_entries(
    ocmw, other_organisation, role, own, allowed
):
    user = make_user(role, organisation=ocmw if own else other_organisation)
    assert may_maintain(user, ocmw) is allowed
    if allowed:
        service = service_create(acting_user=user, organisation=ocmw, name="Onthaal")
        organisation_entry_update(acting_user=user, organisation=ocmw, description="Sociaal huis")
        assert service.organisation == ocmw
    else:
        with pytest.raises(PermissionDenied):
            service_create(acting_user=user, organisation=ocmw, name="Onthaal")
        with pytest.raises(PermissionDenied):
            organisation_entry_update(acting_user=user, organisation=ocmw, description="x")


def test_locations_new_existing_duplicate_and_another_organisations(debts, partner, ocmw, caw):
    assert debts.service_at_locations.count() == 2
    location = Location.objects.get(city="Aalst")
    assert (location.organisation, location.country, location.location_type) == (
        ocmw,
        "BE",
        "physical",
    )
    other = service_create(acting_user=partner, organisation=ocmw, name="Leefloon")
    link = service_location_add(acting_user=partner, service=other, location=location)
    assert link.location == location
    with pytest.raises(ValidationError, match="already offered there"), override("en"):
        service_location_add(acting_user=partner, service=other, location=location)
    caw_location = Location.objects.create(organisation=caw, city="Gent", address_1="x")
    with pytest.raises(ValidationError):
        service_location_add(acting_user=partner, service=other, location=caw_location)
    with pytest.raises(ValidationError) as excinfo:
        service_location_add(acting_user=partner, service=other, address_1="Markt 3")
    assert set(excinfo.value.message_dict) == {"postal_code", "city"}

    service_location_remove(acting_user=partner, service_at_location=link)
    assert not ServiceAtLocation.objects.filter(pk=link.pk).exists()
    assert Location.objects.filter(pk=location.pk).exists()
    assert AuditEvent.objects.filter(event_type="directory.service_location_removed").exists()


# --- Search --------------------------------------------------------------------------------


def test_search_by_life_domain_municipality_and_keyword(debts, housing, partner, ocmw):
    closed = service_create(
        acting_user=partner,
        organisation=ocmw,
        name="Oude schuldendienst",
        life_domains=["income"],
        status=ServiceStatus.DEFUNCT,
    )

    def names(**filters):
        return [s.name for s in directory_search(**filters)]

    assert names() == ["Schuldbemiddeling", "Woonbegeleiding"]
    assert closed.name not in names(life_domain="income")
    assert names(life_domain="income") == ["Schuldbemiddeling"]
    assert names(life_domain="housing", municipality="gent") == ["Woonbegeleiding"]
    assert names(municipality="Aalst") == ["Schuldbemiddeling"]
    assert names(life_domain="housing", municipality="Aalst") == []
    assert names(text="huurachterstal") == ["Woonbegeleiding"]
    assert names(text="caw woon") == ["Woonbegeleiding"]
    assert names(text="OCMW") == ["Schuldbemiddeling"]
    assert directory_municipalities() == ["Aalst", "Gent"]


# --- Pages ---------------------------------------------------------------------------------


def test_the_directory_needs_a_login(client, housing):
    for url in (
        reverse("network:directory_search"),
        reverse("network:directory_service_detail", kwargs={"service_id": housing.id}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_search_page_filters_and_costs_a_fixed_number_of_queries(
    client, mediator, debts, housing, django_assert_max_num_queries
):
    client.force_login(mediator)
    url = reverse("network:directory_search")
    # A few more services and locations must not cost more queries.
    for n in range(5):
        service = service_create(
            acting_user=None, organisation=debts.organisation, name=f"Dienst {n}"
        )
        service_location_add(
            acting_user=None, service=service, address_1="Markt", postal_code="9000", city="Gent"
        )
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 7

    with django_assert_max_num_queries(10):
        response = client.get(url, {"life_domain": "housing", "municipality": "Gent"})
    body = response.content.decode()
    assert [r["service"] for r in response.context["rows"]] == [housing]
    assert "Woonbegeleiding" in body and "Schuldbemiddeling" not in body
    assert 'value="housing" selected' in body

    response = client.get(url, {"municipality": "Nergensdorp"})
    assert response.status_code == 200
    assert response.context["page"] is None  # an unknown municipality is a form error
    assert not AccessLog.objects.exists()


def test_service_page_shows_the_service_and_its_locations(
    client, mediator, debts, django_assert_max_num_queries
):
    client.force_login(mediator)
    url = reverse("network:directory_service_detail", kwargs={"service_id": debts.id})
    with django_assert_max_num_queries(9):  # 3 of them save the new session
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Schuldbemiddeling" in body and "Onderbergen 1" in body and "9300 Aalst" in body
    assert "Inwoners met schulden" in body
    # A mediator of VDAB may not change the OCMW's service.
    assert reverse("network:directory_service_edit", kwargs={"service_id": debts.id}) not in body
    missing = reverse(
        "network:directory_service_detail",
        kwargs={"service_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert client.get(missing).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_organisations_staff_adds_and_changes_its_services(client, partner, ocmw, caw):
    client.force_login(partner)
    url = reverse("network:directory_service_create")
    page = client.get(url)
    assert page.status_code == 200
    assert "organisation" not in page.context["form"].fields  # always their own organisation
    response = client.post(
        url,
        {
            "name": "Budgetbegeleiding",
            "life_domains": ["income"],
            "status": "active",
            "url": "ocmw.example/budget",
        },
    )
    service = Service.objects.get(name="Budgetbegeleiding")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "network:directory_service_detail", kwargs={"service_id": service.id}
    )
    assert (service.organisation, service.life_domains, service.url) == (
        ocmw,
        ["income"],
        "https://ocmw.example/budget",
    )

    edit = reverse("network:directory_service_edit", kwargs={"service_id": service.id})
    assert client.get(edit).context["form"].initial["life_domains"] == ["income"]
    client.post(edit, {"name": "Budgetbegeleiding", "status": "inactive", "life_domains": []})
    service.refresh_from_db()
    assert (service.status, service.life_domains) == ("inactive", [])

    add = reverse("network:directory_location_add", kwargs={"service_id": service.id})
    response = client.post(add, {"address_1": "Markt 1", "postal_code": "9000"})
    assert response.status_code == 200
    assert response.context["form"].errors["city"]
    client.post(add, {"address_1": "Markt 1", "postal_code": "9000", "city": "Gent"})
    link = service.service_at_locations.get()
    remove = reverse(
        "network:directory_location_remove", kwargs={"service_id": service.id, "sal_id": link.id}
    )
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not service.service_at_locations.exists()

    # Another organisation's service is not theirs to change: 404, as if it did not exist.
    theirs = service_create(acting_user=None, organisation=caw, name="Woonbegeleiding")
    for name in ("directory_service_edit", "directory_location_add"):
        assert (
            client.get(reverse(f"network:{name}", kwargs={"service_id": theirs.id})).status_code
            == 404
        )


def test_roles_without_entries_cannot_add_and_administrators_choose_the_organisation(
    client, ocmw, other_organisation
):
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=ocmw)
    client.force_login(manager)
    assert client.get(reverse("network:directory_search")).status_code == 200
    assert client.get(reverse("network:directory_service_create")).status_code == 403

    admin = make_user(Role.ADMIN, organisation=other_organisation)
    client.force_login(admin)
    form = client.get(reverse("network:directory_service_create")).context["form"]
    assert ocmw in form.fields["organisation"].queryset
    client.post(
        reverse("network:directory_service_create"),
        {"organisation": ocmw.pk, "name": "Onthaal", "status": "active"},
    )
    assert Service.objects.get(name="Onthaal").organisation == ocmw


def test_the_organisation_page_and_its_description(client, partner, mediator, ocmw, debts):
    client.force_login(mediator)
    page = reverse("network:directory_organisation", kwargs={"hsds_id": ocmw.hsds_id})
    edit = reverse("network:directory_organisation_edit", kwargs={"hsds_id": ocmw.hsds_id})
    body = client.get(page).content.decode()
    assert "Schuldbemiddeling" in body and edit not in body
    assert client.get(edit).status_code == 404

    client.force_login(partner)
    response = client.post(
        edit, {"description": "Het Sociaal Huis van Gent", "email": "", "website": ""}
    )
    assert response.status_code == 302
    ocmw.refresh_from_db()
    assert ocmw.description == "Het Sociaal Huis van Gent"
    assert AuditEvent.objects.get(event_type="directory.organisation_updated").actor == partner


# --- The demo region -----------------------------------------------------------------------


def test_the_demo_directory_covers_the_sources_organisations_and_is_idempotent():
    orgs: dict[str, Organisation] = {}
    for spec in demo_data.organisations():
        orgs[spec.code] = OrganisationFactory(code=spec.code, name=spec.name, kind=spec.kind)
    assert seed_directory(orgs) == 32
    assert seed_directory(orgs) == 0
    assert Service.objects.count() == 32

    def names(**filters):
        return {s.name for s in directory_search(**filters)}

    assert names(life_domain="housing", municipality="Gent") == {
        "Woonbegeleiding",
        "Sociale verhuur",
    }
    assert names(municipality="Hasselt", life_domain="iadl") == {"Digipunt"}
    assert "Sociaal restaurant Klavertjevier" in names(text="klavertjevier")
    assert names(life_domain="justice") == {"Justitieassistentie"}
    # Each VDAB office offers its own service, so a welfare partner can refer a person to it
    # (the referral lands in the office's intake queue).
    assert names(life_domain="work_education", municipality="Gent") >= {
        "Begeleiding naar werk en opleiding"
    }
    assert Service.objects.filter(organisation__code__startswith="vdab-").count() == 5
    assert names(text="groepstraject") == {
        "Groepstraject werk-welzijn",
        "Samen naar Werk! – groepstraject",
    }
    assert len(names(text="Mobiel Arbeidsteam")) == 6
    assert Service.objects.filter(name="Budgetbegeleiding en schuldbemiddeling").count() == 5
    assert directory_municipalities() == ["Antwerpen", "Brugge", "Gent", "Hasselt", "Leuven"]
    assert Organisation.objects.get(code="in-z").description
    # The demo users' organisations maintain their own entries.
    welfare = make_user(Role.WELFARE_PARTNER, organisation=orgs["ocmw-gent"])
    assert may_maintain(welfare, orgs["ocmw-gent"])
    assert not may_maintain(welfare, orgs["ocmw-hasselt"])
