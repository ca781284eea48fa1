"""Writes of outreach: find places, contact moments and the conversion of a prospect into a
registered person (with consent, handed over to a VDAB office). Every write is atomic and
leaves an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain
from tandem.network.consent.services import consent_give
from tandem.network.models import Evidence
from tandem.programmes.funding.services import funding_require
from tandem.programmes.models import Funded, Project
from tandem.registry import insz as insz_rules
from tandem.registry.intake.models import IntakeSource, Urgency
from tandem.registry.intake.services import intake_create
from tandem.registry.models import Language, Person
from tandem.registry.services import (
    InszVia,
    insz_registration_check,
    person_assign,
    person_create,
)

from .models import ContactMoment, FindPlace, Prospect

# What the person agrees to on conversion: registration and sharing their work side with the
# VDAB office that takes them on. Other domains are asked later, in the trajectory.
CONVERSION_DOMAINS = (LifeDomain.WORK_EDUCATION,)


def _require(user: User, capability: str, organisation_id: int | None = None) -> None:
    if not has_capability(user, capability) or user.organisation_id is None:
        raise PermissionDenied
    if organisation_id is not None and organisation_id != user.organisation_id:
        raise PermissionDenied


@transaction.atomic
def place_save(
    *,
    acting_user: User,
    kind: str,
    name: str,
    municipality: str,
    project: Project | None = None,
    active: bool = True,
    place: FindPlace | None = None,
) -> FindPlace:
    """Create a find place of the user's team, or update one of theirs."""
    _require(acting_user, "outreach.places", place.organisation_id if place else None)
    created = place is None
    if place is None:
        place = FindPlace(organisation=acting_user.organisation)
    place.kind = kind
    place.name = name.strip()
    place.municipality = municipality.strip()
    place.project = project
    place.active = active
    place.full_clean()
    place.save()
    audit_event_record(
        actor=acting_user,
        event_type=Event.OUTREACH_PLACE_CREATED if created else Event.OUTREACH_PLACE_UPDATED,
        data={"place": place.pk, "kind": kind},
    )
    return place


def _clean_languages(languages: Iterable[str]) -> list[str]:
    codes = sorted(set(languages))
    unknown = set(codes) - set(Language.values)
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown languages: %(l)s") % {"l": ", ".join(sorted(unknown))}}
        )
    return codes


@transaction.atomic
def contact_log(
    *,
    acting_user: User,
    place: FindPlace,
    on: dt.date | None = None,
    prospect: Prospect | None = None,
    nickname: str = "",
    approximate_age: int | None = None,
    languages: Iterable[str] = (),
    need: str = "",
    note: str = "",
) -> ContactMoment:
    """Log a contact at a find place: with someone new (a new prospect) or met before.

    For a repeat contact the prospect's details are kept; a need or language given now is
    added to what was known.
    """
    _require(acting_user, "outreach.contact", place.organisation_id)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("A contact cannot be in the future.")})
    if not place.active:
        raise ValidationError({"place": _("This find place is no longer in use.")})
    if place.project is not None:
        # A contact at a find place of a project counts for that project: its call must fund
        # outreach on the day (issue 17).
        funding_require(project=place.project, kind=Funded.OUTREACH, day=day)
    codes = _clean_languages(languages)
    repeat = prospect is not None
    if prospect is None:
        if not nickname.strip():
            raise ValidationError(
                {"nickname": _("Give a nickname, or choose the person you met before.")}
            )
        prospect = Prospect(
            organisation=acting_user.organisation,
            created_by=acting_user,
            nickname=nickname.strip(),
            approximate_age=approximate_age,
            languages=codes,
            need=need.strip(),
            project=place.project,
        )
        prospect.full_clean()
        prospect.save()
    else:
        _require(acting_user, "outreach.contact", prospect.organisation_id)
        changed = False
        if codes and not set(codes) <= set(prospect.languages):
            prospect.languages = sorted(set(prospect.languages) | set(codes))
            changed = True
        if need.strip() and not prospect.need:
            prospect.need = need.strip()
            changed = True
        if approximate_age is not None and prospect.approximate_age is None:
            prospect.approximate_age = approximate_age
            changed = True
        if changed:
            prospect.full_clean()
            prospect.save()
    moment = ContactMoment(prospect=prospect, on=day, place=place, by=acting_user, note=note)
    moment.full_clean()
    moment.save()
    audit_event_record(
        actor=acting_user,
        person=prospect.person,
        event_type=Event.OUTREACH_CONTACT_LOGGED,
        data={"prospect": str(prospect.public_id), "place": place.pk, "repeat": repeat},
    )
    return moment


def prospect_convert(
    *,
    acting_user: User,
    prospect: Prospect,
    person_data: dict[str, Any],
    office: Organisation | None,
    consent: bool,
    evidence: str,
    witness: str = "",
    confirmed_distinct: bool = False,
    on: dt.date | None = None,
    intake_note: str = "",
    urgency: str = Urgency.NORMAL,
) -> Person:
    """Register a prospect as a person, with their consent, and hand them over to a VDAB office.

    The person is created through the registry (a duplicate check included), the consent is
    recorded for the office, and the office is assigned to the person so its mediators can
    start a trajectory; the person waits in the office's intake queue. The contact moments
    stay with the prospect, which now points at the person. All of it or nothing is written,
    except the audit event of a refused national number (``insz_registration_check`` runs
    before the transaction, so the event stays).
    """
    _require(acting_user, "outreach.contact", prospect.organisation_id)
    _convert_allowed(prospect=prospect, consent=consent, evidence=evidence, office=office)
    insz_registration_check(
        acting_user=acting_user,
        insz=insz_rules.normalise(person_data.get("insz") or "") or None,
        via=InszVia.OUTREACH,
    )
    return _prospect_convert(
        acting_user=acting_user,
        prospect=prospect,
        person_data=person_data,
        office=office,
        evidence=evidence,
        witness=witness,
        confirmed_distinct=confirmed_distinct,
        on=on,
        intake_note=intake_note,
        urgency=urgency,
    )


def _convert_allowed(
    *, prospect: Prospect, consent: bool, evidence: str, office: Organisation | None
) -> None:
    if prospect.person_id is not None:
        raise ValidationError(_("This person is already registered."))
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Register a person only with their consent: tick that they agreed, and say how."
                )
            }
        )
    if evidence not in Evidence.values:
        raise ValidationError({"evidence": _("Say how the person gave their consent.")})
    if office is None or office.kind != OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE:
        raise ValidationError({"office": _("Choose the VDAB office that takes the person on.")})


@transaction.atomic
def _prospect_convert(
    *,
    acting_user: User,
    prospect: Prospect,
    person_data: dict[str, Any],
    office: Organisation | None,
    evidence: str,
    witness: str,
    confirmed_distinct: bool,
    on: dt.date | None,
    intake_note: str = "",
    urgency: str = Urgency.NORMAL,
) -> Person:
    if prospect.person_id is not None:
        raise ValidationError(_("This person is already registered."))
    assert office is not None  # _convert_allowed checked
    day = on or timezone.localdate()
    person = person_create(
        acting_user=acting_user,
        data=person_data,
        confirmed_distinct=confirmed_distinct,
        via=InszVia.OUTREACH,
    )
    consent_give(
        acting_user=acting_user,
        person=person,
        domains=CONVERSION_DOMAINS,
        purpose=_("Registration and guidance towards work or training by the VDAB office"),
        evidence=evidence,
        recipient_organisation=office,
        witness=witness,
        given_on=day,
    )
    person_assign(
        acting_user=acting_user,
        person=person,
        organisation=office,
        reason=_("Brought in by outreach"),
    )
    prospect.person = person
    prospect.converted_on = day
    prospect.full_clean()
    prospect.save()
    intake_create(
        acting_user=acting_user,
        person=person,
        office=office,
        source=IntakeSource.OUTREACH,
        source_ref=str(prospect.public_id),
        note=intake_note,
        urgency=urgency,
    )
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.OUTREACH_PROSPECT_CONVERTED,
        data={
            "prospect": str(prospect.public_id),
            "office": office.code,
            "moments": prospect.moments.count(),
        },
    )
    return person


@transaction.atomic
def prospect_link(
    *, acting_user: User, prospect: Prospect, person: Person, on: dt.date | None = None
) -> Prospect:
    """Link a prospect to a person who is already registered (by the team, or visible to the
    user), keeping the contact history: the same person, met before they were identified.

    No new consent or hand-over is recorded: the person's file already has what was agreed.
    """
    from tandem.registry.selectors import person_queryset_for

    _require(acting_user, "outreach.contact", prospect.organisation_id)
    if prospect.person_id is not None:
        raise ValidationError(_("This person is already registered."))
    if (
        person.organisation_id != acting_user.organisation_id
        and not person_queryset_for(acting_user).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied
    prospect.person = person
    prospect.converted_on = on or timezone.localdate()
    prospect.full_clean()
    prospect.save()
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.OUTREACH_PROSPECT_LINKED,
        data={"prospect": str(prospect.public_id)},
    )
    return prospect
