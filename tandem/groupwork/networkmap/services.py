"""Writes of the social network map (ecogram): the coach draws it with the participant in the
group, once at the start and once at the end of group work. Saving a map replaces the map of
that moment in full; every tie is checked first, so a bad row writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import (
    Enrolment,
    EnrolmentStatus,
    MapMoment,
    NetworkMap,
    NetworkTie,
    Relation,
    TieKind,
)
from ..selectors import is_coach

MAX_TIES = 40
LABEL_MAX = 60
# A map is drawn with a participant of the group: placed, or (looking back) completed.
DRAWABLE_STATUSES = frozenset({EnrolmentStatus.PLACED, EnrolmentStatus.COMPLETED})


def can_draw(user: User, enrolment: Enrolment) -> bool:
    """The coach of the enrolment's programme, while the participant is in the group or after
    completing it."""
    return enrolment.status in DRAWABLE_STATUSES and is_coach(user, enrolment.module.programme)


def _strength(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= 3:
        return value
    return None


def _clean_tie(row: int, tie: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The tie's values, cleaned, and what is wrong with it (each message names the row)."""
    errors: list[str] = []
    label = " ".join(str(tie.get("label") or "").split())
    if not label:
        errors.append(_("Row %(row)s: write who it is.") % {"row": row})
    elif len(label) > LABEL_MAX:
        errors.append(
            _("Row %(row)s: keep the name to %(max)s characters.") % {"row": row, "max": LABEL_MAX}
        )
    kind = tie.get("kind")
    if kind not in TieKind.values:
        errors.append(_("Row %(row)s: choose person or organisation.") % {"row": row})
    relation = tie.get("relation")
    if relation not in Relation.values:
        errors.append(_("Row %(row)s: choose a relation.") % {"row": row})
    strength = _strength(tie.get("strength"))
    if strength is None:
        errors.append(
            _("Row %(row)s: choose a strength from 1 (weak) to 3 (strong).") % {"row": row}
        )
    cleaned = {
        "label": label,
        "kind": kind,
        "relation": relation,
        "strength": strength,
        "strained": bool(tie.get("strained", False)),
    }
    return cleaned, errors


@transaction.atomic
def network_map_save(
    *,
    acting_user: User,
    enrolment: Enrolment,
    moment: str,
    ties: Sequence[Mapping[str, Any]],
    drawn_on: dt.date | None = None,
) -> NetworkMap:
    """Create the map of ``moment`` (start or end) or replace it, ties and all.

    Only a coach of the enrolment's programme draws, with a participant who is placed in the
    group or has completed it. ``ties`` are dicts with ``label``, ``kind``, ``relation``,
    ``strength`` (1–3) and optionally ``strained``; at most ``MAX_TIES``. Every row is checked
    before anything is written: the ``ValidationError`` lists each bad row by its number.
    """
    if not is_coach(acting_user, enrolment.module.programme):
        raise PermissionDenied
    if moment not in MapMoment.values:
        raise ValidationError({"moment": _("Choose the start or the end of group work.")})
    if enrolment.status not in DRAWABLE_STATUSES:
        raise ValidationError(
            _("A network map is drawn with participants placed in the group or who completed it."),
            code="not_participant",
        )
    day = drawn_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"drawn_on": _("The date cannot be in the future.")})
    if len(ties) > MAX_TIES:
        raise ValidationError(
            {
                "ties": _("At most %(max)s ties on one map; this one has %(count)s.")
                % {"max": MAX_TIES, "count": len(ties)}
            }
        )
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    for row, tie in enumerate(ties, start=1):
        values, problems = _clean_tie(row, tie)
        cleaned.append(values)
        errors.extend(problems)
    if errors:
        raise ValidationError({"ties": errors})

    network_map = (
        NetworkMap.objects.select_for_update().filter(enrolment=enrolment, moment=moment).first()
    )
    replaced = network_map is not None
    if network_map is None:
        network_map = NetworkMap(enrolment=enrolment, moment=moment)
    network_map.drawn_on = day
    network_map.drawn_by = acting_user
    network_map.full_clean()
    network_map.save()
    if replaced:
        network_map.ties.all().delete()
    new_ties = [NetworkTie(network_map=network_map, **values) for values in cleaned]
    for new_tie in new_ties:
        new_tie.full_clean()
    NetworkTie.objects.bulk_create(new_ties)
    audit_event_record(
        actor=acting_user,
        person=enrolment.trajectory.person,
        event_type=Event.GROUPWORK_NETWORK_MAP_SAVED,
        data={
            "enrolment": str(enrolment.public_id),
            "moment": moment,
            "ties": len(new_ties),
            "replaced": replaced,
        },
    )
    return network_map
