"""Writes: a group coach's request for an experience expert for a participant of their group."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.trajectories.models import ExpertSupportRequest, Trajectory

from ..models import Enrolment, EnrolmentStatus
from ..selectors import is_coach

# A participant of the group: placed in it (not one who waits, left or completed).
ASKABLE_STATUSES = frozenset({EnrolmentStatus.PLACED})


def can_ask_expert(user: User, enrolment: Enrolment) -> bool:
    """A coach of the enrolment's programme, for a participant placed in the group."""
    return (
        has_capability(user, "groupwork.request_expert")
        and enrolment.status in ASKABLE_STATUSES
        and is_coach(user, enrolment.module.programme)
    )


@transaction.atomic
def enrolment_expert_request(
    *, acting_user: User, enrolment: Enrolment, question: str
) -> ExpertSupportRequest:
    """Ask an experience expert of the trajectory's organisation to support the participant.

    Refuses, writing nothing: a user who is not a group coach of the enrolment's programme
    (PermissionDenied); a participant not placed in the group; a closed trajectory; an empty
    question.
    """
    if not has_capability(acting_user, "groupwork.request_expert") or not is_coach(
        acting_user, enrolment.module.programme
    ):
        raise PermissionDenied
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status not in ASKABLE_STATUSES:
        raise ValidationError(
            _("An experience expert is asked for a participant placed in the group."),
            code="not_participant",
        )
    trajectory = Trajectory.objects.get(pk=current.trajectory_id)
    if not trajectory.is_open:
        raise ValidationError(_("The trajectory is closed."), code="closed")
    if not question.strip():
        raise ValidationError({"question": _("Say what support you ask for.")})
    request = ExpertSupportRequest(
        trajectory=trajectory,
        enrolment=current,
        requested_by=acting_user,
        question=question.strip(),
    )
    request.full_clean()
    request.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.EXPERT_REQUESTED,
        data={
            "trajectory": str(trajectory.public_id),
            "request": request.pk,
            "enrolment": str(current.public_id),
        },
    )
    return request
