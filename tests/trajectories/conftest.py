import pytest

from tandem.accounts.models import OrganisationKind, Role
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user


@pytest.fixture
def ocmw(db):
    return OrganisationFactory(name="OCMW Gent", code="ocmw-gent-t", kind=OrganisationKind.OCMW)


@pytest.fixture
def partner(ocmw):
    return make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="partner")


@pytest.fixture
def person(mediator):
    return make_person(mediator, first_name="Yasmina", last_name="Amrani")


@pytest.fixture
def trajectory(mediator, person):
    return trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld door het OCMW",
        status="active",
    )
