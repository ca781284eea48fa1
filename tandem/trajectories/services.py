"""Writes for trajectories: start, the state machine, duo and hand-over, and experience-expert
support. The plan and contacts, measurement, POP and job coaching have their own sub-packages
(``plan``, ``measurement``, ``pop``, ``jobcoaching``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain
from tandem.common.transitions import StateMachine, transition
from tandem.notifications import kinds
from tandem.notifications.services import notify
from tandem.programmes.funding.services import funding_require
from tandem.programmes.models import Project
from tandem.registry.models import Person
from tandem.registry.services import person_assign
from tandem.screening.models import Screening

from .models import (
    ALLOWED_TRANSITIONS,
    ClosureReason,
    DomainResponsibility,
    ExpertSupportLog,
    ExpertSupportRequest,
    ExpertSupportStatus,
    LeadHandover,
    Side,
    Status,
    StatusChange,
    Trajectory,
    TrajectoryType,
)
from .plan.services import contacts_cancel_planned

# The trajectory's state machine: its table lives with the model (models.ALLOWED_TRANSITIONS).
TRAJECTORY = StateMachine(
    table=ALLOWED_TRANSITIONS,
    statuses=Status,
    refusal=gettext_lazy("A trajectory cannot go from “%(from)s” to “%(to)s”."),
)

# Domains the welfare partner leads by default when there is one; the rest is the mediator's.
WELFARE_DOMAINS = frozenset(
    {
        LifeDomain.INCOME,
        LifeDomain.HOUSING,
        LifeDomain.FAMILY,
        LifeDomain.MENTAL_HEALTH,
        LifeDomain.PHYSICAL_HEALTH,
        LifeDomain.ADDICTION,
        LifeDomain.JUSTICE,
    }
)


def _require_write(user: User, trajectory: Trajectory) -> None:
    if not can_write(user, trajectory):
        raise PermissionDenied


@transaction.atomic
def trajectory_start(
    *,
    acting_user: User,
    person: Person,
    type: str,
    start_date: dt.date | None = None,
    screening: Screening | None = None,
    reason: str = "",
    project: Project | None = None,
    status: str = Status.REFERRED,
) -> Trajectory:
    """Start a trajectory from a screening's route, or directly with a written reason."""
    if not has_capability(acting_user, "trajectory.start"):
        raise PermissionDenied
    if type not in TrajectoryType.values:
        raise ValidationError({"type": _("Choose a trajectory type.")})
    if screening is not None and screening.person_id != person.pk:
        raise ValidationError(_("The screening belongs to another person."))
    if screening is None and not reason.strip():
        raise ValidationError(
            {"reason": _("Without a screening, write why this trajectory starts.")}
        )
    if status not in (Status.REFERRED, Status.INTAKE, Status.ACTIVE):
        raise ValidationError({"status": _("A trajectory starts as referred, intake or active.")})
    if Trajectory.objects.filter(person=person, type=type).exclude(status=Status.CLOSED).exists():
        raise ValidationError(
            {
                "type": ValidationError(
                    _("This person already has an open trajectory of this type."),
                    code="one_open_per_type",
                )
            }
        )
    day = start_date or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"start_date": _("The start date cannot be in the future.")})
    if project is not None:
        # The project's call must fund this type on the start day (issue 17); an exception
        # can only be recorded for a trajectory that exists: start without the project, then
        # set it once a programme manager recorded one.
        funding_require(project=project, kind=type, day=day)
    trajectory = Trajectory(
        organisation=acting_user.organisation,
        person=person,
        type=type,
        status=status,
        start_date=day,
        lead_mediator=acting_user,
        screening=screening,
        start_reason=reason.strip(),
        project=project,
    )
    trajectory.full_clean()
    trajectory.save()
    trajectory_start_record(
        trajectory=trajectory,
        by=acting_user,
        reason=reason.strip()
        or _("Started from the screening of %(date)s")
        % {"date": screening.conducted_on.strftime("%d/%m/%Y") if screening else ""},
    )
    return trajectory


def trajectory_start_record(*, trajectory: Trajectory, by: User, reason: str) -> None:
    """Write what follows a saved new trajectory: its first status change, the lead
    mediator's responsibility for every domain, the office's assignment to the person and the
    audit event. ``trajectory_start`` calls it after its checks; the demo loader calls it for
    trajectories it built itself, so both write the same rows."""
    person = trajectory.person
    StatusChange.objects.create(
        trajectory=trajectory,
        from_status="",
        to_status=trajectory.status,
        on=trajectory.start_date,
        by=by,
        reason=reason,
    )
    DomainResponsibility.objects.bulk_create(
        DomainResponsibility(trajectory=trajectory, domain=d, side=Side.MEDIATOR)
        for d in LifeDomain
    )
    if by.organisation_id not in (person.organisation_id, None):
        person_assign(
            acting_user=by,
            person=person,
            organisation=by.organisation,  # type: ignore[arg-type]
            reason=_("Lead mediator of a trajectory"),
        )
    audit_event_record(
        actor=by,
        person=person,
        event_type=Event.TRAJECTORY_STARTED,
        data={
            "trajectory": str(trajectory.public_id),
            "type": trajectory.type,
            "status": trajectory.status,
            "start_date": trajectory.start_date.isoformat(),
            "screening": str(trajectory.screening.public_id) if trajectory.screening else None,
        },
    )


@transaction.atomic
def trajectory_transition(
    *,
    acting_user: User,
    trajectory: Trajectory,
    to_status: str,
    on: dt.date | None = None,
    reason: str = "",
    closure_reason: str = "",
    qualification_gained: bool = False,
) -> Trajectory:
    """Move a trajectory through its state machine; the only place a status changes.

    On closing, ``qualification_gained`` records that the person left with a certificate,
    diploma or recognised qualification (ESF+ result EECR03)."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    _require_write(acting_user, trajectory)
    TRAJECTORY.check(trajectory.status, to_status)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    last = trajectory.status_changes.order_by("-on", "-at").first()
    if last is not None and day < last.on:
        raise ValidationError(
            {
                "on": _("The date lies before the previous status change (%(date)s).")
                % {"date": last.on.strftime("%d/%m/%Y")}
            }
        )
    if to_status == Status.PAUSED and not reason.strip():
        raise ValidationError({"reason": _("Write why the trajectory is paused.")})
    if to_status == Status.CLOSED:
        if closure_reason not in ClosureReason.values:
            raise ValidationError({"closure_reason": _("Choose why the trajectory closes.")})
        trajectory.end_date = day
        trajectory.closure_reason = closure_reason
        trajectory.closure_note = reason.strip()
        trajectory.qualification_gained = qualification_gained
    elif closure_reason:
        raise ValidationError({"closure_reason": _("Only a closing needs a reason for closing.")})
    elif qualification_gained:
        raise ValidationError(
            {"qualification_gained": _("A qualification is recorded when the trajectory closes.")}
        )
    if to_status == Status.EMPLOYED and not trajectory.job_starts.exists():
        raise ValidationError(
            {"to_status": _("Record the job start first; the status follows from it.")}
        )
    transition(
        TRAJECTORY,
        trajectory,
        to_status,
        by=acting_user,
        history=StatusChange,
        history_fields={"trajectory": trajectory, "on": day, "reason": reason.strip()},
        audit=Event.TRAJECTORY_STATUS_CHANGED,
        audit_person=trajectory.person,
        audit_subject={"trajectory": str(trajectory.public_id)},
        audit_extra={"on": day.isoformat(), "closure_reason": closure_reason or None},
    )
    if to_status == Status.CLOSED:
        # No appointment outlives the trajectory: its planned contacts are cancelled.
        contacts_cancel_planned(
            acting_user=acting_user, trajectory=trajectory, reason=_("The trajectory closed.")
        )
    return trajectory


@transaction.atomic
def trajectory_correct_dates(
    *,
    acting_user: User,
    trajectory: Trajectory,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str,
) -> Trajectory:
    """Correct a wrong start or end date. Outcome measurement counts from these dates, so a
    correction needs a reason and is audited with the old and new values."""
    if not has_capability(acting_user, "trajectory.correct_dates") or (
        acting_user.organisation_id != trajectory.organisation_id
    ):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the dates are corrected.")})
    if (end_date is None) != (trajectory.end_date is None):
        raise ValidationError(_("Only a closed trajectory has an end date."))
    before = {
        "start_date": trajectory.start_date.isoformat(),
        "end_date": trajectory.end_date.isoformat() if trajectory.end_date else None,
    }
    if trajectory.project is not None and start_date != trajectory.start_date:
        # The funding rule counts from the start date: a corrected one must still be funded.
        funding_require(
            project=trajectory.project,
            kind=trajectory.type,
            day=start_date,
            trajectory_id=trajectory.pk,
            field="start_date",
        )
    trajectory.start_date = start_date
    trajectory.end_date = end_date
    trajectory.dates_correction_reason = reason.strip()
    trajectory.full_clean()
    trajectory.save(
        update_fields=["start_date", "end_date", "dates_correction_reason", "updated_at"]
    )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.TRAJECTORY_DATES_CORRECTED,
        data={
            "trajectory": str(trajectory.public_id),
            "before": before,
            "after": {
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat() if end_date else None,
            },
            # The reason stays with the trajectory (case content): only that one was given.
            "reason_given": True,
        },
    )
    return trajectory


@transaction.atomic
def trajectory_set_project(
    *, acting_user: User, trajectory: Trajectory, project: Project | None
) -> Trajectory:
    """Say which project funds the trajectory, or that none does. The project's call must
    fund the trajectory's type on its start day, unless a programme manager recorded an
    exception for this trajectory and project (issue 17)."""
    _require_write(acting_user, trajectory)
    if not has_capability(acting_user, "trajectory.start"):
        raise PermissionDenied
    before = trajectory.project
    if project is not None and project.pk != trajectory.project_id:
        funding_require(
            project=project,
            kind=trajectory.type,
            day=trajectory.start_date,
            trajectory_id=trajectory.pk,
        )
    trajectory.project = project
    trajectory.save(update_fields=["project", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.TRAJECTORY_PROJECT_CHANGED,
        data={
            "trajectory": str(trajectory.public_id),
            "from": before.code if before else None,
            "to": project.code if project else None,
        },
    )
    return trajectory


@transaction.atomic
def trajectory_set_welfare_partner(
    *, acting_user: User, trajectory: Trajectory, partner: User | None
) -> Trajectory:
    """Make a welfare partner (a user of another organisation) co-owner, or remove them.

    The partner leads the welfare domains from then on; their organisation is assigned to the
    person so the partner can open the file.
    """
    _require_write(acting_user, trajectory)
    if partner is not None:
        if not has_capability(partner, "trajectory.partner"):
            raise ValidationError({"partner": _("Choose a user with the welfare partner role.")})
        if partner.organisation_id == trajectory.organisation_id:
            raise ValidationError(
                {"partner": _("The welfare partner must work for another organisation.")}
            )
    before = trajectory.welfare_partner_id
    trajectory.welfare_partner = partner
    trajectory.save(update_fields=["welfare_partner", "updated_at"])
    side = Side.WELFARE_PARTNER if partner else Side.MEDIATOR
    trajectory.responsibilities.filter(domain__in=WELFARE_DOMAINS).update(side=side)
    if partner is not None and partner.organisation is not None:
        person_assign(
            acting_user=acting_user,
            person=trajectory.person,
            organisation=partner.organisation,
            reason=_("Duo partner"),
        )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.TRAJECTORY_PARTNER_CHANGED,
        data={
            "trajectory": str(trajectory.public_id),
            "from": before,
            "to": partner.pk if partner else None,
        },
    )
    return trajectory


@transaction.atomic
def trajectory_set_responsibility(
    *, acting_user: User, trajectory: Trajectory, domain: str, side: str
) -> DomainResponsibility:
    _require_write(acting_user, trajectory)
    if side == Side.WELFARE_PARTNER and trajectory.welfare_partner_id is None:
        raise ValidationError({"side": _("There is no welfare partner in this trajectory.")})
    responsibility, _created = DomainResponsibility.objects.update_or_create(
        trajectory=trajectory, domain=domain, defaults={"side": side}
    )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.TRAJECTORY_RESPONSIBILITY,
        data={"trajectory": str(trajectory.public_id), "domain": domain, "side": side},
    )
    return responsibility


@transaction.atomic
def trajectory_hand_over(
    *, acting_user: User, trajectory: Trajectory, to_user: User, reason: str = ""
) -> Trajectory:
    """Hand the lead to another mediator; the hand-over stays in the history."""
    _require_write(acting_user, trajectory)
    if not has_capability(to_user, "trajectory.lead"):
        raise ValidationError({"to_user": _("You can only hand over to a mediator.")})
    if to_user.pk == trajectory.lead_mediator_id:
        raise ValidationError({"to_user": _("This mediator already leads the trajectory.")})
    LeadHandover.objects.create(
        trajectory=trajectory,
        from_user=trajectory.lead_mediator,
        to_user=to_user,
        by=acting_user,
        reason=reason.strip(),
    )
    trajectory.lead_mediator = to_user
    trajectory.save(update_fields=["lead_mediator", "updated_at"])
    if to_user.organisation_id not in (trajectory.person.organisation_id, None):
        person_assign(
            acting_user=acting_user,
            person=trajectory.person,
            organisation=to_user.organisation,  # type: ignore[arg-type]
            reason=_("Lead mediator of a trajectory"),
        )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.TRAJECTORY_HANDED_OVER,
        data={"trajectory": str(trajectory.public_id), "to": to_user.pk},
    )
    return trajectory


@transaction.atomic
def expert_support_request(
    *, acting_user: User, trajectory: Trajectory, question: str
) -> ExpertSupportRequest:
    _require_write(acting_user, trajectory)
    if not has_capability(acting_user, "trajectory.request_expert"):
        raise PermissionDenied
    if not question.strip():
        raise ValidationError({"question": _("Say what support you ask for.")})
    request = ExpertSupportRequest.objects.create(
        trajectory=trajectory, requested_by=acting_user, question=question.strip()
    )
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.EXPERT_REQUESTED,
        data={"trajectory": str(trajectory.public_id), "request": request.pk},
    )
    return request


@transaction.atomic
def expert_support_respond(
    *, acting_user: User, request: ExpertSupportRequest, accept: bool
) -> ExpertSupportRequest:
    if not has_capability(acting_user, "trajectory.respond_as_expert"):
        raise PermissionDenied
    if request.status != ExpertSupportStatus.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    request.status = ExpertSupportStatus.ACCEPTED if accept else ExpertSupportStatus.DECLINED
    request.expert = acting_user if accept else None
    request.save(update_fields=["status", "expert", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=request.trajectory.person,
        event_type=Event.EXPERT_RESPONDED,
        data={"request": request.pk, "accepted": accept},
    )
    # Who asked hears the answer: a mediator on the trajectory, a group coach on the enrolment.
    if request.enrolment is not None:
        url = reverse("groupwork:enrolment_detail", args=[request.enrolment.public_id])
    else:
        url = reverse("trajectories:trajectory_detail", args=[request.trajectory.public_id])
    notify(
        recipients=[request.requested_by],
        kind=kinds.EXPERT_REQUEST_ANSWERED,
        url=url,
        person=request.trajectory.person,
        actor=acting_user,
    )
    return request


@transaction.atomic
def expert_support_log(
    *, acting_user: User, request: ExpertSupportRequest, on: dt.date, text: str, done: bool = False
) -> ExpertSupportLog:
    if request.expert_id != acting_user.pk:
        raise PermissionDenied
    if request.status not in (ExpertSupportStatus.ACCEPTED,):
        raise ValidationError(_("Log support on an accepted request."))
    if not text.strip():
        raise ValidationError({"text": _("Say what you did.")})
    log = ExpertSupportLog.objects.create(
        request=request, on=on, text=text.strip(), author=acting_user
    )
    if done:
        request.status = ExpertSupportStatus.DONE
        request.save(update_fields=["status", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=request.trajectory.person,
        event_type=Event.EXPERT_LOGGED,
        data={"request": request.pk, "done": done},
    )
    return log
