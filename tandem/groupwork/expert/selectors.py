"""Reads: the requests for an experience expert made from an enrolment, with their answer. The
enrolment is reached through its scope first (``enrolment.selectors.enrolment_get_for``)."""

from __future__ import annotations

from tandem.trajectories.models import ExpertSupportRequest

from ..models import Enrolment


def expert_requests_of_enrolment(enrolment: Enrolment) -> list[ExpertSupportRequest]:
    """The enrolment's requests, the newest first, with who asked and who answered."""
    return list(
        ExpertSupportRequest.objects.filter(enrolment=enrolment)
        .select_related("requested_by", "expert")
        .order_by("-created_at", "-pk")
    )
