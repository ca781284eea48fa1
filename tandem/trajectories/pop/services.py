"""Writes for the POP (persoonlijk ontwikkelingsplan, DOMAIN.md §5).

A POP is versioned. There is at most one draft: the latest version while it is not signed off.
A draft is edited in place; a signed-off version is never changed again, and the next change
starts a new version as a copy of it. The version row is the record of what was agreed with
the client on the sign-off date.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.scope import can_write, is_duo
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import Perspective, PopReport, RerouteJustification, Status, Trajectory
from .rules import job_target_allowed, pop_calls_for_rerouting

# The fields a version holds; a new version copies them from the latest one.
POP_FIELDS = ("job_target", "perspective", "work_plan", "welfare_plan")


def can_edit_pop(user: User, trajectory: Trajectory) -> bool:
    """Who may draft, edit and sign off a POP: those who may change the trajectory.

    Group work produces input for the POP (DOMAIN.md §2.5): the coach writes it on the
    enrolment and the mediator takes it into the POP (``tandem.groupwork``). The POP itself
    stays with the duo, who agree it with the client.
    """
    return can_write(user, trajectory)


def _require_edit(user: User, trajectory: Trajectory) -> None:
    if not can_edit_pop(user, trajectory):
        raise PermissionDenied


def _check_perspective(perspective: str, job_target: str) -> None:
    if perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Choose a participation perspective.")})
    allowed = job_target_allowed(perspective=perspective, job_target=job_target)
    if not allowed:
        raise ValidationError({"job_target": ValidationError(allowed.reason, code="not_feasible")})


@transaction.atomic
def pop_draft(
    *,
    acting_user: User,
    trajectory: Trajectory,
    job_target: str | None = None,
    perspective: str | None = None,
    work_plan: str | None = None,
    welfare_plan: str | None = None,
) -> PopReport:
    """Start a POP version: version 1, or the next version as a copy of the signed-off latest.

    A field left out (``None``) is copied from the latest version. While the latest version is
    an unsigned draft no new version starts: edit the draft with ``pop_update``.
    """
    # Lock the trajectory so two drafts started at once cannot take the same version number.
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    _require_edit(acting_user, locked)
    latest = locked.pops.order_by("-version").first()
    if latest is not None and latest.signed_off_on is None:
        raise ValidationError(
            _("Version %(version)s is still a draft: edit it instead of starting a new version.")
            % {"version": latest.version},
            code="draft_open",
        )
    given = {
        "job_target": job_target,
        "perspective": perspective,
        "work_plan": work_plan,
        "welfare_plan": welfare_plan,
    }
    values: dict[str, str] = {}
    for name in POP_FIELDS:
        value = given[name]
        if value is None:
            value = getattr(latest, name) if latest is not None else ""
        values[name] = value.strip()
    _check_perspective(values["perspective"], values["job_target"])
    pop = PopReport(
        trajectory=locked,
        version=(latest.version + 1) if latest is not None else 1,
        drafted_by=acting_user,
        **values,
    )
    pop.full_clean()
    pop.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.POP_DRAFTED,
        data={
            "trajectory": str(trajectory.public_id),
            "version": pop.version,
            "copied_from": latest.version if latest is not None else None,
        },
    )
    return pop


@transaction.atomic
def pop_update(
    *,
    acting_user: User,
    pop: PopReport,
    job_target: str,
    perspective: str,
    work_plan: str,
    welfare_plan: str,
) -> PopReport:
    """Change a draft. A signed-off version is refused: start a new version instead."""
    # Re-read under a lock: a sign-off in another request must not be overwritten.
    locked = PopReport.objects.select_for_update().select_related("trajectory").get(pk=pop.pk)
    trajectory = locked.trajectory
    _require_edit(acting_user, trajectory)
    if locked.signed_off_on is not None:
        raise ValidationError(
            _(
                "Version %(version)s was signed off on %(date)s and can no longer change. "
                "Start a new version."
            )
            % {"version": locked.version, "date": locked.signed_off_on.strftime("%d/%m/%Y")},
            code="signed_off",
        )
    values = {
        "job_target": job_target.strip(),
        "perspective": perspective,
        "work_plan": work_plan.strip(),
        "welfare_plan": welfare_plan.strip(),
    }
    _check_perspective(perspective, values["job_target"])
    changed = [name for name in POP_FIELDS if getattr(locked, name) != values[name]]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.POP_UPDATED,
        # Field names only: the plan's text is case content, not audit data.
        data={
            "trajectory": str(trajectory.public_id),
            "version": locked.version,
            "fields": changed,
        },
    )
    return locked


@transaction.atomic
def pop_sign_off(*, acting_user: User, pop: PopReport, on: dt.date) -> PopReport:
    """Record the day the POP version was agreed; from then on the version never changes."""
    locked = PopReport.objects.select_for_update().select_related("trajectory").get(pk=pop.pk)
    trajectory = locked.trajectory
    _require_edit(acting_user, trajectory)
    if locked.signed_off_on is not None:
        raise ValidationError(
            _("Version %(version)s was already signed off on %(date)s.")
            % {"version": locked.version, "date": locked.signed_off_on.strftime("%d/%m/%Y")},
            code="signed_off",
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The sign-off date cannot be in the future.")})
    locked.signed_off_on = on
    locked.full_clean()
    locked.save(update_fields=["signed_off_on", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.POP_SIGNED_OFF,
        data={
            "trajectory": str(trajectory.public_id),
            "version": locked.version,
            "on": on.isoformat(),
        },
    )
    return locked


@transaction.atomic
def pop_reroute_justify(
    *, acting_user: User, pop: PopReport, reason: str, on: dt.date | None = None
) -> RerouteJustification:
    """Record why the W² trajectory goes on although its signed-off POP calls for re-routing
    (``rules.pop_calls_for_rerouting``). The other answer to the prompt is re-routing itself:
    close this trajectory and start a work-and-care trajectory or regular mediation.

    Only the duo answers (the lead mediator or the welfare partner), on an open trajectory, for
    the latest signed-off version, once. The reason stays with the POP (case content); the
    audit event records that one was given."""
    locked = PopReport.objects.select_for_update().select_related("trajectory").get(pk=pop.pk)
    trajectory = locked.trajectory
    if not (is_duo(acting_user, trajectory) and can_write(acting_user, trajectory)):
        raise PermissionDenied
    calls = pop_calls_for_rerouting(
        trajectory_type=trajectory.type,
        perspective=locked.perspective,
        signed_off=locked.signed_off_on is not None,
        in_work=trajectory.status == Status.EMPLOYED,
    )
    if not calls:
        raise ValidationError(
            _("Version %(version)s of the POP does not call for re-routing.")
            % {"version": locked.version},
            code="not_called_for",
        )
    latest_signed = trajectory.pops.filter(signed_off_on__isnull=False).order_by("-version").first()
    if latest_signed is not None and latest_signed.pk != locked.pk:
        raise ValidationError(
            _("Version %(version)s of the POP is signed off since: answer for that version.")
            % {"version": latest_signed.version},
            code="superseded",
        )
    if RerouteJustification.objects.filter(pop=locked).exists():
        raise ValidationError(
            _("Why the trajectory continues was already written for version %(version)s.")
            % {"version": locked.version},
            code="answered",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the W² trajectory continues.")})
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    justification = RerouteJustification(
        pop=locked, reason=reason.strip(), written_by=acting_user, written_on=day
    )
    justification.full_clean()
    justification.save()
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.POP_REROUTE_JUSTIFIED,
        data={
            "trajectory": str(trajectory.public_id),
            "version": locked.version,
            "perspective": locked.perspective,
            # The reason is case content: only that one was given.
            "reason_given": True,
        },
    )
    return justification
