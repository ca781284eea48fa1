"""The register's writes: the DPO records a request (``subject_request_register``), extends its
deadline once with a reason (``subject_request_extend``) and moves it through the state machine
(``subject_request_move``: received → in progress → done / refused, a refusal with its reason).
Each write is audited; the audit trail keeps the kind, the move and that a text was given, never
the text (it may quote the person)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.transitions import StateMachine, transition
from tandem.registry.models import Person

from ..selectors import dpo_person_queryset
from . import rules
from .models import (
    REQUEST_TRANSITIONS,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    SubjectRequestStatusChange,
)

SUBJECT_REQUEST = StateMachine(
    table=REQUEST_TRANSITIONS,
    statuses=RequestStatus,
    refusal=gettext_lazy("A request cannot go from “%(from)s” to “%(to)s”."),
    lower_labels=True,
)


def _as_dpo(user: User) -> None:
    if not has_capability(user, "privacy.requests") or user.organisation_id is None:
        raise PermissionDenied


def _of_my_organisation(user: User, request: SubjectRequest) -> None:
    _as_dpo(user)
    if request.organisation_id != user.organisation_id:
        raise Http404


def _subject(request: SubjectRequest) -> dict[str, str]:
    return {"request": str(request.public_id), "kind": request.kind}


@transaction.atomic
def subject_request_register(
    *,
    acting_user: User,
    person: Person,
    kind: str,
    channel: str,
    received_on: dt.date,
    note: str = "",
) -> SubjectRequest:
    """Record that the person asked; the acting DPO handles it."""
    _as_dpo(acting_user)
    if not dpo_person_queryset(acting_user).filter(pk=person.pk).exists():
        raise Http404
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    request = SubjectRequest(
        organisation=acting_user.organisation,
        person=person,
        kind=kind,
        channel=channel,
        received_on=received_on,
        note=note.strip(),
        handler=acting_user,
    )
    request.full_clean()
    request.save()
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.PRIVACY_REQUEST_RECEIVED,
        data={
            **_subject(request),
            "channel": channel,
            "received_on": received_on.isoformat(),
            "note_given": bool(request.note),
        },
    )
    return request


@transaction.atomic
def subject_request_extend(
    *, acting_user: User, request: SubjectRequest, reason: str, today: dt.date | None = None
) -> SubjectRequest:
    """Extend the deadline by two further months (art. 12(3)): once, while the request is open
    and within its first month, with the reason the person is told."""
    _of_my_organisation(acting_user, request)
    today = today or timezone.localdate()
    reason = reason.strip()
    if not request.is_open:
        raise ValidationError(_("This request is closed."))
    if not rules.may_extend(request.received_on, extended=request.extended, today=today):
        raise ValidationError(
            _("The deadline can be extended only once, within one month of receipt.")
        )
    if not reason:
        raise ValidationError({"reason": _("Write why the deadline is extended.")})
    request.extended_on = today
    request.extension_reason = reason
    request.full_clean()
    request.save()
    audit_event_record(
        actor=acting_user,
        person=request.person,
        event_type=Event.PRIVACY_REQUEST_EXTENDED,
        data={**_subject(request), "due_on": request.due_on.isoformat(), "reason_given": True},
    )
    return request


def _person_erased(person: Person) -> bool:
    return person.first_name == ""


@transaction.atomic
def subject_request_move(
    *,
    acting_user: User,
    request: SubjectRequest,
    to_status: str,
    reason: str = "",
    today: dt.date | None = None,
) -> SubjectRequest:
    """Move the request: start it (the acting DPO handles it from then on), mark it done (an
    erasure request only once the data is erased) or refuse it with the reason."""
    _of_my_organisation(acting_user, request)
    SUBJECT_REQUEST.check(request.status, to_status)
    reason = reason.strip()
    if to_status == RequestStatus.REFUSED and not reason:
        raise ValidationError({"reason": _("Write why the request is refused.")})
    if (
        to_status == RequestStatus.DONE
        and request.kind == RequestKind.ERASURE
        and not _person_erased(request.person)
    ):
        raise ValidationError(
            _("Erase the person's data first, or refuse the request with the reason.")
        )
    if to_status == RequestStatus.IN_PROGRESS:
        request.handler = acting_user
    if to_status in (RequestStatus.DONE, RequestStatus.REFUSED):
        request.closed_on = today or timezone.localdate()
        request.outcome = reason
    transition(
        SUBJECT_REQUEST,
        request,
        to_status,
        by=acting_user,
        history=SubjectRequestStatusChange,
        history_fields={"request": request, "reason": reason},
        audit=Event.PRIVACY_REQUEST_STATUS_CHANGED,
        audit_person=request.person,
        audit_subject=_subject(request),
        audit_extra={"reason_given": bool(reason)},
    )
    return request
