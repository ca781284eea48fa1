"""The kinds of notification: a key, stored on the notification, and its text (gettext).

The text is the same for every recipient and names no person: who it is about is shown next to
it on the list page only to a recipient who may see that person (``views.py``), and never in the
e-mail digest. An app that notifies adds its kind here, in the app's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise


REFERRAL_ANSWERED = "referral.answered"
INTAKE_TAKEN = "intake.taken"
INTAKE_SENT_BACK = "intake.sent_back"
ENROLMENT_ACCEPTED = "enrolment.accepted"
ENROLMENT_DECLINED = "enrolment.declined"
DROPOUT_SIGNAL = "group.dropout_signal"
EXPERT_REQUEST_ANSWERED = "expert_request.answered"
CONSENT_WITHDRAWN = "consent.withdrawn_open_referral"

KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(REFERRAL_ANSWERED, _("A referral you sent was answered")),
        Kind(INTAKE_TAKEN, _("A person you referred was taken in by an office")),
        Kind(INTAKE_SENT_BACK, _("A person you referred was sent back by an office")),
        Kind(ENROLMENT_ACCEPTED, _("An enrolment request was accepted")),
        Kind(ENROLMENT_DECLINED, _("An enrolment request was declined")),
        Kind(DROPOUT_SIGNAL, _("A drop-out signal in group work")),
        Kind(EXPERT_REQUEST_ANSWERED, _("An experience expert answered your request")),
        Kind(CONSENT_WITHDRAWN, _("Consent was withdrawn for a person in an open referral")),
    )
}


def kind_label(key: str) -> str:
    """The text of a kind; an unknown (retired) kind reads as a plain notification."""
    kind = KINDS.get(key)
    return str(kind.label) if kind is not None else str(_("Notification"))
