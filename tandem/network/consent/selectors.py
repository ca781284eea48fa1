"""Reads of consent: the consents of a person a reader may see, one of them, and the
organisations a consent can name. What authorization asks (which life domains of a person an
organisation may see: ``consented_domains``) is a rule of the access layer,
``tandem.access.scope``."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tandem.access.scope import consent_recipient_q, consent_restricted_domains
from tandem.accounts.models import Organisation, OrganisationKind, User

from ..models import Consent


def consents_visible_to(user: Any, person: Any) -> QuerySet[Consent]:
    """The consents of a person this user may read: all of them, except for a welfare partner
    who sees the person through consent — they see only the consents addressed to them."""
    qs = consents_of_person(person.pk)
    if consent_restricted_domains(user, person) is not None and user.organisation is not None:
        qs = qs.filter(consent_recipient_q(user.organisation))
    return qs


def consents_of_person(person_id: int) -> QuerySet[Consent]:
    return Consent.objects.filter(person_id=person_id).select_related(
        "recipient_organisation", "recorded_by", "withdrawn_by"
    )


def consent_get(person_id: int, consent_id: uuid.UUID | str) -> Consent:
    """One consent of a person the caller may already see, or 404 (missing or another's)."""
    try:
        key = uuid.UUID(str(consent_id))
    except ValueError as exc:
        raise Http404 from exc
    try:
        return consents_of_person(person_id).select_related("organisation").get(public_id=key)
    except Consent.DoesNotExist as exc:
        raise Http404 from exc


def consent_recipient_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations a consent can name: partners, not employers nor the user's own one."""
    organisations = Organisation.objects.exclude(kind=OrganisationKind.EMPLOYER)
    if user.organisation_id is not None:
        organisations = organisations.exclude(pk=user.organisation_id)
    return organisations.order_by("name")
