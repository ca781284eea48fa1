import pytest

from tandem.accounts.models import OrganisationKind, Role

from .factories import OrganisationFactory, make_person, make_user


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="VDAB Gent", code="vdab-gent-test")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(
        name="VDAB Hasselt", code="vdab-hasselt-test", municipality="Hasselt"
    )


@pytest.fixture
def mediator(organisation):
    return make_user(Role.MEDIATOR, organisation=organisation, username="mediator")


@pytest.fixture
def other_mediator(other_organisation):
    return make_user(Role.MEDIATOR, organisation=other_organisation, username="other_mediator")


@pytest.fixture
def mediator_client(client, mediator):
    client.force_login(mediator)
    return client


@pytest.fixture
def ocmw(db):
    return OrganisationFactory(name="OCMW Gent", code="ocmw-gent-t", kind=OrganisationKind.OCMW)


@pytest.fixture
def partner(ocmw):
    return make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="partner")


@pytest.fixture
def person(mediator):
    return make_person(mediator, first_name="Yasmina", last_name="Amrani")
