"""Writes of the self-assessment: the coach fills it in with the participant, once at the start
and once at the end of group work. Saving a moment again replaces its levels. Who may: the same
as for the network map (``networkmap.services.can_draw``): a coach of the enrolment's
programme, with a participant placed in the group or who completed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import Enrolment, MapMoment, SelfAssessment
from ..networkmap.services import DRAWABLE_STATUSES
from ..selectors import is_coach
from .rules import ITEMS, level_problems


@transaction.atomic
def self_assessment_save(
    *,
    acting_user: User,
    enrolment: Enrolment,
    moment: str,
    levels: Mapping[str, int],
    with_participant: bool,
    assessed_on: dt.date | None = None,
) -> SelfAssessment:
    """Record (or replace) the self-assessment of ``moment`` (start or end) with a level of
    1–5 for every statement of ``rules.ITEMS``.

    Refuses, writing nothing: a user who is not a coach of the programme (PermissionDenied); a
    participant not placed in the group nor completed; a moment that is not start or end; not
    filled in together with the participant; a statement without a level of the scale; a date
    in the future or before the enrolment was asked for.
    """
    if not is_coach(acting_user, enrolment.module.programme):
        raise PermissionDenied
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if moment not in MapMoment.values:
        raise ValidationError({"moment": _("Choose the start or the end of group work.")})
    if current.status not in DRAWABLE_STATUSES:
        raise ValidationError(
            _(
                "A self-assessment is filled in with participants placed in the group or who "
                "completed it."
            ),
            code="not_participant",
        )
    if not with_participant:
        raise ValidationError(
            {"with_participant": _("Fill the self-assessment in together with the participant.")}
        )
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    if day < current.requested_on:
        raise ValidationError(
            {
                "assessed_on": _("The date lies before the enrolment was asked for (%(date)s).")
                % {"date": current.requested_on.strftime("%d/%m/%Y")}
            }
        )
    problems = level_problems(levels)
    if problems:
        raise ValidationError(
            {name: _("Choose a level from 1 to 5.") for name in problems}, code="level"
        )
    assessment = (
        SelfAssessment.objects.select_for_update().filter(enrolment=current, moment=moment).first()
    )
    replaced = assessment is not None
    if assessment is None:
        assessment = SelfAssessment(enrolment=current, moment=moment)
    assessment.assessed_on = day
    assessment.assessed_by = acting_user
    for name in ITEMS:
        setattr(assessment, name, levels[name])
    assessment.full_clean()
    assessment.save()
    audit_event_record(
        actor=acting_user,
        person=current.trajectory.person,
        event_type=Event.GROUPWORK_SELF_ASSESSMENT_SAVED,
        data={"enrolment": str(current.public_id), "moment": moment, "replaced": replaced},
    )
    return assessment
