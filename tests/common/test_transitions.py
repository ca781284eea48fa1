"""The shared mechanics of the three state machines (``tandem.common.transitions``): one
table check with each machine's own words, and one move that writes the status, the dated
row and the audit event."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tandem.common.transitions import StateMachine, TransitionNotAllowed
from tandem.groupwork.enrolment.services import ENROLMENT
from tandem.groupwork.models import EnrolmentStatus
from tandem.network.models import ReferralStatus
from tandem.network.referrals.services import REFERRAL
from tandem.trajectories import exceptions
from tandem.trajectories.models import Status
from tandem.trajectories.services import TRAJECTORY

MACHINES = [(TRAJECTORY, Status), (REFERRAL, ReferralStatus), (ENROLMENT, EnrolmentStatus)]


@pytest.mark.parametrize(("machine", "statuses"), MACHINES)
def test_each_machine_has_a_row_for_every_status_and_moves_only_between_its_own(
    machine: StateMachine, statuses
):
    assert set(machine.table) == set(statuses.values)
    for from_status, reachable in machine.table.items():
        assert reachable <= set(statuses.values)
        assert machine.reachable(from_status) == reachable
        for to_status in statuses.values:
            assert machine.allows(from_status, to_status) == (to_status in reachable)


def test_a_refused_move_says_so_in_the_machines_own_words():
    with translation.override("nl"):  # the words are the catalogue's, as before
        with pytest.raises(TransitionNotAllowed) as info:
            TRAJECTORY.check(Status.CLOSED, Status.ACTIVE)
        assert info.value.messages == ["Een traject kan niet van “Afgesloten” naar “Actief” gaan."]
    with translation.override("en"):
        with pytest.raises(TransitionNotAllowed) as info:
            TRAJECTORY.check(Status.CLOSED, Status.ACTIVE)
        assert info.value.code == "transition_not_allowed"
        assert info.value.messages == ["A trajectory cannot go from “Closed” to “Active”."]

        with pytest.raises(ValidationError) as info:
            ENROLMENT.check(EnrolmentStatus.COMPLETED, EnrolmentStatus.PLACED)
        assert info.value.code == "transition"
        assert info.value.messages == [
            "An enrolment that is completed cannot become placed in a group."
        ]

        with pytest.raises(TransitionNotAllowed) as info:
            REFERRAL.check(ReferralStatus.SENT, "nonsense")
        assert info.value.messages == ["A referral cannot go from “Sent” to “nonsense”."]


def test_the_old_import_path_of_the_exception_still_works():
    assert exceptions.TransitionNotAllowed is TransitionNotAllowed
