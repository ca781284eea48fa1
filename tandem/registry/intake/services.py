"""The intake queue's writes: a referral puts a person in an office's queue (``intake_create``,
called by the services that refer: screening, outreach, and a network referral to a service of
a VDAB office); a mediator of the office takes the item (for themself or a colleague), sends it
back or forwards it to another office, each move through the state machine (``INTAKE``), dated
and audited.

An item that carries a network referral (source ``referral``) is how the office answers that
referral; the referral's status stays the one truth for the sender, and the two move together
in one transaction, whichever side acts:

- taking the item accepts the referral (``accepted``, its history saying for whom it was
  taken); accepting the referral from the inbox takes the item for the mediator who accepted;
- sending the item back declines the referral with the same reason; declining it (or "no
  capacity") from the inbox sends the item back with that reason;
- the sender withdrawing the referral while it waits withdraws the item;
- an item that carries a referral is not forwarded: the office sends it back with the reason,
  and the sender refers elsewhere (the referral names its receiver; it does not move).

After the office's decision the referral goes on through its own states (in progress,
completed, ...); the item's status only ever says what the queue decided."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.transitions import StateMachine, transition
from tandem.notifications import kinds
from tandem.notifications.services import notify

from ..models import Person
from ..services import person_assign
from .models import INTAKE_TRANSITIONS, Intake, IntakeSource, IntakeStatus, IntakeStatusChange
from .selectors import colleagues

INTAKE = StateMachine(
    table=INTAKE_TRANSITIONS,
    statuses=IntakeStatus,
    refusal=gettext_lazy("An intake cannot go from “%(from)s” to “%(to)s”."),
    lower_labels=True,
)


def intake_create(
    *,
    acting_user: User,
    person: Person,
    office: Organisation,
    source: str,
    source_ref: str = "",
    note: str = "",
    urgency: str = "normal",
) -> Intake:
    """Put the person in the office's intake queue (the caller checked who may refer)."""
    if office.kind != OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE:
        raise ValidationError({"organisation": _("You can only refer to a VDAB office.")})
    intake = Intake(
        office=office,
        person=person,
        source=source,
        source_ref=source_ref,
        sender=acting_user,
        sender_organisation_id=acting_user.organisation_id,
        note=note.strip(),
        urgency=urgency,
    )
    intake.full_clean()
    intake.save()
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.INTAKE_CREATED,
        # The note stays with the item (case content); the trail keeps that one was given.
        data={
            "intake": str(intake.public_id),
            "office": office.code,
            "source": source,
            "urgency": urgency,
            "note_given": bool(intake.note),
        },
    )
    return intake


def _of_my_office(user: User, intake: Intake) -> None:
    """A mediator of the item's office, or the item does not exist for them (404)."""
    if not has_capability(user, "intake.queue"):
        raise PermissionDenied
    if user.organisation_id is None or intake.office_id != user.organisation_id:
        raise Http404


def _move(intake: Intake, to: str, *, by: User, reason: str) -> None:
    intake.decided_by = by
    intake.decided_at = timezone.now()
    intake.reason = reason
    transition(
        INTAKE,
        intake,
        to,
        by=by,
        history=IntakeStatusChange,
        history_fields={"intake": intake, "reason": reason},
        audit=Event.INTAKE_STATUS_CHANGED,
        audit_person=intake.person,
        audit_subject={"intake": str(intake.public_id), "office": intake.office.code},
        audit_extra={
            "assignee": intake.assignee_id,
            "forwarded_to": intake.forwarded_to.office.code if intake.forwarded_to else None,
            "reason_given": bool(reason),
        },
    )


def _tell_sender(intake: Intake, kind: str, *, by: User) -> None:
    """Notify the sender (their home page's "My referrals" shows what the office did)."""
    notify(
        recipients=[intake.sender],
        kind=kind,
        url=reverse("home:home") + "#p-my-referrals",
        person=intake.person,
        actor=by,
    )


@transaction.atomic
def intake_take(*, acting_user: User, intake: Intake, assignee: User | None = None) -> Intake:
    """Take the item: the person goes to ``assignee``'s caseload (the acting mediator's when
    none is given; a colleague must be a mediator of the same office)."""
    _of_my_office(acting_user, intake)
    INTAKE.check(intake.status, IntakeStatus.TAKEN)
    assignee = assignee or acting_user
    if assignee.pk not in {u.pk for u in colleagues(intake.office_id)}:
        raise ValidationError({"assignee": _("Choose a mediator of this office.")})
    intake.assignee = assignee
    _move(intake, IntakeStatus.TAKEN, by=acting_user, reason="")
    if intake.source == IntakeSource.REFERRAL:
        # The referral's answer notifies its sender and the trajectory's duo.
        _answer_referral(
            intake,
            "accepted",
            by=acting_user,
            note=_("Taken in the intake queue for %(name)s.")
            % {"name": assignee.get_full_name() or assignee.username},
        )
    else:
        _tell_sender(intake, kinds.INTAKE_TAKEN, by=acting_user)
    return intake


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    return reason


@transaction.atomic
def intake_send_back(*, acting_user: User, intake: Intake, reason: str) -> Intake:
    """Send the item back to the sender, with the reason they will read."""
    _of_my_office(acting_user, intake)
    INTAKE.check(intake.status, IntakeStatus.SENT_BACK)
    reason = _reason(reason)
    _move(intake, IntakeStatus.SENT_BACK, by=acting_user, reason=reason)
    if intake.source == IntakeSource.REFERRAL:
        _answer_referral(intake, "declined", by=acting_user, reason=reason)
    else:
        _tell_sender(intake, kinds.INTAKE_SENT_BACK, by=acting_user)
    return intake


@transaction.atomic
def intake_forward(
    *, acting_user: User, intake: Intake, office: Organisation | None, reason: str
) -> Intake:
    """Forward the item to another office: it waits there (a new item with the sender's note
    and urgency, the original sender kept), and the other office is assigned to the person."""
    _of_my_office(acting_user, intake)
    INTAKE.check(intake.status, IntakeStatus.FORWARDED)
    if intake.source == IntakeSource.REFERRAL:
        raise ValidationError(
            {
                "decision": _(
                    "A referral is not forwarded: send it back with the reason, so the sender "
                    "can refer elsewhere."
                )
            }
        )
    reason = _reason(reason)
    if (
        office is None
        or office.kind != OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
        or office.pk == intake.office_id
    ):
        raise ValidationError({"office": _("Choose another VDAB office.")})
    new = Intake(
        office=office,
        person=intake.person,
        source=IntakeSource.FORWARDED,
        source_ref=str(intake.public_id),
        sender=intake.sender,
        sender_organisation_id=intake.sender_organisation_id,
        note=intake.note,
        urgency=intake.urgency,
    )
    new.full_clean()
    new.save()
    person_assign(
        acting_user=acting_user,
        person=intake.person,
        organisation=office,
        reason=_("Forwarded from the intake queue of %(office)s") % {"office": intake.office},
    )
    intake.forwarded_to = new
    _move(intake, IntakeStatus.FORWARDED, by=acting_user, reason=reason)
    return new


# What the office's decision on an item does in the app that sent it, per source: the
# network registers the referral's answer at start-up (``tandem.network.apps``), since this
# lower app may not import the network's services (tests/test_layering.py).
SOURCE_ANSWERS: dict[str, Callable[..., None]] = {}


def _answer_referral(
    intake: Intake, to_status: str, *, by: User, note: str = "", reason: str = ""
) -> None:
    """The office's decision on an item that carries a referral is the referral's answer
    (the network's ``referral_answer_from_intake``: ``referral_transition`` checks that
    ``by`` may answer it and notifies the sender)."""
    answer = SOURCE_ANSWERS.get(intake.source)
    if answer is None:
        raise RuntimeError(f"no answer registered for intake source {intake.source!r}")
    answer(intake=intake, to_status=to_status, by=by, note=note, reason=reason)


# The referral's move (from "sent") → the waiting item's move (intake_follow_referral).
FOLLOWS_REFERRAL: dict[str, str] = {
    "accepted": IntakeStatus.TAKEN,
    "declined": IntakeStatus.SENT_BACK,
    "no_capacity": IntakeStatus.SENT_BACK,
    "withdrawn": IntakeStatus.WITHDRAWN,
}


def intake_follow_referral(
    *, referral_public_id: str, to_status: str, by: User, reason: str = ""
) -> Intake | None:
    """The referral was answered (or withdrawn) outside the queue: the item that still waits
    for it follows, so the queue never shows a referral that is no longer waiting (called by
    ``referral_transition`` in its transaction). A "take" needs a mediator of the office:
    whoever accepts from the inbox takes the item for themself."""
    target = FOLLOWS_REFERRAL.get(to_status)
    intake = (
        Intake.objects.select_for_update()
        .select_related("person", "office")
        .filter(
            source=IntakeSource.REFERRAL,
            source_ref=referral_public_id,
            status=IntakeStatus.WAITING,
        )
        .first()
    )
    if intake is None or target is None:
        return None
    if target == IntakeStatus.TAKEN:
        if by.pk not in {u.pk for u in colleagues(intake.office_id)}:
            raise ValidationError(
                _(
                    "Only a mediator of %(office)s can accept this referral: it waits in its "
                    "intake queue."
                )
                % {"office": intake.office}
            )
        intake.assignee = by
    _move(intake, target, by=by, reason=reason.strip())
    return intake


class Decision:
    TAKE = "take"
    SEND_BACK = "send_back"
    FORWARD = "forward"


def intake_decide(
    *,
    acting_user: User,
    intake: Intake,
    decision: str,
    assignee_id: int | None = None,
    office_id: int | None = None,
    reason: str = "",
) -> Intake:
    """What the queue page's form decides: take (for ``assignee_id``, oneself when empty),
    send back or forward (to ``office_id``), the last two with a reason."""
    if decision == Decision.TAKE:
        assignee = None
        if assignee_id:
            assignee = next((u for u in colleagues(intake.office_id) if u.pk == assignee_id), None)
            if assignee is None:
                raise ValidationError({"assignee": _("Choose a mediator of this office.")})
        return intake_take(acting_user=acting_user, intake=intake, assignee=assignee)
    if decision == Decision.SEND_BACK:
        return intake_send_back(acting_user=acting_user, intake=intake, reason=reason)
    if decision == Decision.FORWARD:
        office = Organisation.objects.filter(pk=office_id).first() if office_id else None
        return intake_forward(acting_user=acting_user, intake=intake, office=office, reason=reason)
    raise ValidationError({"decision": _("Choose what to do.")})
