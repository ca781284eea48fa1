"""An outreach team with a find place, a VDAB office with a mediator, built through services."""

from __future__ import annotations

import pytest

from tandem.accounts.models import OrganisationKind, Role
from tandem.outreach import services
from tests.factories import OrganisationFactory, make_user


@pytest.fixture
def jes(db):
    return OrganisationFactory(
        name="vzw Jes",
        code="jes-t",
        kind=OrganisationKind.OUTREACH_PARTNER,
        province="oost_vlaanderen",
        municipality="Gent",
    )


@pytest.fixture
def worker(jes):
    return make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach")


@pytest.fixture
def office(db):
    return OrganisationFactory(
        name="VDAB Gent", code="vdab-gent-t", kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
    )


@pytest.fixture
def mediator(office):
    return make_user(Role.MEDIATOR, organisation=office, username="mediator")


@pytest.fixture
def place(worker):
    return services.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort De Vlieger", municipality="Gent"
    )


PERSON = {
    "first_name": "Amina",
    "last_name": "Benali",
    "birth_date": "1990-03-04",
    "gender": "F",
    "insz": "",
    "municipality": "Gent",
    "province": "oost_vlaanderen",
    "registration": "non_active",
    "benefit": "none",
    "nationality_group": "non_eu",
}
