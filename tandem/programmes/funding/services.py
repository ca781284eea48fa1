"""The funding rule's check, for the services that write under a project, and the programme
manager's recorded exceptions (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import Funded, FundingException, Project
from . import selectors

if TYPE_CHECKING:
    from tandem.trajectories.models import Trajectory


def funding_require(
    *,
    project: Project,
    kind: str,
    day: dt.date,
    trajectory_id: int | None = None,
    participant_type: str | None = None,
    field: str = "project",
) -> None:
    """Refuse (a ``ValidationError`` on ``field``, with the reason) when ``project`` may not
    fund ``kind`` on ``day`` and no exception covers it: the services that start or fund a
    trajectory, place someone in group work or log an outreach contact call this before they
    write anything."""
    refusal = selectors.funding_refusal_for(
        project=project,
        kind=kind,
        day=day,
        trajectory_id=trajectory_id,
        participant_type=participant_type,
    )
    if refusal:
        raise ValidationError({field: ValidationError(refusal, code="not_funded")})


@transaction.atomic
def funding_exception_record(
    *,
    acting_user: User,
    project: Project,
    trajectory: Trajectory,
    kind: str,
    reason: str,
) -> FundingException:
    """A programme manager records a justified exception to the funding rule: ``project`` may
    fund ``trajectory`` (``kind`` its type) or its group work (``kind`` group work). Audited
    on the person's trail; the reason stays with the exception (the event says one was given).
    """
    if not has_capability(acting_user, "programme.oversee"):
        raise PermissionDenied
    if kind not in (trajectory.type, Funded.GROUP_WORK):
        raise ValidationError(
            {"kind": _("An exception covers the trajectory's own type or its group work.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the exception is justified.")})
    exception = FundingException(
        project=project,
        trajectory=trajectory,
        kind=kind,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    exception.full_clean()
    exception.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.FUNDING_EXCEPTION_RECORDED,
        data={
            "exception": exception.pk,
            "trajectory": str(trajectory.public_id),
            "project": project.code,
            "kind": kind,
            "reason_given": True,
        },
    )
    return exception
