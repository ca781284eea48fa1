"""Template helpers of the referral pages and of the trajectory page's plan (the referral
status beside an action, and whether an action can be referred)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import TextChoices

from tandem.common.models import LifeDomain
from tandem.registry.models import (
    Benefit,
    EducationLevel,
    IncomeKind,
    Language,
    Registration,
    Relation,
)
from tandem.trajectories.models import ActionStatus, Trajectory
from tandem.trajectories.services import WELFARE_DOMAINS

from ..models.referral import OPEN_REFERRAL_STATUSES
from ..referrals.selectors import referral_queryset_for, referrals_by_action

register = template.Library()

# The codes a referral's shared data holds, and the choices that name them.
CHOICES: dict[str, type[TextChoices]] = {
    "relation": Relation,
    "kind": IncomeKind,
    "registration": Registration,
    "benefit": Benefit,
    "education": EducationLevel,
    "status": ActionStatus,
    "language": Language,
    "domain": LifeDomain,
}


@register.filter
def shared_label(code: Any, kind: str) -> str:
    """The label of a code in a referral's shared data, in the reader's language."""
    choices = CHOICES.get(kind)
    if choices is None or code in ("", None):
        return str(code or "")
    return str(dict(choices.choices).get(code, code))


@register.simple_tag(takes_context=True)
def referral_plan(context: template.Context, trajectory: Trajectory) -> dict[str, Any]:
    """For the trajectory page's plan, in two queries: the latest referral of each action,
    which of them the reader may open (only those get a link and their reason: others would
    be a link to a 404), the welfare domains (their open actions may be referred) and the open
    referral statuses."""
    by_action = referrals_by_action(trajectory.pk)
    user = context.get("user")
    openable: set[int] = set()
    if by_action and user is not None:
        openable = set(
            referral_queryset_for(user)
            .filter(pk__in=[r.pk for r in by_action.values()])
            .values_list("pk", flat=True)
        )
    return {
        "by_action": by_action,
        "openable": openable,
        "welfare_domains": sorted(WELFARE_DOMAINS),
        "open_statuses": sorted(OPEN_REFERRAL_STATUSES),
    }


@register.filter
def isodate(value: Any) -> dt.date | None:
    """A date kept as ISO text in the shared data, as a date (for the ``date`` filter)."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None
