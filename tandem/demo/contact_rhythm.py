"""Demo (issue 18, "the demo data gives each role a realistic worklist"): the contacts of the
open trajectories as a mediator keeps them. The trajectory demo planned one next contact after
each trajectory's last contact, up to two months back, and nothing after it: the demo
mediator's home page listed some fifty contacts "due today or overdue" and a third of the
caseload "without contact for 30 days". A mediator records an appointment on the day it took
place and keeps seeing each person every few weeks; what is left of that is settled here,
through the plan's own services (``contact_record``, ``contact_set_status``, ``contact_plan``),
audited as the pages would write it. Runs after the agenda (``tandem.demo.agenda``), whose
week it leaves as it is.

- A planned contact dated before today was held on its day, with a short note (one in
  ``NO_SHOW_EVERY`` the person did not come); on a paused trajectory it was cancelled.
- Every open trajectory (paused ones aside) has a rhythm of a contact every ``rhythm_days``
  (two to four weeks, by key), held up to today, and a next contact planned after it.
- A realistic handful stays to do: each mediator keeps up to ``KEEP_OVERDUE`` planned
  contacts of the last ``KEEP_WORKING_DAYS`` working days not yet recorded (and each welfare
  partner at least one on their duo trajectories), and one trajectory in ``SILENT_EVERY`` (by
  key) is a person who does not come: the planned contact missed, no contact since.

Draws no random numbers (days follow from the keys), so nothing else in the demo changes and
the result is the same per seed; a second run finds nothing left to settle.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch

from tandem.accounts.models import User
from tandem.common.workdays import is_working_day, working_day_on_or_after, working_day_on_or_before
from tandem.trajectories.models import Contact, ContactKind, ContactStatus, Status, Trajectory
from tandem.trajectories.models.trajectory import OPEN_STATUSES
from tandem.trajectories.plan import services as plan_services

KEEP_OVERDUE = 2
KEEP_OVERDUE_PARTNER = 1
KEEP_WORKING_DAYS = 3
NO_SHOW_EVERY = 9
SILENT_EVERY = 11
HELD_NOTES = [
    "Gesprek gehouden; de stappen van het plan overlopen.",
    "Opgevolgd: sollicitaties en afspraken besproken.",
    "Samen de post en de afspraken van deze maand bekeken.",
    "Stand van zaken besproken; volgende stap afgesproken.",
]
RHYTHM_KINDS = [ContactKind.PHONE, ContactKind.OFFICE, ContactKind.HOME_VISIT, ContactKind.OFFICE]
NO_SHOW_REASON = "Niet gekomen, niet verwittigd."
PAUSED_REASON = "Traject gepauzeerd."


def rhythm_days(trajectory_pk: int) -> int:
    """Every how many days the trajectory's person is seen: two to four weeks, by key."""
    return 14 + trajectory_pk % 15


def _last_working_days(today: dt.date, n: int) -> list[dt.date]:
    """The ``n`` working days before today, the latest first."""
    days: list[dt.date] = []
    day = today
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return days


def _time(pk: int) -> dt.time:
    return dt.time(9 + pk % 7, 30 * (pk // 7 % 2))


def settle_contacts(today: dt.date) -> tuple[int, int, int]:
    """Settle the demo's past planned contacts and give the open trajectories their rhythm;
    return (contacts held, contacts missed or cancelled, contacts planned)."""
    held = missed = planned = 0
    window = _last_working_days(today, KEEP_WORKING_DAYS)
    kept: dict[tuple[str, int], int] = defaultdict(int)
    trajectories = (
        Trajectory.objects.filter(status__in=OPEN_STATUSES, lead_mediator__isnull=False)
        .select_related("person", "lead_mediator")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.exclude(kind=ContactKind.NOTE)
                .exclude(status__in=[ContactStatus.CANCELLED, ContactStatus.NO_SHOW])
                .order_by("on", "at", "pk"),
                to_attr="demo_contacts",
            )
        )
        .order_by("pk")
    )
    for trajectory in trajectories:
        mediator = trajectory.lead_mediator
        assert mediator is not None
        contacts: list[Contact] = trajectory.demo_contacts  # type: ignore[attr-defined]
        past = [c for c in contacts if c.status == ContactStatus.PLANNED and c.on < today]
        coming = [c for c in contacts if c.status == ContactStatus.PLANNED and c.on >= today]
        last = max(
            (c.on for c in contacts if c.status == ContactStatus.HELD),
            default=trajectory.start_date,
        )
        try:
            if trajectory.status == Status.PAUSED:
                for contact in past:
                    _missed(mediator, contact, ContactStatus.CANCELLED, PAUSED_REASON)
                    missed += 1
                continue
            silent = trajectory.pk % SILENT_EVERY == 0
            wanted = not silent and (
                kept["lead", mediator.pk] < KEEP_OVERDUE
                or (
                    trajectory.welfare_partner_id is not None
                    and kept["partner", trajectory.welfare_partner_id] < KEEP_OVERDUE_PARTNER
                )
            )
            keep: Contact | None = None
            if wanted and past and past[-1].on in window and past[-1].on >= last:
                keep = past.pop()
            for contact in past:
                if silent or contact.pk % NO_SHOW_EVERY == 0:
                    _missed(mediator, contact, ContactStatus.NO_SHOW, NO_SHOW_REASON)
                    missed += 1
                else:
                    _held(mediator, trajectory, contact, contact.on, contact.kind)
                    last = max(last, contact.on)
                    held += 1
            if silent:
                # The person does not come: a new appointment, no contact since.
                if not coming:
                    _plan(
                        mediator,
                        trajectory,
                        working_day_on_or_after(today + dt.timedelta(days=3 + trajectory.pk % 10)),
                    )
                    planned += 1
                continue
            every = dt.timedelta(days=rhythm_days(trajectory.pk))
            until = keep.on if keep is not None else today
            step = 0
            while last + every < until:
                last = working_day_on_or_before(last + every)
                _held(mediator, trajectory, None, last, RHYTHM_KINDS[step % len(RHYTHM_KINDS)])
                held += 1
                step += 1
            if keep is None and wanted:
                # Planned for one of the last working days and not yet recorded.
                day = next((d for d in window if d > last), None)
                if day is not None:
                    keep = _plan(mediator, trajectory, day)
                    planned += 1
            if keep is not None:
                kept["lead", mediator.pk] += 1
                if trajectory.welfare_partner_id is not None:
                    kept["partner", trajectory.welfare_partner_id] += 1
            if not coming:
                # Today's appointments are the agenda's: the next one lies after today.
                day = last + every
                if day <= today:
                    day = today + dt.timedelta(days=1 + trajectory.pk % 7)
                _plan(mediator, trajectory, working_day_on_or_after(day))
                planned += 1
        except (PermissionDenied, ValidationError):
            continue
    return held, missed, planned


def _held(
    by: User, trajectory: Trajectory, contact: Contact | None, day: dt.date, kind: str
) -> None:
    key = contact.pk if contact is not None else trajectory.pk + day.toordinal()
    plan_services.contact_record(
        acting_user=by,
        trajectory=trajectory,
        kind=kind,
        on=day,
        text=HELD_NOTES[key % len(HELD_NOTES)],
        planned=contact,
    )


def _missed(by: User, contact: Contact, status: str, reason: str) -> None:
    plan_services.contact_set_status(acting_user=by, contact=contact, status=status, reason=reason)


def _plan(by: User, trajectory: Trajectory, day: dt.date) -> Contact:
    return plan_services.contact_plan(
        acting_user=by,
        trajectory=trajectory,
        kind=ContactKind.OFFICE,
        on=day,
        at=_time(trajectory.pk + day.toordinal()),
        minutes=45,
        purpose="Opvolgingsgesprek",
    )
