"""What group work asks of the lead mediator on the home page, derived from the enrolments (no
status stored twice): a drop-out signal not yet seen, and POP input of the group coach not yet
taken into a POP. One query, with ``total`` (a window count of the rows before the limit)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)

from tandem.access.capabilities import has_capability
from tandem.access.scope import trajectory_queryset_for
from tandem.accounts.models import User
from tandem.trajectories.models.trajectory import Status

from ..models import OPEN_ENROLMENT_STATUSES, Enrolment, PopInput

LIMIT = 10


def group_work_for(user: User, limit: int = LIMIT) -> list[Enrolment]:
    """Enrolments of open trajectories the user leads with an open drop-out signal
    (``signal``) or POP input not yet taken into a POP (``pop_input_on``: the latest such
    input's date): signals first, the oldest first."""
    if not has_capability(user, "groupwork.enrol"):
        return []
    waiting = PopInput.objects.filter(enrolment=OuterRef("pk"), adopted_into__isnull=True)
    signal = Q(
        dropout_flagged_on__isnull=False,
        dropout_acknowledged_on__isnull=True,
        status__in=OPEN_ENROLMENT_STATUSES,
    )
    return list(
        Enrolment.objects.filter(
            trajectory__in=trajectory_queryset_for(user).exclude(status=Status.CLOSED),
            trajectory__lead_mediator=user,
        )
        .filter(signal | Q(Exists(waiting)))
        .select_related("trajectory__person", "module")
        .annotate(
            signal=Case(
                When(signal, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            pop_input_on=Subquery(waiting.order_by("-written_on").values("written_on")[:1]),
            total=Window(Count("pk")),
        )
        .order_by(
            F("signal").desc(),
            F("dropout_flagged_on").asc(nulls_last=True),
            "pop_input_on",
            "pk",
        )[:limit]
    )
