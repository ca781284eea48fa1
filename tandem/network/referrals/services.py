"""Writes for closed-loop referrals: send one from a plan action, move it through its state
machine, add a progress note.

Rules (README, *Referrals*):

- A referral goes from a plan action to a service of another organisation. It carries only
  what the person's consent for that organisation covers: name and contact, and the data of
  the consented life domains (household and income only with ``income``, the plan's goals and
  actions of the consented domains), frozen in ``shared_data``.
- Without a consent in force for the action's life domain the referral is refused, unless a
  mediator writes why it must go anyway (``override_reason``): then only name and contact
  travel, and the reason is in the audit event ``referral.sent_without_consent``.
- ``REFERRAL_TRANSITIONS`` is the state machine; ``referral_transition`` is the only place a
  status changes. The receiving organisation answers and reports (accept, decline with a
  reason, no capacity, in progress, completed with an outcome, person not reached); the sending
  side (who may write the trajectory) withdraws, and may close the loop itself (completed, not
  reached) when the receiver does not.
- The plan action follows: a completed referral marks it done. Any other end (declined, no
  capacity, not reached, withdrawn) leaves it open — the need is still there and the duo
  decides what next (refer elsewhere, do it themselves, or drop it with their own reason); the
  trajectory page shows the referral's end and reason beside the action.
- A referral to a service of a VDAB office (an organisation of kind public employment service)
  also lands in that office's intake queue (``tandem.registry.intake``) with the question as
  the sender's note and its urgency, and the office is assigned to the person (its mediators
  find them, as after any referral to an office). The office answers by taking the item
  (= accepted) or sending it back (= declined, with the reason); an answer given from the
  inbox, or a withdrawal while it waits, moves the item along (``intake_follow_referral``), so
  the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.access.scope import active_consents_for, can_write, domains_visible_to
from tandem.accounts.models import OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain
from tandem.common.transitions import StateMachine, transition
from tandem.notifications import kinds
from tandem.notifications.services import notify
from tandem.registry.intake.models import IntakeSource, Urgency
from tandem.registry.intake.services import intake_create, intake_follow_referral
from tandem.registry.models import HouseholdMember, IncomeComponent, Person
from tandem.registry.services import person_assign
from tandem.trajectories.models import Action, ActionOwner, ActionStatus, Goal, Trajectory
from tandem.trajectories.plan.services import action_set_status

from ..models import (
    REFERRAL_TRANSITIONS,
    Consent,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServiceStatus,
)
from ..models.referral import OPEN_REFERRAL_STATUSES

# The referral's state machine: its table lives with the model (models.REFERRAL_TRANSITIONS).
REFERRAL = StateMachine(
    table=REFERRAL_TRANSITIONS,
    statuses=ReferralStatus,
    refusal=gettext_lazy("A referral cannot go from “%(from)s” to “%(to)s”."),
)
# What each side may do (the state machine decides from which status).
RECEIVER_STATUSES = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.NO_CAPACITY,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_REACHED,
    }
)
SENDER_STATUSES = frozenset(
    {ReferralStatus.WITHDRAWN, ReferralStatus.COMPLETED, ReferralStatus.NOT_REACHED}
)
# Ends that explain themselves in ``Referral.reason``.
REASON_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.NO_CAPACITY,
        ReferralStatus.NOT_REACHED,
        ReferralStatus.WITHDRAWN,
    }
)


def is_receiver(user: User, referral: Referral) -> bool:
    return (
        user.organisation_id is not None
        and user.organisation_id == referral.receiving_organisation_id
        and has_capability(user, "referral.receive")
    )


def is_sender(user: User, referral: Referral) -> bool:
    """The sending side: whoever may write the referral's trajectory (the duo, and mediators of
    the trajectory's office covering for a colleague)."""
    trajectory = referral.trajectory
    return trajectory is not None and can_write(user, trajectory)


def statuses_for(user: User, referral: Referral) -> list[str]:
    """The statuses this user may move the referral to now, in the state machine's order."""
    allowed: set[str] = set()
    if is_receiver(user, referral):
        allowed |= RECEIVER_STATUSES
    if is_sender(user, referral):
        allowed |= SENDER_STATUSES
    reachable = REFERRAL.reachable(referral.status)
    return [s.value for s in ReferralStatus if s in reachable and s in allowed]


def _moment(at: dt.datetime | None, *, not_before: dt.datetime | None, field: str) -> dt.datetime:
    now = timezone.now()
    moment = at or now
    if moment > now:
        raise ValidationError({field: _("The moment cannot be in the future.")})
    if not_before is not None and moment < not_before:
        raise ValidationError(
            {
                field: _("The moment lies before the referral's previous update (%(at)s).")
                % {"at": timezone.localtime(not_before).strftime("%d/%m/%Y %H:%M")}
            }
        )
    return moment


# --- send --------------------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    acting_user: User,
    action: Action,
    service: Service,
    question: str,
    override_reason: str = "",
    at: dt.datetime | None = None,
    urgency: str = Urgency.NORMAL,
) -> Referral:
    """Refer a plan action to a service of another organisation, with what consent allows.

    To a VDAB office, the referral also waits in the office's intake queue (``urgency``
    orders it there)."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("goal__trajectory__person", "goal__trajectory__organisation")
        .get(pk=action.pk)
    )
    trajectory = action.goal.trajectory
    person = trajectory.person
    domain = action.goal.domain
    if not can_write(acting_user, trajectory):
        raise PermissionDenied
    visible = domains_visible_to(acting_user, trajectory)
    if domain not in visible:
        raise PermissionDenied
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("Only an open action can be referred."))
    receiver = service.organisation
    if service.status != ServiceStatus.ACTIVE:
        raise ValidationError({"service": _("This service does not take referrals now.")})
    if receiver.pk == acting_user.organisation_id:
        raise ValidationError({"service": _("Choose a service of another organisation.")})
    if Referral.objects.filter(action=action, status__in=OPEN_REFERRAL_STATUSES).exists():
        raise ValidationError(
            _("This action already has an open referral: follow that one up or withdraw it.")
        )
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write what you ask of the receiver.")})
    override_reason = override_reason.strip()
    moment = _moment(at, not_before=None, field="at")
    if moment.date() < trajectory.start_date:
        raise ValidationError({"at": _("A referral cannot be sent before the trajectory starts.")})

    consents = list(active_consents_for(receiver).filter(person=person))
    consented = {d for c in consents for d in c.domains}
    consent: Consent | None = None
    domains: list[str] = []
    if domain in consented:
        # The consent that covers the action's domain, naming the organisation itself before a
        # consent for its kind, the newest first.
        consent = sorted(
            (c for c in consents if domain in c.domains),
            key=lambda c: (c.recipient_organisation_id is None, -c.given_on.toordinal(), -c.pk),
        )[0]
        # Only what the sender may see themselves (special categories are the duo's).
        domains = [d for d in LifeDomain.values if d in consented and d in visible]
        override_reason = ""
    elif not override_reason:
        raise ValidationError(
            {
                "service": _(
                    "The person has not agreed to share “%(domain)s” with %(organisation)s. "
                    "Record their consent first."
                )
                % {"domain": LifeDomain(domain).label, "organisation": receiver.name}
            }
        )
    elif not has_capability(acting_user, "referral.override"):
        raise PermissionDenied

    referral = Referral(
        organisation=acting_user.organisation,
        receiving_organisation=receiver,
        person=person,
        trajectory=trajectory,
        action=action,
        service=service,
        status=ReferralStatus.SENT,
        domains=domains,
        shared_data=shared_data_snapshot(person=person, trajectory=trajectory, domains=domains),
        consent=consent,
        override_reason=override_reason,
        question=question,
        sent_by=acting_user,
        sent_at=moment,
        last_update_at=moment,
    )
    # ``domains`` has no blank=True, yet a referral without consent shares no domain: the
    # list is checked above, so leave it out of the model's validation then.
    referral.full_clean()
    referral.save()
    ReferralStatusChange.objects.create(
        referral=referral, from_status="", to_status=ReferralStatus.SENT, at=moment, by=acting_user
    )
    # The action is now carried by the referral.
    action.owner = ActionOwner.REFERRAL
    action.referral_ref = str(referral.public_id)
    action.full_clean()
    action.save(update_fields=["owner", "referral_ref", "updated_at"])
    data: dict[str, Any] = {
        "referral": str(referral.public_id),
        "trajectory": str(trajectory.public_id),
        "action": action.pk,
        "service": str(service.pk),
        "to": receiver.code,
        "domains": domains,
        "consent": str(consent.public_id) if consent else None,
    }
    if consent is None:
        # Why data went without the person's consent is kept with the referral
        # (``override_reason``), which goes with the rest of the file; the audit trail keeps
        # that a reason was given, never its text (it may name people, a situation).
        data["reason_given"] = True
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.REFERRAL_SENT if consent else Event.REFERRAL_SENT_WITHOUT_CONSENT,
        data=data,
    )
    if receiver.kind == OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE:
        _to_intake_queue(acting_user=acting_user, referral=referral, urgency=urgency)
    return referral


def _to_intake_queue(*, acting_user: User, referral: Referral, urgency: str) -> None:
    """A referral to a VDAB office waits in its intake queue, as any referral to an office."""
    person, office = referral.person, referral.receiving_organisation
    if office.pk != person.organisation_id:
        person_assign(
            acting_user=acting_user,
            person=person,
            organisation=office,
            reason=_("Referred to %(service)s") % {"service": referral.service.name},
        )
    intake_create(
        acting_user=acting_user,
        person=person,
        office=office,
        source=IntakeSource.REFERRAL,
        source_ref=str(referral.public_id),
        note=referral.question,
        urgency=urgency,
    )


def shared_data_snapshot(
    *, person: Person, trajectory: Trajectory, domains: list[str]
) -> dict[str, Any]:
    """What travels with a referral: name and contact always; the rest per consented domain.

    Codes, not labels, so the receiver reads them in their own language; dates as ISO text.
    """
    data: dict[str, Any] = {
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date.isoformat(),
            "languages": list(person.languages),
            "street": person.street,
            "house_number": person.house_number,
            "postal_code": person.postal_code,
            "municipality": person.municipality,
            "phone": person.phone,
            "email": person.email,
        }
    }
    if LifeDomain.WORK_EDUCATION in domains:
        data["work_education"] = {
            "registration": person.registration,
            "benefit": person.benefit,
            "education": person.education,
        }
    if LifeDomain.INCOME in domains and person.household_id is not None:
        members = HouseholdMember.objects.filter(household_id=person.household_id).order_by(
            "birth_date", "pk"
        )
        incomes = IncomeComponent.objects.filter(household_id=person.household_id).select_related(
            "member"
        )
        data["household"] = {
            "members": [
                {
                    "relation": m.relation,
                    "first_name": m.first_name,
                    "birth_date": m.birth_date.isoformat(),
                }
                for m in members
            ],
            "income": [
                {
                    "kind": c.kind,
                    "member": c.member.first_name if c.member else "",
                    "monthly_amount": str(c.monthly_amount),
                }
                for c in incomes.order_by("pk")
            ],
        }
    goals = (
        Goal.objects.filter(trajectory=trajectory, domain__in=domains)
        .prefetch_related("actions")
        .order_by("domain", "pk")
    )
    data["plan"] = [
        {
            "domain": g.domain,
            "goal": g.description,
            "actions": [
                {
                    "description": a.description,
                    "status": a.status,
                    "due_on": a.due_on.isoformat() if a.due_on else None,
                }
                for a in g.actions.all()
            ],
        }
        for g in goals
    ]
    return data


# --- the state machine -------------------------------------------------------------------------


@transaction.atomic
def referral_transition(
    *,
    acting_user: User,
    referral: Referral,
    to_status: str,
    note: str = "",
    outcome: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """Move a referral through its state machine: the only place its status changes."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("trajectory__person", "action__goal__trajectory", "person")
        .get(pk=referral.pk)
    )
    receiver, sender = is_receiver(acting_user, referral), is_sender(acting_user, referral)
    if not (receiver or sender):
        raise PermissionDenied
    REFERRAL.check(referral.status, to_status)
    if not (
        (receiver and to_status in RECEIVER_STATUSES) or (sender and to_status in SENDER_STATUSES)
    ):
        raise PermissionDenied
    note, outcome, reason = note.strip(), outcome.strip(), reason.strip()
    if to_status == ReferralStatus.DECLINED and not reason:
        raise ValidationError({"reason": _("Write why the referral is declined.")})
    if to_status == ReferralStatus.COMPLETED and not outcome:
        raise ValidationError({"outcome": _("Write what came of the referral.")})
    moment = _moment(at, not_before=referral.last_update_at, field="at")
    if referral.status == ReferralStatus.SENT:
        # A referral still waiting in an office's intake queue: the item follows the answer.
        intake_follow_referral(
            referral_public_id=str(referral.public_id),
            to_status=to_status,
            by=acting_user,
            reason=reason,
        )
    referral.last_update_at = moment
    if to_status == ReferralStatus.COMPLETED:
        referral.outcome = outcome
    if to_status in REASON_STATUSES:
        referral.reason = reason
    transition(
        REFERRAL,
        referral,
        to_status,
        by=acting_user,
        history=ReferralStatusChange,
        # Every word written stays in the dated history, whatever the status.
        history_fields={
            "referral": referral,
            "at": moment,
            "note": "\n".join(t for t in (reason, outcome, note) if t),
        },
        audit=Event.REFERRAL_STATUS_CHANGED,
        audit_person=referral.person,
        audit_subject={"referral": str(referral.public_id)},
        audit_extra={
            "side": "receiver" if receiver and to_status in RECEIVER_STATUSES else "sender"
        },
    )
    if to_status == ReferralStatus.COMPLETED:
        _action_done(acting_user=acting_user, referral=referral, on=timezone.localdate(moment))
    if receiver and to_status in RECEIVER_STATUSES:
        # The receiving side answered: the sender and the trajectory's duo hear of it.
        trajectory = referral.trajectory
        notify(
            recipients=[
                referral.sent_by,
                trajectory.lead_mediator if trajectory else None,
                trajectory.welfare_partner if trajectory else None,
            ],
            kind=kinds.REFERRAL_ANSWERED,
            url=reverse("network:referral_detail", args=[referral.public_id]),
            person=referral.person,
            actor=acting_user,
            at=moment,
        )
    return referral


def referral_answer_from_intake(
    *, intake: Any, to_status: str, by: User, note: str = "", reason: str = ""
) -> None:
    """The office took the item of this referral in its intake queue (``accepted``) or sent
    it back (``declined``, with the reason): the referral answers the same, in the same
    transaction (registered for the intake source ``referral`` by ``tandem.network.apps``)."""
    referral = Referral.objects.filter(public_id=intake.source_ref).first()
    if referral is None:
        return  # gone with an erased person's file
    referral_transition(
        acting_user=by, referral=referral, to_status=to_status, note=note, reason=reason
    )


def _action_done(*, acting_user: User, referral: Referral, on: dt.date) -> None:
    """The plan action follows a completed referral.

    The sending side marks it done through ``action_set_status``. The receiver may not write
    the trajectory, so when they close the loop the action is marked done here, audited as
    the same ``plan.action_status`` event with the receiver as actor and the referral named.
    """
    action = referral.action
    if action is None or action.status != ActionStatus.OPEN:
        return
    trajectory = action.goal.trajectory
    if not trajectory.is_open:
        return  # a closed trajectory's plan no longer changes
    if can_write(acting_user, trajectory):
        action_set_status(acting_user=acting_user, action=action, status=ActionStatus.DONE, on=on)
        return
    action.status = ActionStatus.DONE
    action.done_on = on
    action.dropped_reason = ""
    action.full_clean()
    action.save(update_fields=["status", "done_on", "dropped_reason", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=referral.person,
        event_type=Event.PLAN_ACTION_STATUS,
        data={
            "trajectory": str(trajectory.public_id),
            "action": action.pk,
            "status": ActionStatus.DONE,
            "referral": str(referral.public_id),
        },
    )


@transaction.atomic
def referral_note_add(
    *, acting_user: User, referral: Referral, note: str, at: dt.datetime | None = None
) -> Referral:
    """A progress update without a change of status (it resets the overdue clock).

    Kept in the dated history as a row whose status stays the same.
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=referral.pk)
    )
    if not (is_receiver(acting_user, referral) or is_sender(acting_user, referral)):
        raise PermissionDenied
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ValidationError(_("This referral is closed: it takes no more updates."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write the update.")})
    moment = _moment(at, not_before=referral.last_update_at, field="at")
    referral.last_update_at = moment
    referral.full_clean()
    referral.save(update_fields=["last_update_at", "updated_at"])
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        at=moment,
        by=acting_user,
        note=note,
    )
    audit_event_record(
        actor=acting_user,
        person=referral.person,
        event_type=Event.REFERRAL_UPDATED,
        data={"referral": str(referral.public_id), "status": referral.status},
    )
    return referral
