"""Writes of measurement: an assessment with one reading per assessed life domain.

Readings are history: an assessment is never changed or deleted; a new assessment shows the
new situation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.scope import can_write
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.common.models import LifeDomain

from ..models import Assessment, Reading, Scale, Trajectory


@transaction.atomic
def assessment_record(
    *,
    acting_user: User,
    trajectory: Trajectory,
    on: dt.date,
    readings: Mapping[str, int],
    agreed_with_client: bool,
    note: str = "",
    scale: Scale | None = None,
) -> Assessment:
    """Record a dated assessment on ``scale`` (the default scale when not given) with one
    reading per domain in ``readings`` (life domain → level of the scale).

    Refuses, writing nothing: a user who may not change the trajectory (PermissionDenied); no
    reading; a domain that is not a life domain; a level the scale does not have; a date in the
    future or before the trajectory started.
    """
    # Check the trajectory as it is now (it may have closed since the caller read it), and
    # hold it while the assessment is written.
    current = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if not can_write(acting_user, current):
        raise PermissionDenied
    if scale is None:
        scale = Scale.objects.filter(is_default=True).first()
        if scale is None:
            raise ValidationError(
                _("There is no default scale. Ask an administrator to mark one as default.")
            )
    today = timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("The date of an assessment cannot be in the future.")})
    if on < current.start_date:
        raise ValidationError(
            {
                "on": _("The date lies before the trajectory started (%(date)s).")
                % {"date": current.start_date.strftime("%d/%m/%Y")}
            }
        )
    if not readings:
        raise ValidationError(_("Give a level for at least one life domain."))
    unknown = sorted(d for d in readings if d not in LifeDomain.values)
    if unknown:
        raise ValidationError(
            _("Unknown life domain: %(domains)s.") % {"domains": ", ".join(unknown)}
        )
    levels = sorted(scale.levels.values_list("value", flat=True))
    errors: dict[str, str] = {}
    for domain, level in readings.items():
        if isinstance(level, bool) or not isinstance(level, int) or level not in levels:
            errors[domain] = _(
                "%(level)s is not a level of the scale “%(scale)s”; choose one of %(levels)s."
            ) % {
                "level": level,
                "scale": scale.name,
                "levels": ", ".join(str(v) for v in levels),
            }
    if errors:
        raise ValidationError(errors)

    assessment = Assessment(
        trajectory=current,
        scale=scale,
        on=on,
        agreed_with_client=agreed_with_client,
        by=acting_user,
        note=note.strip(),
    )
    assessment.full_clean()
    assessment.save()
    rows = [Reading(assessment=assessment, domain=d, level=level) for d, level in readings.items()]
    for row in rows:
        # The assessment was saved just above and each domain comes once (the keys of a
        # mapping): checking that in the database again would cost two queries per reading.
        row.full_clean(exclude=["assessment"], validate_unique=False, validate_constraints=False)
    Reading.objects.bulk_create(rows)
    audit_event_record(
        actor=acting_user,
        person=trajectory.person,
        event_type=Event.MEASUREMENT_RECORDED,
        data={
            "trajectory": str(trajectory.public_id),
            "assessment": assessment.pk,
            "scale": scale.code,
            "on": on.isoformat(),
            "agreed_with_client": agreed_with_client,
            # Which domains, not the levels: the audit trail holds no case content.
            "domains": sorted(readings),
        },
    )
    return assessment
