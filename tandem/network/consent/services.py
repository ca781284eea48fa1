"""Writes for consent: give and withdraw. Withdrawal takes effect at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.access.scope import consent_names
from tandem.accounts.models import Organisation, Role, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain
from tandem.notifications import kinds
from tandem.notifications.services import notify
from tandem.registry.models import Person

from ..models import OPEN_REFERRAL_STATUSES, Consent, Evidence, Referral


@transaction.atomic
def consent_give(
    *,
    acting_user: User,
    person: Person,
    domains: Iterable[str],
    purpose: str,
    evidence: str,
    recipient_organisation: Organisation | None = None,
    recipient_kind: str = "",
    witness: str = "",
    given_on: dt.date | None = None,
) -> Consent:
    if not has_capability(acting_user, "consent.record"):
        raise PermissionDenied
    domain_list = sorted(set(domains))
    if not domain_list:
        raise ValidationError({"domains": _("Choose at least one life domain.")})
    unknown = set(domain_list) - set(LifeDomain.values)
    if unknown:
        raise ValidationError(
            {"domains": _("Unknown life domains: %(d)s") % {"d": ", ".join(sorted(unknown))}}
        )
    if (recipient_organisation is None) == (not recipient_kind):
        raise ValidationError(
            {"recipient_organisation": _("Choose one organisation, or one kind of organisation.")}
        )
    if evidence == Evidence.VERBAL_WITH_WITNESS and not witness.strip():
        raise ValidationError({"witness": _("Verbal consent needs the name of a witness.")})
    day = given_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    consent = Consent(
        organisation=acting_user.organisation,
        person=person,
        recipient_organisation=recipient_organisation,
        recipient_kind=recipient_kind,
        domains=domain_list,
        purpose=purpose.strip(),
        given_on=day,
        recorded_by=acting_user,
        evidence=evidence,
        witness=witness.strip(),
    )
    consent.full_clean()
    consent.save()
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.CONSENT_GIVEN,
        data={
            "consent": str(consent.public_id),
            "domains": domain_list,
            "recipient": recipient_organisation.code
            if recipient_organisation
            else f"kind:{recipient_kind}",
            "evidence": evidence,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, acting_user: User, consent: Consent, withdrawn_on: dt.date | None = None
) -> Consent:
    """Record the person's withdrawal; from this moment the recipient sees nothing more."""
    if not has_capability(acting_user, "consent.record"):
        raise PermissionDenied
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    day = withdrawn_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("A withdrawal cannot be in the future.")})
    consent.withdrawn_on = day
    consent.withdrawn_by = acting_user
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by", "updated_at"])
    audit_event_record(
        actor=acting_user,
        person=consent.person,
        event_type=Event.CONSENT_WITHDRAWN,
        data={"consent": str(consent.public_id), "on": day.isoformat()},
    )
    _notify_open_referrals(acting_user, consent, day)
    return consent


def _notify_open_referrals(acting_user: User, consent: Consent, day: dt.date) -> None:
    """The receiving partners of the person's open referrals that the consent covered hear
    that it was withdrawn (they no longer see the person, so the notification names no one to
    them unless another consent still covers them)."""
    referrals = Referral.objects.filter(
        person_id=consent.person_id, status__in=OPEN_REFERRAL_STATUSES
    ).select_related("receiving_organisation")
    for referral in referrals:
        if not consent_names(consent, referral.receiving_organisation):
            continue
        notify(
            recipients=User.objects.filter(
                organisation_id=referral.receiving_organisation_id,
                is_active=True,
                role_assignments__role=Role.WELFARE_PARTNER,
            ).distinct(),
            kind=kinds.CONSENT_WITHDRAWN,
            url=reverse("network:referral_detail", args=[referral.public_id]),
            person=consent.person,
            actor=acting_user,
            at=day,
        )
