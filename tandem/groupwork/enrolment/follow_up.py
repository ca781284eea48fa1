"""Writes that follow a participant in the group: attendance with the drop-out signal (and
the mediator seeing it), and what the coach writes for the mediator — observations and input
for the POP, which the mediator takes into the POP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.notifications import kinds
from tandem.notifications.services import notify
from tandem.trajectories.models import PopReport

from .. import selectors as catalogue
from ..models import (
    Attendance,
    AttendanceStatus,
    CoachNote,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    PopInput,
)
from . import rules, selectors
from .services import audit, not_future, require_coach, today

S = EnrolmentStatus


# --- attendance and the drop-out signal ------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, acting_user: User, session: GroupSession, statuses: Mapping[int, str]
) -> list[Enrolment]:
    """Record who was present, excused or absent (keyed by enrolment id); returns the
    enrolments that got a new drop-out signal."""
    programme = session.intake.module.programme
    if not catalogue.is_coach(acting_user, programme):
        raise PermissionDenied
    if session.on > today():
        raise ValidationError(_("Attendance is taken on or after the session's day."))
    participants = {e.pk: e for e in selectors.session_participants(session)}
    unknown = set(statuses) - set(participants)
    if unknown:
        raise ValidationError(_("Someone in the list is not in this group."), code="not_in_group")
    bad = [k for k, v in statuses.items() if v not in AttendanceStatus.values]
    if bad:
        raise ValidationError(_("Choose present, excused or absent for everyone."))
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    new, changed = [], []
    for enrolment_id, status in statuses.items():
        row = existing.get(enrolment_id)
        if row is None:
            new.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    recorded_by=acting_user,
                )
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, acting_user, timezone.now()
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_ATTENDANCE_RECORDED,
        data={"session": session.pk, "count": len(statuses)},
    )
    threshold = programme.dropout_threshold
    candidates = [
        participants[k]
        for k in statuses
        if participants[k].dropout_flagged_on is None and participants[k].status == S.PLACED
    ]
    history: dict[int, list[str]] = {e.pk: [] for e in candidates}
    for enrolment_id, status in Attendance.objects.filter(enrolment__in=candidates).values_list(
        "enrolment_id", "status"
    ):
        history[enrolment_id].append(status)
    flagged = []
    for enrolment in candidates:
        if rules.dropout_due(history[enrolment.pk], threshold):
            enrolment.dropout_flagged_on = session.on
            enrolment.save(update_fields=["dropout_flagged_on", "updated_at"])
            audit(
                acting_user,
                enrolment,
                Event.GROUPWORK_DROPOUT_SIGNAL,
                absences=rules.unexcused_absences(history[enrolment.pk]),
            )
            trajectory = enrolment.trajectory
            notify(
                recipients=[trajectory.lead_mediator, trajectory.welfare_partner],
                kind=kinds.DROPOUT_SIGNAL,
                url=reverse("groupwork:enrolment_detail", args=[enrolment.public_id]),
                person=trajectory.person,
                actor=acting_user,
                at=session.on,
            )
            flagged.append(enrolment)
    return flagged


@transaction.atomic
def dropout_acknowledge(
    *, acting_user: User, enrolment: Enrolment, on: dt.date | None = None
) -> Enrolment:
    """The mediator has seen the signal (and talks with the person about what next)."""
    if not (
        has_capability(acting_user, "groupwork.enrol")
        and can_write(acting_user, enrolment.trajectory)
    ):
        raise PermissionDenied
    if enrolment.dropout_flagged_on is None:
        raise ValidationError(_("There is no drop-out signal."))
    enrolment.dropout_acknowledged_on = on or today()
    enrolment.save(update_fields=["dropout_acknowledged_on", "updated_at"])
    audit(acting_user, enrolment, Event.GROUPWORK_DROPOUT_ACKNOWLEDGED)
    return enrolment


# --- the coach writes for the mediator -------------------------------------------------------


def _require_writing_coach(user: User, enrolment: Enrolment) -> None:
    require_coach(user, enrolment)
    if enrolment.status not in (S.PLACED, S.COMPLETED, S.WAITING):
        raise ValidationError(_("Only for participants of the group."), code="not_participant")


@transaction.atomic
def note_write(
    *, acting_user: User, enrolment: Enrolment, text: str, on: dt.date | None = None
) -> CoachNote:
    _require_writing_coach(acting_user, enrolment)
    if not text.strip():
        raise ValidationError({"text": _("Write the observation.")})
    day = on or today()
    not_future(day)
    note = CoachNote(enrolment=enrolment, author=acting_user, written_on=day, text=text.strip())
    note.full_clean()
    note.save()
    audit(acting_user, enrolment, Event.GROUPWORK_NOTE_WRITTEN)
    return note


@transaction.atomic
def pop_input_write(
    *,
    acting_user: User,
    enrolment: Enrolment,
    job_target: str = "",
    perspective: str = "",
    work_plan: str = "",
    welfare_plan: str = "",
    strengths: str = "",
    on: dt.date | None = None,
) -> PopInput:
    _require_writing_coach(acting_user, enrolment)
    fields = {
        "job_target": job_target.strip(),
        "perspective": perspective,
        "work_plan": work_plan.strip(),
        "welfare_plan": welfare_plan.strip(),
        "strengths": strengths.strip(),
    }
    if not any(fields.values()):
        raise ValidationError(_("Fill in at least one part of the POP input."))
    day = on or today()
    not_future(day)
    pop_input = PopInput(enrolment=enrolment, author=acting_user, written_on=day, **fields)
    pop_input.full_clean()
    pop_input.save()
    audit(acting_user, enrolment, Event.GROUPWORK_POP_INPUT_WRITTEN)
    return pop_input


@transaction.atomic
def pop_input_adopt(*, acting_user: User, pop_input: PopInput) -> PopReport:
    """The mediator takes the group's POP input into the POP: into the open draft (filling the
    parts the input gives), or into a new version when the latest is signed off."""
    from tandem.trajectories.pop.services import pop_draft, pop_update

    enrolment = pop_input.enrolment
    trajectory = enrolment.trajectory
    if not (has_capability(acting_user, "groupwork.enrol") and can_write(acting_user, trajectory)):
        raise PermissionDenied
    if pop_input.adopted_into_id is not None:
        raise ValidationError(_("This input is already in the POP."), code="adopted")
    given = {
        "job_target": pop_input.job_target or None,
        "perspective": pop_input.perspective or None,
        "work_plan": pop_input.work_plan or None,
        "welfare_plan": pop_input.welfare_plan or None,
    }
    latest = trajectory.pops.order_by("-version").first()
    if latest is not None and latest.signed_off_on is None:
        pop = pop_update(
            acting_user=acting_user,
            pop=latest,
            **{field: value or getattr(latest, field) for field, value in given.items()},
        )
    else:
        if latest is None and given["perspective"] is None:
            raise ValidationError(
                _("The first POP needs a participation perspective: add it in the POP itself."),
                code="perspective",
            )
        pop = pop_draft(acting_user=acting_user, trajectory=trajectory, **given)
    pop_input.adopted_into = pop
    pop_input.save(update_fields=["adopted_into", "updated_at"])
    audit(acting_user, enrolment, Event.GROUPWORK_POP_INPUT_ADOPTED, pop_version=pop.version)
    return pop
