"""Writes for screening: conduct a screening, choose another route, refer on, and keep the
signal checklist versioned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.dates import age_on
from tandem.programmes.selectors import funded_on
from tandem.registry.intake.models import IntakeSource, Urgency
from tandem.registry.intake.services import intake_create
from tandem.registry.models import Person, Registration
from tandem.registry.services import person_assign

from . import rules
from .exceptions import ChecklistFrozen, ChecklistNotPublished
from .models import ChecklistVersion, Route, Screening, ScreeningAnswer, Signal


def signal_facts(checklist: ChecklistVersion) -> list[rules.SignalFact]:
    return [
        rules.SignalFact(
            code=s.code, domain=s.domain, weight=s.weight, mmpps=s.mmpps, question=s.question
        )
        for s in checklist.signals.all()
    ]


@transaction.atomic
def screening_conduct(
    *,
    acting_user: User,
    person: Person,
    checklist: ChecklistVersion,
    present: Iterable[str],
    motivation: str,
    outflow_within_two_years: str,
    conducted_on: dt.date | None = None,
    notes: str = "",
) -> Screening:
    """Record a screening and what the rules conclude from it, all in one transaction.

    The route and the advice come from one decision (``rules.decide``), with what the calls
    running on the screening day fund. A stored screening keeps what it was given.
    """
    if not has_capability(acting_user, "screening.conduct"):
        raise PermissionDenied
    if not checklist.is_published:
        raise ChecklistNotPublished
    facts = signal_facts(checklist)
    known = {f.code for f in facts}
    present_codes = set(present)
    unknown = present_codes - known
    if unknown:
        raise ValidationError(
            _("Unknown signals for this checklist version: %(codes)s")
            % {"codes": ", ".join(sorted(unknown))}
        )
    day = conducted_on or timezone.localdate()
    lights = rules.domain_lights(facts, present_codes)
    decision = rules.decide(
        facts,
        present_codes,
        age=age_on(person.birth_date, day),
        registered=person.registration == Registration.REGISTERED,
        motivation=motivation,
        outflow_within_two_years=outflow_within_two_years,
        funded=funded_on(day),
        day=day,
    )
    screening = Screening(
        organisation=acting_user.organisation,
        person=person,
        checklist=checklist,
        conducted_by=acting_user,
        conducted_on=day,
        motivation=motivation,
        outflow_within_two_years=outflow_within_two_years,
        notes=notes,
        lights={
            d: {"light": v.light, "score": v.score, "signals": list(v.signals)}
            for d, v in lights.items()
        },
        advice=decision.advice,
        advice_reasons=list(decision.advice_reasons),
        route_suggested=decision.route,
        route_reasons=list(decision.route_reasons),
        non_active=decision.non_active,
    )
    screening.full_clean()
    screening.save()
    signals = {s.code: s for s in checklist.signals.all()}
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(screening=screening, signal=signal, present=code in present_codes)
        for code, signal in signals.items()
    )
    audit_event_record(
        actor=acting_user,
        person=person,
        event_type=Event.SCREENING_CONDUCTED,
        data={
            "screening": str(screening.public_id),
            "checklist": checklist.version,
            "advice": decision.advice,
            "route": decision.route,
        },
    )
    return screening


@transaction.atomic
def screening_choose_route(
    *, acting_user: User, screening: Screening, route: str, reason: str
) -> Screening:
    """A mediator chooses another route than the suggested one, with a written reason."""
    if not has_capability(acting_user, "screening.choose_route"):
        raise PermissionDenied
    if route not in Route.values:
        raise ValidationError({"route": _("Choose one of the routes.")})
    reason = reason.strip()
    if route == screening.route_suggested:
        route, reason = "", ""
    elif not reason:
        raise ValidationError({"reason": _("Write why you choose another route.")})
    before = screening.route
    screening.route_chosen = route
    screening.route_choice_reason = reason
    screening.route_chosen_by = acting_user if route else None
    screening.full_clean()
    screening.save(
        update_fields=["route_chosen", "route_choice_reason", "route_chosen_by", "updated_at"]
    )
    audit_event_record(
        actor=acting_user,
        person=screening.person,
        event_type=Event.SCREENING_ROUTE_CHOSEN,
        data={"screening": str(screening.public_id), "from": before, "to": screening.route},
    )
    return screening


@transaction.atomic
def screening_refer(
    *,
    acting_user: User,
    screening: Screening,
    organisation: Organisation,
    note: str = "",
    urgency: str = Urgency.NORMAL,
) -> Screening:
    """Refer the screened person on to a work-welfare mediator's office.

    The office is assigned to the person, so its mediators find them, and the person waits in
    the office's intake queue with the note and urgency until a mediator takes them.
    """
    if not has_capability(acting_user, "screening.conduct"):
        raise PermissionDenied
    if organisation.kind != OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE:
        raise ValidationError({"organisation": _("You can only refer to a VDAB office.")})
    if screening.referred_to_id is not None:
        raise ValidationError(_("This screening was already referred on."))
    screening.referred_to = organisation
    screening.referred_at = timezone.now()
    screening.referred_by = acting_user
    screening.referral_note = note.strip()
    screening.full_clean()
    screening.save()
    if organisation.pk != screening.person.organisation_id:
        person_assign(
            acting_user=acting_user,
            person=screening.person,
            organisation=organisation,
            reason=_("Referred after screening"),
        )
    intake_create(
        acting_user=acting_user,
        person=screening.person,
        office=organisation,
        source=IntakeSource.SCREENING,
        source_ref=str(screening.public_id),
        note=screening.referral_note,
        urgency=urgency,
    )
    audit_event_record(
        actor=acting_user,
        person=screening.person,
        event_type=Event.SCREENING_REFERRED,
        data={"screening": str(screening.public_id), "to": organisation.code},
    )
    return screening


@transaction.atomic
def checklist_new_version(
    *, acting_user: User | None, based_on: ChecklistVersion, notes: str = ""
) -> ChecklistVersion:
    """Copy a version into a new, unpublished draft that an administrator can edit."""
    number = (ChecklistVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    draft = ChecklistVersion.objects.create(version=number, title=based_on.title, notes=notes)
    Signal.objects.bulk_create(
        Signal(
            checklist=draft,
            code=s.code,
            domain=s.domain,
            question=s.question,
            help_text=s.help_text,
            weight=s.weight,
            mmpps=s.mmpps,
            order=s.order,
        )
        for s in based_on.signals.all()
    )
    audit_event_record(
        actor=acting_user,
        event_type=Event.CHECKLIST_DRAFT_CREATED,
        data={"version": number, "based_on": based_on.version},
    )
    return draft


@transaction.atomic
def checklist_publish(*, acting_user: User | None, checklist: ChecklistVersion) -> ChecklistVersion:
    if checklist.is_published:
        raise ChecklistFrozen
    if not checklist.signals.exists():
        raise ValidationError(_("A checklist without signals cannot be published."))
    checklist.published_at = timezone.now()
    checklist.save(update_fields=["published_at", "updated_at"])
    audit_event_record(
        actor=acting_user, event_type=Event.CHECKLIST_PUBLISHED, data={"version": checklist.version}
    )
    return checklist
