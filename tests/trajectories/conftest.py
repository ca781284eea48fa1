import pytest

from tandem.trajectories.services import trajectory_start


@pytest.fixture
def trajectory(mediator, person):
    return trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld door het OCMW",
        status="active",
    )
